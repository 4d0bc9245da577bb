"""The facilitation log becomes a record others confirm: every existing entry becomes a
self-reported one (the default), and one that named a co-facilitator keeps counting as
co-facilitated through its new role."""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def roles_from_co_facilitator(apps, schema_editor):
    Entry = apps.get_model("peerpath_workshops", "FacilitationLogEntry")
    Entry.objects.exclude(co_facilitator="").update(role="co")


class Migration(migrations.Migration):

    dependencies = [
        ('peerpath_workshops', '0005_index_names_follow_namespaced_label'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='facilitationlogentry',
            name='confirmation',
            field=models.CharField(choices=[('self_reported', 'Self-reported'), ('awaiting', 'Awaiting confirmation'), ('confirmed', 'Confirmed'), ('queried', 'Queried')], default='self_reported', editable=False, max_length=20, verbose_name='confirmation'),
        ),
        migrations.AddField(
            model_name='facilitationlogentry',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='confirmed'),
        ),
        migrations.AddField(
            model_name='facilitationlogentry',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by'),
        ),
        migrations.AddField(
            model_name='facilitationlogentry',
            name='query_note',
            field=models.CharField(blank=True, editable=False, max_length=500, verbose_name='query'),
        ),
        migrations.AddField(
            model_name='facilitationlogentry',
            name='role',
            field=models.CharField(choices=[('lead', 'Lead facilitator'), ('co', 'Co-facilitator')], default='lead', max_length=10, verbose_name='role'),
        ),
        migrations.AddField(
            model_name='workshoppage',
            name='fidelity_checklist',
            field=wagtail.fields.StreamField([('check', 0)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'icon': 'tick', 'max_length': 200})}, help_text='What a session of this workshop should include, ticked by the lead facilitator in each debrief. Leave empty for the usual three: agreements read, a check-out round, resources shared.', verbose_name='fidelity checklist'),
        ),
        migrations.RunPython(roles_from_co_facilitator, migrations.RunPython.noop),
    ]

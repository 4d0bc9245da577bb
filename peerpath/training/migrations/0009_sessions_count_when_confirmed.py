"""Sessions count towards requirements once confirmed. Requirements made before confirmation
existed keep counting the sessions facilitators recorded themselves (nothing anyone met is lost);
new requirements count confirmed sessions only unless their programme ticks the box."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('peerpath_training', '0008_index_names_follow_namespaced_label'),
    ]

    operations = [
        migrations.AddField(
            model_name='programmerequirement',
            name='count_self_reported',
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name='programmerequirement',
            name='count_self_reported',
            field=models.BooleanField(default=False, help_text="Sessions only. Sessions run through PeerPath count once a co-facilitator or the organisation's staff confirm them. Tick to count, too, sessions facilitators record themselves (groups run outside PeerPath); they show as self-reported everywhere.", verbose_name='self-reported sessions count'),
        ),
        migrations.AlterField(
            model_name='programmerequirement',
            name='kind',
            field=models.CharField(choices=[('supervised_hours', 'Supervised practice hours signed off'), ('sessions', 'Sessions facilitated (from the facilitation record)'), ('ce_hours', 'Continuing-education hours')], default='supervised_hours', max_length=32, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='programmerequirement',
            name='session_role',
            field=models.CharField(choices=[('any', 'Led or co-facilitated'), ('led', 'Led, as the lead facilitator'), ('co_facilitated', 'Co-facilitated, alongside a lead facilitator')], default='any', help_text='Sessions only.', max_length=16, verbose_name='sessions that count'),
        ),
    ]

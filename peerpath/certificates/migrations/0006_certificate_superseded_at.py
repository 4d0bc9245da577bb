"""A certificate records when it was replaced (`superseded_at`: the time its successor was
issued), so that its status comes from its own row. Existing replaced certificates get the time
their successor was issued, which is what the status was derived from until now."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_superseded_at(apps, schema_editor):
    Certificate = apps.get_model("peerpath_certificates", "Certificate")
    successor = Certificate.objects.filter(supersedes=OuterRef("pk")).values("issued_at")[:1]
    Certificate.objects.filter(superseded_by__isnull=False).update(
        superseded_at=Subquery(successor)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("peerpath_certificates", "0005_move_certificate_log_entries"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="superseded_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "When a renewal, reissue or full certificate replaced this one (the "
                    "replacement's time of issue); set by issuing in the transaction that links "
                    "the replacement."
                ),
                null=True,
                verbose_name="superseded at",
            ),
        ),
        migrations.RunPython(fill_superseded_at, migrations.RunPython.noop, elidable=True),
    ]

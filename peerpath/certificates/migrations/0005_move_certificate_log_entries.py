"""Certificates' audit entries move from Wagtail's generic ModelLogEntry to CertificateLogEntry,
whose manager scopes them by organisation, and lose the holder's name from their labels."""

from django.db import migrations

BATCH = 1000


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="peerpath_certificates", model="certificate").first()


def _labels(apps):
    Certificate = apps.get_model("peerpath_certificates", "Certificate")
    return {
        pk: f"{number} — {credential}"
        for pk, number, credential in Certificate.objects.values_list(
            "pk", "number", "credential_name"
        )
    }


COPIED_FIELDS = [
    "content_type_id",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
]


def forwards(apps, schema_editor):
    content_type = _content_type(apps)
    if content_type is None:
        return  # a new database: nothing was ever logged
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    CertificateLogEntry = apps.get_model("peerpath_certificates", "CertificateLogEntry")
    labels = _labels(apps)
    old = ModelLogEntry.objects.filter(content_type=content_type).order_by("pk")
    batch = []
    for entry in old.iterator(chunk_size=BATCH):
        certificate_id = int(entry.object_id)
        batch.append(
            CertificateLogEntry(
                certificate_id=certificate_id,
                label=labels.get(certificate_id, f"Certificate {certificate_id}"),
                **{field: getattr(entry, field) for field in COPIED_FIELDS},
            )
        )
        if len(batch) >= BATCH:
            CertificateLogEntry.objects.bulk_create(batch)
            batch = []
    CertificateLogEntry.objects.bulk_create(batch)
    old.delete()


def backwards(apps, schema_editor):
    content_type = _content_type(apps)
    if content_type is None:
        return
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    CertificateLogEntry = apps.get_model("peerpath_certificates", "CertificateLogEntry")
    new = CertificateLogEntry.objects.order_by("pk")
    batch = []
    for entry in new.iterator(chunk_size=BATCH):
        batch.append(
            ModelLogEntry(
                object_id=str(entry.certificate_id),
                label=entry.label,
                **{field: getattr(entry, field) for field in COPIED_FIELDS},
            )
        )
        if len(batch) >= BATCH:
            ModelLogEntry.objects.bulk_create(batch)
            batch = []
    ModelLogEntry.objects.bulk_create(batch)
    new.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("peerpath_certificates", "0004_certificate_log_entry"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

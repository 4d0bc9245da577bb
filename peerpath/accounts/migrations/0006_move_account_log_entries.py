"""Audit entries about accounts move from Wagtail's generic ModelLogEntry to AccountLogEntry,
whose manager scopes them by organisation, and lose the username (the e-mail address) from their
labels."""

from django.conf import settings
from django.db import migrations

BATCH = 1000

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


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    return ContentType.objects.filter(app_label=app_label, model=model_name.lower()).first()


def forwards(apps, schema_editor):
    content_type = _content_type(apps)
    if content_type is None:
        return  # a new database: nothing was ever logged
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    AccountLogEntry = apps.get_model("peerpath_accounts", "AccountLogEntry")
    old = ModelLogEntry.objects.filter(content_type=content_type).order_by("pk")
    batch = []
    for entry in old.iterator(chunk_size=BATCH):
        account_id = int(entry.object_id)
        batch.append(
            AccountLogEntry(
                account_id=account_id,
                # The same words as peerpath.accounts.models.account_log_label, which a migration must
                # not import: it would change under the migration if the wording changed.
                label=f"Account {account_id}",
                **{field: getattr(entry, field) for field in COPIED_FIELDS},
            )
        )
        if len(batch) >= BATCH:
            AccountLogEntry.objects.bulk_create(batch)
            batch = []
    AccountLogEntry.objects.bulk_create(batch)
    old.delete()


def backwards(apps, schema_editor):
    content_type = _content_type(apps)
    if content_type is None:
        return
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    AccountLogEntry = apps.get_model("peerpath_accounts", "AccountLogEntry")
    new = AccountLogEntry.objects.order_by("pk")
    batch = []
    for entry in new.iterator(chunk_size=BATCH):
        batch.append(
            ModelLogEntry(
                object_id=str(entry.account_id),
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
        ("peerpath_accounts", "0005_account_log_entry"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Upgrading a database made before PeerPath's apps had namespaced labels.

Until 2026-12 the apps were installed as top-level packages whose app labels were their bare names
(`accounts`, `training`, `certificates`, `workshops`), which clashes with any host site that has an
app of its own called `accounts`. They are now `peerpath.accounts` and so on, labelled
`peerpath_accounts`. A database made before then records the old labels in three places: the
migration history, the content types (which Wagtail pages, permissions and audit entries point at by
id) and the table names. `relabel_legacy_apps` moves all three to the new labels, in one transaction,
before `migrate` plans anything (`peerpath/management/commands/migrate.py`), so that the migration
history matches and no row, id or permission is lost.

It does nothing on a new database, on one already upgraded, or for an old label that an installed
app still uses (a host site's own `accounts` app keeps its history and tables).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

# Old label -> new label.
LEGACY_LABELS = {
    "accounts": "peerpath_accounts",
    "organisations": "peerpath_organisations",
    "training": "peerpath_training",
    "certificates": "peerpath_certificates",
    "workshops": "peerpath_workshops",
}


def _tables(config, old_label):
    """(model, old table, new table) for every table of the app, many-to-many tables included."""
    new_prefix, old_prefix = f"{config.label}_", f"{old_label}_"
    for model in config.get_models(include_auto_created=True):
        options = model._meta
        if options.proxy or not options.managed:
            continue
        table = options.db_table
        if table.startswith(new_prefix):
            yield model, old_prefix + table[len(new_prefix) :], table


def legacy_labels_to_move(connection):
    """The (old, new) label pairs this database still records under the old label."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    recorded = set(recorder.migration_qs.values_list("app", flat=True).distinct())
    installed = {config.label for config in apps.get_app_configs()}
    pairs = []
    for old, new in LEGACY_LABELS.items():
        if old in installed or new not in installed:
            continue  # a host app owns the old label, or this app is not installed here
        if old in recorded and new not in recorded:
            pairs.append((old, new))
    return pairs


def relabel_legacy_apps(using="default", stdout=None):
    """Move migration history, content types and tables from the old labels to the new ones."""
    connection = connections[using]
    pairs = legacy_labels_to_move(connection)
    if not pairs:
        return []
    existing = set(connection.introspection.table_names())
    recorder = MigrationRecorder(connection)
    with connection.schema_editor() as editor:
        for old, new in pairs:
            config = apps.get_app_config(new)
            for model, old_table, new_table in _tables(config, old):
                if old_table in existing and new_table not in existing:
                    editor.alter_db_table(model, old_table, new_table)
            recorder.migration_qs.filter(app=old).update(app=new)
            taken = set(
                ContentType.objects.using(using)
                .filter(app_label=new)
                .values_list("model", flat=True)
            )
            ContentType.objects.using(using).filter(app_label=old).exclude(model__in=taken).update(
                app_label=new
            )
            if stdout is not None:
                stdout.write(f"  Moved the app label {old!r} to {new!r} (history, types, tables).")
    ContentType.objects.clear_cache()
    return pairs

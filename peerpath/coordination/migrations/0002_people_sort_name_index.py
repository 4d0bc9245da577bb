"""An index for the People list's default order (coordination/people.py `memberships()`: the
member's name, lower-cased, as "first last username"). Without it a superuser's first page sorts
every account: 236 ms with 100,000 learners on PostgreSQL, 2 ms with it (bench/coordination.py,
bench/results/coordination-2026-12-03.md).

The expression is the SQL Django writes for that annotation on PostgreSQL, byte for byte: the
planner uses an expression index only for the same expression, so a change to the annotation
needs a new index. PostgreSQL only; SQLite sites sort a few accounts and go without.
"""

from django.conf import settings
from django.db import migrations

INDEX = "coordination_user_sort_name"
EXPRESSION = (
    """LOWER(TRIM((COALESCE("first_name", '') || COALESCE((COALESCE(' ', '') || """
    """COALESCE((COALESCE("last_name", '') || COALESCE((COALESCE(' ', '') || """
    """COALESCE("username", '')), '')), '')), ''))))"""
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "{table}" ({EXPRESSION})')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("peerpath_coordination", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

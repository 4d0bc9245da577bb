"""Organisations set up before sessions existed: their editors' groups get the session permissions
new organisations get at set-up (`peerpath.meetings.permissions.STAFF_PERMISSIONS`).

A new app's permission rows are made after migrations run (post_migrate), so this migration
makes the ones it needs itself, as Django's own `create_permissions` would name them.
"""

from django.db import migrations

STAFF_PERMISSIONS = {
    "session": ("session", ["add", "change", "view", "delete"]),
    "sessionseries": ("series of sessions", ["add", "change", "view"]),
}


def grant(apps, schema_editor):
    Organisation = apps.get_model("peerpath_organisations", "Organisation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    groups = [o.editors_group for o in Organisation.objects.exclude(editors_group=None)]
    if not groups:
        return
    permissions = []
    for model, (verbose_name, actions) in STAFF_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="peerpath_meetings", model=model
        )
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            permissions.append(permission)
    for group in groups:
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("peerpath_meetings", "0001_initial"),
        ("peerpath_organisations", "0002_organisation_time_zone"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

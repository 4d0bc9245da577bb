"""Organisations set up before coordinators and safeguarding leads existed: their new groups
(made by organisations' migration 0004) get what new organisations' groups get at set-up
(`peerpath.meetings.permissions`): coordinators the editors' session and safeguarding
permissions, safeguarding leads the concerns, debriefs and signposting lists to read.

Permission rows may not exist yet on a fresh database (they are made after migrations run, by
post_migrate), so this migration makes the ones it needs, as Django's `create_permissions` would
name them. The lists are frozen here, as a migration's must be.
"""

from django.db import migrations

VERBOSE_NAMES = {
    "session": "session",
    "sessionseries": "series of sessions",
    "signpostingcategory": "signposting category",
    "localservice": "local service",
    "safeguardingconcern": "safeguarding concern",
    "debrief": "debrief",
    "feedbackresponse": "feedback response",
}
COORDINATOR_PERMISSIONS = {
    "session": ["add", "change", "view", "delete"],
    "sessionseries": ["add", "change", "view"],
    "signpostingcategory": ["add", "change", "view"],
    "localservice": ["add", "change", "view", "delete"],
    "safeguardingconcern": ["view", "change"],
    "debrief": ["view"],
    "feedbackresponse": ["view", "change"],
}
SAFEGUARDING_PERMISSIONS = {
    "safeguardingconcern": ["view", "change"],
    "debrief": ["view"],
    "signpostingcategory": ["view"],
    "localservice": ["view"],
}


def permissions(apps, by_model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    rows = []
    for model, actions in by_model.items():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="peerpath_meetings", model=model
        )
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {VERBOSE_NAMES[model]}"},
            )
            rows.append(permission)
    return rows


def grant(apps, schema_editor):
    Organisation = apps.get_model("peerpath_organisations", "Organisation")
    organisations = list(
        Organisation.objects.select_related("coordinators_group", "safeguarding_group")
    )
    if not organisations:
        return
    coordinators = permissions(apps, COORDINATOR_PERMISSIONS)
    safeguarding = permissions(apps, SAFEGUARDING_PERMISSIONS)
    for organisation in organisations:
        if organisation.coordinators_group is not None:
            organisation.coordinators_group.permissions.add(*coordinators)
        if organisation.safeguarding_group is not None:
            organisation.safeguarding_group.permissions.add(*safeguarding)


class Migration(migrations.Migration):
    dependencies = [
        ("peerpath_meetings", "0004_quality_defaults_for_existing_organisations"),
        ("peerpath_organisations", "0004_role_groups_for_existing_organisations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

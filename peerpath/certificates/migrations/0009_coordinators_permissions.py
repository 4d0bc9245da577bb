"""Organisations set up before coordinators existed: their coordinators' groups (made by
organisations' migration 0004) get what new organisations' coordinators get at set-up
(`peerpath.certificates.role_permissions`): certificates to view, verify and award, the training
screens about learners to view, and the organisation's memberships.

Permission rows may not exist yet on a fresh database (they are made after migrations run, by
post_migrate), so this migration makes the ones it needs, as Django's `create_permissions` would
name them. The list is frozen here, as a migration's must be.
"""

from django.db import migrations

#: (app label, model, codename, name)
COORDINATOR_PERMISSIONS = (
    ("peerpath_certificates", "certificate", "view_certificate", "Can view certificate"),
    ("peerpath_certificates", "certificate", "verify_certificate", "Can verify certificates"),
    (
        "peerpath_certificates",
        "certificate",
        "award_certificate",
        "Can award certificates on recognition of prior learning",
    ),
    (
        "peerpath_training",
        "supervisorassignment",
        "view_supervisorassignment",
        "Can view supervisor assignment",
    ),
    (
        "peerpath_training",
        "continuingeducationactivity",
        "view_continuingeducationactivity",
        "Can view continuing-education activity",
    ),
    (
        "peerpath_organisations",
        "organisationmembership",
        "add_organisationmembership",
        "Can add organisation membership",
    ),
    (
        "peerpath_organisations",
        "organisationmembership",
        "view_organisationmembership",
        "Can view organisation membership",
    ),
    (
        "peerpath_organisations",
        "organisationmembership",
        "delete_organisationmembership",
        "Can delete organisation membership",
    ),
)


def grant(apps, schema_editor):
    Organisation = apps.get_model("peerpath_organisations", "Organisation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    groups = [
        organisation.coordinators_group
        for organisation in Organisation.objects.exclude(coordinators_group=None).select_related(
            "coordinators_group"
        )
    ]
    if not groups:
        return
    permissions = []
    for app_label, model, codename, name in COORDINATOR_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions.append(permission)
    for group in groups:
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("peerpath_certificates", "0008_alter_certificate_options_priorlearningaward"),
        ("peerpath_organisations", "0004_role_groups_for_existing_organisations"),
        ("peerpath_training", "0010_programmepage_organisations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

"""Existing organisations get their coordinators' and safeguarding leads' groups, with admin
access, named as `roles.GROUP_NAMES` names them. What other apps grant each role comes with their
own migrations and with the next `set_up_organisation` (saving the organisation, or `load_demo`)."""

from django.db import migrations

NAMES = {
    "coordinators_group": "%(name)s coordinators",
    "safeguarding_group": "%(name)s safeguarding leads",
}


def add_role_groups(apps, schema_editor):
    Organisation = apps.get_model("peerpath_organisations", "Organisation")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for organisation in Organisation.objects.all():
        for field, name in NAMES.items():
            if getattr(organisation, f"{field}_id") is not None:
                continue
            group, _created = Group.objects.get_or_create(name=name % {"name": organisation.name})
            if access_admin is not None:
                group.permissions.add(access_admin)
            setattr(organisation, field, group)
            organisation.save(update_fields=[field])


class Migration(migrations.Migration):
    dependencies = [
        ("peerpath_organisations", "0003_role_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(add_role_groups, migrations.RunPython.noop)]

"""What organisations set up before debriefs existed need: the usual signposting categories, the
staff permissions new organisations get at set-up (`peerpath.meetings.permissions`), and a feedback
code of its own for each existing session (adding the column gave them all the same one).

A new model's permission rows are made after migrations run (post_migrate), so this migration
makes the ones it needs itself, as Django's own `create_permissions` would name them.
"""

import secrets

from django.db import migrations

CATEGORIES = ("Crisis line", "GP or mental-health team", "Other local service")
STAFF_PERMISSIONS = {
    "signpostingcategory": ("signposting category", ["add", "change", "view"]),
    "localservice": ("local service", ["add", "change", "view", "delete"]),
    "safeguardingconcern": ("safeguarding concern", ["view", "change"]),
    "debrief": ("debrief", ["view"]),
    "feedbackresponse": ("feedback response", ["view", "change"]),
}
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def set_up(apps, schema_editor):
    Organisation = apps.get_model("peerpath_organisations", "Organisation")
    SignpostingCategory = apps.get_model("peerpath_meetings", "SignpostingCategory")
    Session = apps.get_model("peerpath_meetings", "Session")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")

    for organisation in Organisation.objects.all():
        if not SignpostingCategory.objects.filter(organisation=organisation).exists():
            SignpostingCategory.objects.bulk_create(
                SignpostingCategory(organisation=organisation, name=name, sort_order=order)
                for order, name in enumerate(CATEGORIES, start=1)
            )

    for session in Session.objects.only("pk"):
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        Session.objects.filter(pk=session.pk).update(feedback_code=code)

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
        ("peerpath_meetings", "0003_debriefs_feedback_record"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(set_up, migrations.RunPython.noop)]

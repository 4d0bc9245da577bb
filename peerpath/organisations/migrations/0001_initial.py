"""Organisations move out of the workshops app into their own, keeping every row and id.

The state gains `Organisation` and `OrganisationMembership` here (workshops 0004 then repoints its
index page's foreign key and drops its own copies from the state only). The database keeps the same
tables, renamed from `workshops_*` to `organisations_*` with the schema editor, and the same
content types, relabelled, so that permissions, audit entries, search entries and Wagtail's
reference index stay attached.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

#: (model, old tables, new table). A database made before the apps' labels were namespaced
#: (peerpath/upgrade.py) still has the first old name; one made since, the second.
TABLES = [
    (
        "organisation",
        ["workshops_organisation", "peerpath_workshops_organisation"],
        "peerpath_organisations_organisation",
    ),
    (
        "organisationmembership",
        ["workshops_organisationmembership", "peerpath_workshops_organisationmembership"],
        "peerpath_organisations_organisationmembership",
    ),
]


def _rename_tables(apps, schema_editor, forwards):
    existing = set(schema_editor.connection.introspection.table_names())
    for model_name, olds, new in TABLES:
        model = apps.get_model("peerpath_workshops", model_name)
        if forwards:
            old = next(table for table in olds if table in existing)
            schema_editor.alter_db_table(model, old, new)
        else:
            schema_editor.alter_db_table(model, new, olds[-1])


def _relabel_content_types(apps, schema_editor, old_label, new_label):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    manager = content_type_model.objects.db_manager(schema_editor.connection.alias)
    for model_name, _old, _new in TABLES:
        if manager.filter(app_label=new_label, model=model_name).exists():
            continue
        manager.filter(app_label=old_label, model=model_name).update(app_label=new_label)
    content_type_model.objects.clear_cache()


def move_to_organisations(apps, schema_editor):
    _rename_tables(apps, schema_editor, forwards=True)
    _relabel_content_types(apps, schema_editor, "peerpath_workshops", "peerpath_organisations")


def move_back_to_workshops(apps, schema_editor):
    _relabel_content_types(apps, schema_editor, "peerpath_organisations", "peerpath_workshops")
    _rename_tables(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("peerpath_workshops", "0003_materials_duplicates_checked_in_form"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Organisation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(max_length=120, unique=True, verbose_name="name"),
                        ),
                        (
                            "slug",
                            models.SlugField(
                                help_text="Used in the address of the organisation's workshops, e.g. 'riverside'.",
                                max_length=60,
                                unique=True,
                                verbose_name="slug",
                            ),
                        ),
                        ("website", models.URLField(blank=True, verbose_name="website")),
                        (
                            "about",
                            models.TextField(blank=True, max_length=1000, verbose_name="about"),
                        ),
                        (
                            "safeguarding_contact_name",
                            models.CharField(
                                help_text="The person or role to contact with a safeguarding concern.",
                                max_length=120,
                                verbose_name="safeguarding lead",
                            ),
                        ),
                        (
                            "safeguarding_email",
                            models.EmailField(
                                blank=True, max_length=254, verbose_name="safeguarding e-mail"
                            ),
                        ),
                        (
                            "safeguarding_phone",
                            models.CharField(
                                blank=True, max_length=40, verbose_name="safeguarding phone"
                            ),
                        ),
                        (
                            "collection",
                            models.OneToOneField(
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="workshop_organisation",
                                to="wagtailcore.collection",
                            ),
                        ),
                        (
                            "editors_group",
                            models.OneToOneField(
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="workshop_organisation",
                                to="auth.group",
                            ),
                        ),
                        (
                            "facilitator_collection",
                            models.OneToOneField(
                                editable=False,
                                help_text="Documents here are facilitator-only, even before a workshop links to them.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="facilitator_organisation",
                                to="wagtailcore.collection",
                            ),
                        ),
                        (
                            "logo",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="wagtailimages.image",
                                verbose_name="logo",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "organisation",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="OrganisationMembership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "added_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="added at"
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="peerpath_organisations.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="organisation_memberships",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="learner",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "organisation membership",
                        "verbose_name_plural": "organisation memberships",
                        "ordering": ["organisation__name", "-added_at"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="organisation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("safeguarding_email", ""), ("safeguarding_phone", ""), _negated=True
                        ),
                        name="organisation_safeguarding_reachable",
                        violation_error_message="Give a safeguarding e-mail address or phone number.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="organisationmembership",
                    constraint=models.UniqueConstraint(
                        fields=("user", "organisation"),
                        name="one_membership_per_user_and_organisation",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(move_to_organisations, move_back_to_workshops),
            ],
        ),
    ]

"""Organisation and OrganisationMembership now live in the organisations app (organisations 0001).

The index page's foreign key points there; this app's copies leave the migration state only.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("peerpath_organisations", "0001_initial"),
        ("peerpath_workshops", "0003_materials_duplicates_checked_in_form"),
    ]

    # State only: the tables and content types moved in organisations 0001, rows and ids kept.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="organisationmembership",
                    name="organisation",
                ),
                migrations.AlterField(
                    model_name="workshopindexpage",
                    name="organisation",
                    field=models.OneToOneField(
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="index_page",
                        to="peerpath_organisations.organisation",
                    ),
                ),
                migrations.RemoveField(
                    model_name="organisationmembership",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="Organisation",
                ),
                migrations.DeleteModel(
                    name="OrganisationMembership",
                ),
            ],
            database_operations=[],
        ),
    ]

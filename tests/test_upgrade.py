"""A database with today's demo loaded upgrades cleanly to this code, and nobody's standing changes.

The old code is the last commit before the apps were namespaced and reshaped (issue 15). It is
checked out with `git archive`, migrated and given the demo with its own `manage.py`, using this
suite's virtual environment (the dependencies did not change), into a SQLite file. This code's
`migrate` then upgrades that same file (moving the old app labels, `peerpath/upgrade.py`, and
running the new migrations), and the standing of every demo person is read again: each
certificate's status, each enrolment's progress, each organisation's members, and the permissions
of each group (which hang on content types that moved app).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The last commit before the apps moved into `peerpath.*` with namespaced labels.
BEFORE = "ce3bd13"

SNAPSHOT = """
import json
from django.apps import apps
from django.contrib.auth.models import Group

def model(*labels):
    for label in labels:
        for config in apps.get_app_configs():
            if config.label == label[0]:
                return config.get_model(label[1])
    raise LookupError(labels)

Certificate = model(("peerpath_certificates", "Certificate"), ("certificates", "Certificate"))
Enrolment = model(("peerpath_training", "Enrolment"), ("training", "Enrolment"))
Membership = model(
    ("peerpath_organisations", "OrganisationMembership"),
    ("workshops", "OrganisationMembership"),
)
certificates = sorted(
    [c.holder.email, c.number, str(c.status), str(c.issued_at), str(c.expires_on)]
    for c in Certificate.objects.select_related("holder")
)
enrolments = sorted(
    [e.user.email, e.programme.title, e.completed_at is not None, e.percent_complete,
     e.required_done, e.required_total]
    for e in Enrolment.objects.select_related("user", "programme")
)
members = sorted(
    [m.user.email, m.organisation.name] for m in Membership.objects.select_related("user", "organisation")
)
# Sessions came after the old code: its permissions are compared separately.
groups = {
    g.name: sorted(
        f"{p.content_type.model}.{p.codename}"
        for p in g.permissions.exclude(content_type__app_label="peerpath_meetings")
    )
    for g in Group.objects.all()
}
session_staff = sorted(
    Group.objects.filter(permissions__codename="add_session").values_list("name", flat=True)
)
print("SNAPSHOT" + json.dumps(
    {"certificates": certificates, "enrolments": enrolments, "members": members, "groups": groups,
     "session_staff": session_staff}
))
"""


def manage(tree, *args, database):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        TASKS_BACKEND="",
        REDIS_URL="",
        PYTHONPATH=str(tree),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def snapshot(tree, database):
    out = manage(tree, "shell", "-c", SNAPSHOT, database=database)
    return json.loads(out.split("SNAPSHOT", 1)[1])


@pytest.mark.slow
def test_a_database_with_the_demo_upgrades_and_every_demo_persons_standing_is_unchanged(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "archive", BEFORE], cwd=ROOT, capture_output=True, check=False, timeout=120
    )
    if archive.returncode:
        pytest.skip(f"commit {BEFORE} is not in this clone's history (a shallow clone?)")
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    database = tmp_path / "upgrade.sqlite3"

    manage(old, "migrate", "--noinput", database=database)
    manage(old, "load_demo", database=database)
    before = snapshot(old, database)
    assert len(before["certificates"]) >= 10 and len(before["groups"]) >= 2

    out = manage(ROOT, "migrate", "--noinput", database=database)
    assert "Moved the app label 'training' to 'peerpath_training'" in out
    manage(ROOT, "migrate", "--check", database=database)
    after = snapshot(ROOT, database)

    # Every organisation's staff may now run its sessions (the sessions app's data migration), and
    # each organisation has gained a group for each staff role (the organisations' migration):
    # its coordinators also run sessions.
    assert before.pop("session_staff") == []
    editors = sorted(name for name in before["groups"] if name.endswith(" editors"))
    assert after.pop("session_staff") == sorted(
        [*editors, *(name.replace(" editors", " coordinators") for name in editors)]
    )
    new_groups = sorted(set(after["groups"]) - set(before["groups"]))
    assert new_groups == sorted(
        name.replace(" editors", f" {role}")
        for name in editors
        for role in ("coordinators", "safeguarding leads")
    )
    after["groups"] = {name: after["groups"][name] for name in before["groups"]}
    assert after == before
    # The demo loads again over the upgraded database without creating anything twice; what it
    # adds is the organisations' facilitators awarded on prior learning, nobody else's.
    manage(ROOT, "load_demo", database=database)
    certificates = snapshot(ROOT, database)["certificates"]
    added = [c for c in certificates if c not in before["certificates"]]
    assert [c for c in before["certificates"] if c not in certificates] == []
    assert added and {c[0].split("@")[1] for c in added} == {
        "riverside.example",
        "northside.example",
    }

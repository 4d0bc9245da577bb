"""Property-based fuzzing of the screens organisations run their people with (issue 18): the
People list and its actions, cohorts and the coach view with its nudges, invitations (one, an
upload, its preview, re-send, withdraw, the public join page), awards on prior learning (one, an
upload, its preview), the impact report with its downloads, and staff roles.

The same two properties as `test_fuzz.py`, for every request Hypothesis makes up: never a server
error (500), and input the site refuses changes nothing, here including the coordination rows
(cohorts and their members, invitations with their links' nonces, awards, memberships, the
world's users' roles). Requests whose every id is made up, or another organisation's, must change
nothing even when the site answers with a redirect. The world is `test_fuzz`'s, extended with
`test_access_organisations.extend`; each example runs in a savepoint rolled back after it, so
every example starts from the same world.
"""

import csv
import datetime
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from peerpath.certificates.models import Certificate, PriorLearningAward
from peerpath.coordination import invitations
from peerpath.coordination.models import Cohort, CohortMember, Invitation
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.roles import Role
from peerpath.training.models import Enrolment
from tests.security.test_access_organisations import extend
from tests.security.test_fuzz import (
    BIG_INT,
    EMAILISH,
    FUZZ,
    TEXT,
    accepted,
    as_user,
    path_segment,
)
from tests.security.test_fuzz import snapshot as base_snapshot
from tests.security.world import shared_world

User = get_user_model()

QUICK = settings(FUZZ, max_examples=15)
SLOW = settings(FUZZ, max_examples=5)  # WeasyPrint renders each PDF

COORDINATORS = st.sampled_from(["coordinator", "admin"])


def integer(value):
    """True for text a database lookup would read as a number (" 3", "٣"): maybe a real id."""
    try:
        int(value)
    except ValueError:
        return False
    return True


# Made-up ids: none is a row of the world (its ids are small), so requests with only these must
# change nothing.
JUNK_ID = st.one_of(st.just(0), st.integers(min_value=10**6, max_value=2**70))
IDS = st.one_of(JUNK_ID.map(str), TEXT.filter(lambda value: not integer(value)), st.just("-1"))
# Dates as people type them, and as attackers do: out of range, far past and future, not dates.
DATES = st.one_of(
    TEXT,
    st.dates().map(datetime.date.isoformat),
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "9999-12-01",
            "9999-10-01",
            "0001-12-31",
            "10000-01-01",
            "2026-13-01",
            "2026-02-29",
            "31/12/2026",
            "1/1/10000",
            "-2026-01-01",
            "2026-1-1",
        ]
    ),
)
FORMULAS = st.sampled_from(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", '=HYPERLINK("x")'])
CELL = st.one_of(TEXT, FORMULAS, st.emails().map(str), st.just("x" * 20_000))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_world(django_db_blocker) as world:
        with django_db_blocker.unblock():
            world = extend(world)
            world.other_invitation = invitations.invite(
                world.other_organisation, "b@example.org", by=world.other_coordinator
            )
            yield world


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.PEERPATH_INVITATION_RATE_LIMIT = (10**9, 60)


def snapshot(world):
    """`test_fuzz`'s snapshot and the rows of coordination."""
    users = [
        world.learner,
        world.other_learner,
        world.coordinator,
        world.other_coordinator,
        world.safeguarding_lead,
        world.other_safeguarding_lead,
        world.editor,
        world.other_editor,
        world.admin,
    ]
    rows = {
        "cohorts": Cohort.objects.order_by("pk").values_list(
            "organisation", "name", "starts_on", "target_on", "notes", "archived_at"
        ),
        "cohort programmes": Cohort.programmes.through.objects.order_by("pk").values_list(
            "cohort", "programmepage"
        ),
        "cohort members": CohortMember.objects.order_by("pk").values_list(
            "cohort", "user", "last_nudged_at"
        ),
        "invitations": Invitation.objects.order_by("pk").values_list(
            "organisation",
            "cohort",
            "email",
            "name",
            "nonce",
            "sent_at",
            "send_count",
            "expires_at",
            "accepted_at",
            "accepted_by",
            "revoked_at",
            "revoked_by",
        ),
        "awards": PriorLearningAward.objects.order_by("pk").values_list(
            "certificate", "organisation", "evidence_note", "evidence_file"
        ),
        "memberships": OrganisationMembership.objects.order_by("pk").values_list(
            "user", "organisation"
        ),
        "roles": User.groups.through.objects.filter(user__in=users)
        .order_by("pk")
        .values_list("user", "group"),
        "certificates": Certificate.objects.order_by("pk").values_list("holder", "number"),
        "enrolments": Enrolment.objects.order_by("pk").values_list("pk"),
    }
    return base_snapshot(world), {name: list(values) for name, values in rows.items()}


def check(world, send, *, refused=False, accepted_if=accepted):
    """Send one generated request inside a savepoint rolled back afterwards; assert no 500, and
    no change unless the site accepted it (`accepted_if`). `refused`: the request holds only
    made-up or another organisation's ids, so nothing may change whatever the answer."""
    with transaction.atomic():
        before = snapshot(world)
        response = send()
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code < 500, response.status_code
        if refused or not accepted_if(response):
            assert snapshot(world) == before, response.status_code
        transaction.set_rollback(True)
    return response


def org_id(world, which):
    return {
        "a": world.organisation.pk,
        "b": world.other_organisation.pk,
    }.get(which, which)


ORGS = st.one_of(st.sampled_from(["a", "b"]), IDS)


# --- People -------------------------------------------------------------------------------------


@QUICK
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "q": TEXT,
            "organisation": ORGS,
            "state": st.one_of(TEXT, st.sampled_from(["not_started", "certified", "expired"])),
            "cohort": st.one_of(st.sampled_from(["cohort", "other_cohort"]), IDS),
            "programme": st.one_of(st.just("programme"), IDS),
            "sort": st.one_of(TEXT, st.sampled_from(["name", "-name", "activity", "-activity"])),
            "p": st.one_of(TEXT, BIG_INT.map(str)),
            "page": TEXT,
            "export": st.one_of(TEXT, st.sampled_from(["csv", "xlsx"])),
        },
    ),
    who=COORDINATORS,
)
def test_people_list(db, world, params, who):
    params = {key: resolve(world, value) for key, value in params.items()}
    url = reverse("coordination_people:index")
    response = check(world, lambda: as_user(world.user(who)).get(url, params), refused=True)
    assert response.status_code == 200, response.status_code


def resolve(world, value):
    """A world's object named by a strategy ("cohort", "a"...) as its id; anything else as is."""
    named = {
        "a": world.organisation,
        "b": world.other_organisation,
        "cohort": world.cohort,
        "other_cohort": world.other_cohort,
        "programme": world.programme,
        "invitation": world.invitation,
        "membership": world.membership,
        "cohort_member": world.cohort_member,
    }
    if isinstance(value, str) and value in named:
        return str(named[value].pk)
    return value


def other_membership(world):
    return OrganisationMembership.objects.get(user=world.other_learner)


@QUICK
@given(
    membership=st.one_of(st.sampled_from(["mine", "other"]), JUNK_ID),
    method=st.sampled_from(["get", "post"]),
)
def test_removing_a_member(db, world, membership, method):
    pk = {"mine": world.membership.pk, "other": other_membership(world).pk}.get(
        membership, membership
    )
    url = f"/admin/coordination/people/{pk}/remove/"
    response = check(
        world,
        lambda: getattr(as_user(world.coordinator), method)(url),
        refused=membership != "mine" or method == "get",
    )
    if membership == "other":
        assert response.status_code == 404


@QUICK
@given(
    cohort=st.one_of(st.sampled_from(["cohort", "other_cohort"]), IDS),
    selected=st.lists(st.one_of(st.sampled_from(["membership", "other"]), IDS), max_size=4),
)
def test_adding_people_to_a_cohort(db, world, cohort, selected):
    ids = [
        str(other_membership(world).pk) if value == "other" else resolve(world, value)
        for value in selected
    ]
    data = {"cohort": resolve(world, cohort), "selected": ids}
    url = reverse("coordination_people:add_to_cohort")
    # Only A's member into A's cohort may change anything; B's cohort is a 404.
    mine = cohort == "cohort" and "membership" in selected
    response = check(world, lambda: as_user(world.coordinator).post(url, data), refused=not mine)
    if cohort == "other_cohort":
        assert response.status_code == 404


# --- Cohorts and the coach view -----------------------------------------------------------------


@QUICK
@given(
    cohort=st.one_of(st.none(), st.sampled_from(["cohort", "other_cohort"]), JUNK_ID),
    data=st.fixed_dictionaries(
        {
            "organisation": ORGS,
            "name": st.one_of(TEXT, st.just("Riverside autumn")),
            "programmes": st.lists(st.one_of(st.just("programme"), IDS), max_size=3),
            "starts_on": DATES,
            "target_on": DATES,
            "notes": st.one_of(TEXT, st.just("n" * 20_000)),
        }
    ),
    who=COORDINATORS,
)
def test_cohort_form(db, world, cohort, data, who):
    data = {
        "organisation": resolve(world, data["organisation"]),
        "programmes": [resolve(world, value) for value in data["programmes"]],
        **{key: data[key] for key in ("name", "starts_on", "target_on", "notes")},
    }
    if cohort is None:
        url = reverse("coordination_cohorts:add")
    else:
        url = f"/admin/coordination/cohorts/{resolve(world, cohort)}/edit/"
    foreign = who == "coordinator" and (
        cohort == "other_cohort" or (cohort is None and data["organisation"] == "b")
    )
    response = check(
        world,
        lambda: as_user(world.user(who)).post(url, data),
        refused=foreign or cohort not in (None, "cohort", "other_cohort"),
    )
    if who == "coordinator" and cohort == "other_cohort":
        assert response.status_code == 404


@QUICK
@given(
    action=st.sampled_from(["add", "remove", "archive"]),
    cohort=st.one_of(st.sampled_from(["cohort", "other_cohort"]), JUNK_ID),
    users=st.lists(st.one_of(st.sampled_from(["learner", "other_learner"]), IDS), max_size=3),
    member=st.one_of(st.just("cohort_member"), JUNK_ID),
)
def test_cohort_members(db, world, action, cohort, users, member):
    pk = resolve(world, cohort)
    base = f"/admin/coordination/cohorts/{pk}/"
    if action == "add":
        ids = [
            str(getattr(world, value).pk) if value in ("learner", "other_learner") else value
            for value in users
        ]
        url, data = base + "members/", {"user": ids}
    elif action == "remove":
        url, data = base + f"members/{resolve(world, member)}/remove/", {}
    else:
        url, data = base + "archive/", {}
    # The learner is in A's cohort already; B's learner is not A's member: adding changes nothing.
    mine = cohort == "cohort" and (
        action == "archive" or (action == "remove" and member == "cohort_member")
    )
    response = check(world, lambda: as_user(world.coordinator).post(url, data), refused=not mine)
    if cohort == "other_cohort":
        assert response.status_code == 404


@QUICK
@given(
    cohort=st.one_of(st.sampled_from(["cohort", "other_cohort"]), JUNK_ID),
    params=st.fixed_dictionaries(
        {},
        optional={
            "inactive_days": st.one_of(IDS, st.sampled_from(["7", "14", "30", "-1", "0"])),
            "only_stuck": st.one_of(TEXT, st.sampled_from(["on", "true", "1"])),
            "sort": st.one_of(TEXT, st.sampled_from(["name", "progress", "activity", "stuck"])),
            "q": TEXT,
            "archived": TEXT,
            "p": TEXT,
        },
    ),
    view=st.sampled_from(["coach", "members", "edit", "archive", "index"]),
    who=COORDINATORS,
)
def test_coach_view_and_cohort_pages(db, world, cohort, params, view, who):
    if view == "index":
        url = reverse("coordination_cohorts:index")
    else:
        url = f"/admin/coordination/cohorts/{resolve(world, cohort)}/"
        url += "" if view == "coach" else f"{view}/"
    response = check(world, lambda: as_user(world.user(who)).get(url, params), refused=True)
    assert response.status_code in (200, 404), response.status_code


def nudged(response):
    """A nudge is sent when the page shows its outcome (it answers 200, not a redirect)."""
    context = getattr(response, "context", None)
    return accepted(response) or bool(context and context.get("outcome"))


@QUICK
@given(
    cohort=st.one_of(st.sampled_from(["cohort", "other_cohort"]), JUNK_ID),
    data=st.fixed_dictionaries(
        {},
        optional={
            "member": st.lists(st.one_of(st.just("cohort_member"), IDS), max_size=3),
            "only": st.one_of(st.just("cohort_member"), IDS),
            "who": st.one_of(TEXT, st.just("stuck")),
            "note": st.one_of(TEXT, st.just("n" * 501), st.just("x" * 20_000)),
            "send": st.one_of(TEXT, st.just("1")),
        },
    ),
)
def test_nudging(db, world, cohort, data):
    data = {
        key: [resolve(world, v) for v in value]
        if isinstance(value, list)
        else resolve(world, value)
        for key, value in data.items()
    }
    url = f"/admin/coordination/cohorts/{resolve(world, cohort)}/nudge/"
    response = check(
        world,
        lambda: as_user(world.coordinator).post(url, data),
        refused=cohort != "cohort",
        accepted_if=nudged,
    )
    if cohort == "other_cohort":
        assert response.status_code == 404


# --- Invitations --------------------------------------------------------------------------------


@QUICK
@given(
    organisation=ORGS,
    email=st.one_of(EMAILISH, st.sampled_from(["new.volunteer@example.org", "LEARNER@x.org"])),
    name=st.one_of(TEXT, st.just("n" * 1000)),
    cohort=st.one_of(st.just(""), st.sampled_from(["cohort", "other_cohort"]), IDS),
    who=COORDINATORS,
)
def test_inviting_someone(db, world, organisation, email, name, cohort, who):
    data = {
        "organisation": resolve(world, organisation),
        "email": email,
        "name": name,
        "cohort": resolve(world, cohort),
    }
    url = reverse("coordination_invitations:invite")
    foreign = who == "coordinator" and "b" in (organisation,) or cohort == "other_cohort"
    check(world, lambda: as_user(world.user(who)).post(url, data), refused=foreign)


def csv_bytes(headers, rows):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(headers)
    writer.writerows(rows)
    return output.getvalue().encode("utf-8", "surrogatepass")


def xlsx_bytes(headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in [headers, *rows]:
        # openpyxl refuses control characters in a cell: a real spreadsheet cannot hold them.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def garbage_zip(payload):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", payload)
        archive.writestr("xl/workbook.xml", payload)
    return output.getvalue()


def upload_files(columns):
    """Files a coordinator might upload, or an attacker: random bytes, CSVs and XLSX files with
    the right or random headers and nasty cells, broken XLSX archives."""
    headers = st.lists(st.one_of(st.sampled_from(columns), TEXT), min_size=1, max_size=6)
    rows = st.lists(st.lists(CELL, max_size=6), max_size=5)
    names = st.one_of(st.sampled_from(["list.csv", "list.xlsx", "list.CSV", "list", "x.pdf"]), TEXT)
    return st.one_of(
        st.tuples(names, st.binary(max_size=2000)),
        st.tuples(st.sampled_from(["list.csv", "list.txt"]), st.builds(csv_bytes, headers, rows)),
        st.tuples(st.just("list.xlsx"), st.builds(xlsx_bytes, headers, rows)),
        st.tuples(
            st.sampled_from(["list.xlsx", "list.csv"]),
            st.one_of(
                st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
                st.binary(max_size=500).map(garbage_zip),
            ),
        ),
    )


def uploaded(name, content):
    return SimpleUploadedFile(name.replace("\x00", "") or "file", content)


@QUICK
@given(file=upload_files(["name", "email", "cohort", "e-mail"]), organisation=ORGS)
def test_uploading_a_list_of_invitations(db, world, file, organisation):
    url = reverse("coordination_invitations:upload")
    data = {"organisation": resolve(world, organisation), "file": uploaded(*file)}
    response = check(world, lambda: as_user(world.coordinator).post(url, data), refused=True)
    assert response.status_code in (200, 400), response.status_code


def management(total):
    return st.one_of(IDS, st.just(str(total)), st.sampled_from(["1001", "-1", "1e3", "0"]))


def preview_data(row_fields, action):
    """The preview formset's POST: random management form values, organisation and rows."""

    @st.composite
    def build(draw):
        rows = draw(st.lists(st.fixed_dictionaries(row_fields), max_size=4))
        data = {
            "form-TOTAL_FORMS": draw(management(len(rows))),
            "form-INITIAL_FORMS": draw(management(len(rows))),
            "form-MIN_NUM_FORMS": draw(st.one_of(st.just("0"), IDS)),
            "form-MAX_NUM_FORMS": draw(st.one_of(st.just("1000"), IDS)),
            "organisation": draw(ORGS),
        }
        if draw(st.booleans()):
            data[action] = draw(st.one_of(st.just("1"), TEXT))
        for number, row in enumerate(rows):
            for key, value in row.items():
                data[f"form-{number}-{key}"] = value
        return data

    return build()


@QUICK
@given(
    data=preview_data(
        {
            "line": IDS,
            "name": TEXT,
            "email": st.one_of(EMAILISH, st.just("new.volunteer@example.org")),
            "cohort": st.one_of(TEXT, st.sampled_from(["Riverside autumn", "Northside autumn"])),
            "skip": st.one_of(TEXT, st.sampled_from(["", "on"])),
        },
        "send",
    ),
)
def test_the_invitations_preview(db, world, data):
    data["organisation"] = resolve(world, data["organisation"])
    url = reverse("coordination_invitations:upload")
    foreign = data["organisation"] != str(world.organisation.pk)
    response = check(world, lambda: as_user(world.coordinator).post(url, data), refused=foreign)
    if foreign:
        assert not accepted(response), response.status_code


@QUICK
@given(
    action=st.sampled_from(["resend", "revoke", "bulk"]),
    invitation=st.one_of(st.just("invitation"), JUNK_ID),
    selected=st.lists(IDS, max_size=4),
    bulk_action=st.one_of(TEXT, st.sampled_from(["resend", "revoke"])),
    next_url=st.one_of(TEXT, st.sampled_from(["https://evil.example/", "//evil.example", "/"])),
)
def test_resending_and_withdrawing_invitations(
    db, world, action, invitation, selected, bulk_action, next_url
):
    """With made-up ids (and B's invitation) only: nothing may change, whatever the answer."""
    other = world.other_invitation
    ids = [*selected, str(other.pk)]
    if action == "bulk":
        url = reverse("coordination_invitations:bulk")
        data = {"selected": ids, "action": bulk_action, "next": next_url}
    else:
        pk = other.pk if invitation == "invitation" else invitation
        url = f"/admin/coordination/invitations/{pk}/{action}/"
        data = {"next": next_url}
    response = check(world, lambda: as_user(world.coordinator).post(url, data), refused=True)
    assert "evil.example" not in response.get("Location", "")


def tampered(token, junk):
    return token[: max(0, len(token) - len(junk))] + junk


@QUICK
@given(
    token=st.one_of(st.just("valid"), st.just("tampered"), TEXT),
    junk=st.text(alphabet="abcXYZ019:-_", min_size=1, max_size=4),
    data=st.fixed_dictionaries(
        {},
        optional={
            "certificate_name": TEXT,
            "email": st.one_of(EMAILISH, st.just("attacker@example.org")),
            "password1": st.one_of(TEXT, st.just("a long enough pass phrase 42")),
            "password2": st.one_of(TEXT, st.just("a long enough pass phrase 42")),
            "consent": st.one_of(TEXT, st.just("on")),
        },
    ),
    who=st.sampled_from(["anonymous", "other_learner"]),
)
def test_the_join_page(db, world, token, junk, data, who):
    valid = world.invitation_token
    token = {"valid": valid, "tampered": tampered(valid, junk)}.get(token, token)
    url = reverse("coordination:accept", args=["x"])[: -len("x/")] + path_segment(token) + "/"
    check(
        world,
        lambda: as_user(world.user(who)).post(url, data),
        refused=token != valid,
        accepted_if=joined_as_invited,
    )


def joined_as_invited(response):
    """Whoever joined, joined with the invited address, never one typed into the form."""
    if accepted(response):
        assert not User.objects.filter(email__iexact="attacker@example.org").exists()
        return True
    return False


# --- Awards on prior learning -------------------------------------------------------------------

EVIDENCE = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(["scan.pdf", "scan.png", "scan.jpg", "scan.exe", "scan"]),
        st.binary(max_size=2000),
    ),
    st.tuples(st.just("scan.pdf"), st.binary(max_size=500).map(lambda b: b"%PDF-1.4\n" + b)),
    st.tuples(st.just("scan.png"), st.binary(max_size=500).map(lambda b: b"\x89PNG\r\n\x1a\n" + b)),
)


@QUICK
@given(
    organisation=st.one_of(st.just(""), ORGS),
    email=st.one_of(EMAILISH, st.sampled_from(["veteran@example.org", "learner", "other_learner"])),
    programme=st.one_of(st.just("programme"), IDS),
    issued=DATES,
    expires=st.one_of(st.just(""), DATES),
    note=st.one_of(TEXT, st.just("n" * 20_000)),
    evidence=EVIDENCE,
    who=COORDINATORS,
)
def test_awarding_one_certificate(
    db, world, organisation, email, programme, issued, expires, note, evidence, who
):
    if email in ("learner", "other_learner"):
        email = world.user(email).email
    data = {
        "organisation": resolve(world, organisation),
        "email": email,
        "programme": resolve(world, programme),
        "original_issued_on": issued,
        "expires_on": expires,
        "evidence_note": note,
    }
    if evidence is not None:
        data["evidence_file"] = uploaded(*evidence)
    url = reverse("coordination_awards:award")
    foreign = who == "coordinator" and organisation in ("b", "")
    check(world, lambda: as_user(world.user(who)).post(url, data), refused=foreign)


AWARD_COLUMNS = ["email", "programme", "issued_on", "expires_on", "evidence"]


@QUICK
@given(file=upload_files(AWARD_COLUMNS), organisation=ORGS, who=COORDINATORS)
def test_uploading_a_list_of_awards(db, world, file, organisation, who):
    url = reverse("coordination_awards:upload")
    data = {"organisation": resolve(world, organisation), "file": uploaded(*file)}
    response = check(world, lambda: as_user(world.user(who)).post(url, data), refused=True)
    assert response.status_code in (200, 400), response.status_code


@QUICK
@given(
    data=preview_data(
        {
            "line": IDS,
            "email": st.one_of(EMAILISH, st.sampled_from(["veteran@example.org"])),
            "programme": st.one_of(TEXT, st.just("Peer Support Foundations")),
            "issued_on": DATES,
            "expires_on": DATES,
            "evidence": CELL,
            "skip": st.one_of(TEXT, st.sampled_from(["", "on"])),
        },
        "award",
    ),
    who=COORDINATORS,
)
def test_the_awards_preview(db, world, data, who):
    data["organisation"] = resolve(world, data["organisation"])
    url = reverse("coordination_awards:upload")
    foreign = who == "coordinator" and data["organisation"] != str(world.organisation.pk)
    check(world, lambda: as_user(world.user(who)).post(url, data), refused=foreign)


@QUICK
@given(
    params=st.fixed_dictionaries(
        {}, optional={"q": TEXT, "organisation": ORGS, "p": st.one_of(TEXT, BIG_INT.map(str))}
    ),
    who=COORDINATORS,
)
def test_the_awards_list(db, world, params, who):
    params = {key: resolve(world, value) for key, value in params.items()}
    url = reverse("coordination_awards:index")
    response = check(world, lambda: as_user(world.user(who)).get(url, params), refused=True)
    assert response.status_code == 200, response.status_code


# --- The impact report --------------------------------------------------------------------------

PERIOD = st.fixed_dictionaries(
    {},
    optional={
        "period": st.one_of(TEXT, st.sampled_from(["month", "quarter", "year", "custom"])),
        "anchor": DATES,
        "start": DATES,
        "end": DATES,
        "organisation": ORGS,
    },
)


def impact_url(world, view, organisation):
    if view == "index":
        return reverse("coordination_impact:index")
    return f"/admin/coordination/impact/{resolve(world, organisation)}/" + (
        "" if view == "report" else f"{view}/"
    )


@QUICK
@given(
    params=PERIOD,
    view=st.sampled_from(["index", "report", "xlsx"]),
    organisation=st.one_of(st.sampled_from(["a", "b"]), JUNK_ID),
    who=COORDINATORS,
)
def test_the_impact_report(db, world, params, view, organisation, who):
    params = {key: resolve(world, value) for key, value in params.items()}
    url = impact_url(world, view, organisation)
    response = check(world, lambda: as_user(world.user(who)).get(url, params), refused=True)
    if who == "coordinator" and organisation == "b" and view != "index":
        assert response.status_code == 404


@SLOW
@given(params=PERIOD)
def test_the_impact_report_as_pdf(db, world, params):
    url = impact_url(world, "pdf", "a")
    check(world, lambda: as_user(world.coordinator).get(url, params), refused=True)


# --- Staff roles --------------------------------------------------------------------------------

ROLE = st.one_of(TEXT, st.sampled_from([role.value for role in Role]))
PEOPLE = ["learner", "other_learner", "coordinator", "other_coordinator", "safeguarding_lead"]


@QUICK
@given(
    organisation=st.one_of(st.sampled_from(["a", "b"]), JUNK_ID),
    email=st.one_of(EMAILISH, st.sampled_from(PEOPLE)),
    role=ROLE,
    who=COORDINATORS,
)
def test_giving_a_role(db, world, organisation, email, role, who):
    if email in PEOPLE:
        email = world.user(email).email.upper()
    url = f"/admin/organisations/{resolve(world, organisation)}/roles/"
    foreign = who == "coordinator" and organisation != "a"
    response = check(
        world,
        lambda: as_user(world.user(who)).post(url, {"email": email, "role": role}),
        refused=foreign,
    )
    if foreign:
        assert response.status_code == 404


@QUICK
@given(
    organisation=st.one_of(st.sampled_from(["a", "b"]), JUNK_ID),
    role=ROLE,
    account=st.one_of(st.sampled_from(PEOPLE), JUNK_ID),
    method=st.sampled_from(["get", "post"]),
    who=COORDINATORS,
)
def test_removing_a_role(db, world, organisation, role, account, method, who):
    pk = world.user(account).pk if account in PEOPLE else account
    url = (
        f"/admin/organisations/{resolve(world, organisation)}/roles/"
        f"{path_segment(role)}/{pk}/remove/"
    )
    foreign = who == "coordinator" and organisation != "a"
    response = check(
        world,
        lambda: getattr(as_user(world.user(who)), method)(url),
        refused=foreign or method == "get" or account not in PEOPLE,
    )
    if foreign:
        assert response.status_code == 404

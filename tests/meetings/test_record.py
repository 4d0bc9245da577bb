"""The facilitation record that others confirm: a debrief makes each facilitator's entry, awaiting
confirmation; a co-facilitator confirms their own part (and so the lead's); staff of the session's
organisation confirm or query; nobody confirms their own lead entry; certification counts
confirmed entries (and self-reported ones only where a programme allows)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerpath.certificates.issuing import issue_for_completion
from peerpath.certificates.models import Certificate, CertificateStatus
from peerpath.meetings import record
from peerpath.meetings.models import SessionRecord
from peerpath.training import requirements
from peerpath.training.models import Enrolment, ProgrammeRequirement
from peerpath.workshops.choices import Confirmation, LogRole
from peerpath.workshops.models import FacilitationLogEntry
from peerpath.workshops.privacy import export_personal_data
from tests.certificates.factories import make_programme

from .debrief_fixtures import *  # noqa: F403 - the fixtures: an ended session and its roster
from .debrief_fixtures import HOUR, file
from .factories import make_booking, make_facilitator, make_session, put_on_roster

pytestmark = pytest.mark.django_db

RECORD_URL = "/groups/record/"
STAFF_URL = "/admin/meetings/record/"
Kind = ProgrammeRequirement.Kind
Stage = ProgrammeRequirement.Stage


def confirm_url(entry):
    return reverse("meetings:record_confirm", args=[entry.pk])


def dispute_url(entry):
    return reverse("meetings:record_dispute", args=[entry.pk])


def staff_confirm_url(entry):
    return reverse("meetings_record:confirm", args=[entry.pk])


def staff_query_url(entry):
    return reverse("meetings_record:query", args=[entry.pk])


def entries_of(session):
    """{facilitator: entry} for the entries made from `session`, fresh from the database."""
    return {
        entry.facilitator: entry
        for entry in FacilitationLogEntry.objects.filter(session_record__session=session)
    }


def state(entry):
    entry.refresh_from_db()
    return entry.confirmation, entry.confirmed_by, entry.query_note


@pytest.fixture
def filed(ended, facilitator):
    """`ended`, with its debrief filed by its lead: an entry each, awaiting confirmation."""
    file(ended, facilitator)
    return ended


@pytest.fixture
def lead_entry(filed, facilitator):
    return entries_of(filed)[facilitator]


@pytest.fixture
def co_entry(filed, co_facilitator):
    return entries_of(filed)[co_facilitator]


def self_reported(user, **fields):
    fields.setdefault("minutes", 60)
    return FacilitationLogEntry.objects.create(
        facilitator=user,
        workshop_title="A group in the library",
        date=timezone.localdate(),
        participants=5,
        **fields,
    )


# --- Entries made from a debrief ---------------------------------------------------------------


def test_a_debrief_makes_an_entry_for_the_lead_and_the_co_facilitator_awaiting_confirmation(
    filed, facilitator, co_facilitator, organisation
):
    entries = entries_of(filed)
    assert entries[facilitator].role == LogRole.LEAD
    assert entries[co_facilitator].role == LogRole.CO
    for entry in entries.values():
        assert entry.confirmation == Confirmation.AWAITING
        assert entry.session_record.organisation == organisation
    assert list(record.awaiting_my_confirmation(co_facilitator)) == [entries[co_facilitator]]
    assert list(record.awaiting_my_confirmation(facilitator)) == []


def test_the_co_facilitator_is_asked_by_e_mail_to_confirm_their_part(
    ended, facilitator, co_facilitator
):
    debrief = file(ended, facilitator)
    entries = FacilitationLogEntry.objects.filter(session_record__session=debrief.session)
    mail.outbox.clear()
    record.entries_made(list(entries))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [co_facilitator.email]
    assert "Please confirm your part: Weekly peer support group" == message.subject
    assert "http://" in message.body and RECORD_URL in message.body
    assert "Hello Priya," in message.body


def test_no_e_mail_once_the_part_is_confirmed_or_for_a_self_reported_entry(
    co_entry, co_facilitator
):
    record.confirm_part(co_facilitator, co_entry)
    mail.outbox.clear()
    record.entries_made([co_entry, self_reported(co_facilitator, role=LogRole.CO)])
    assert mail.outbox == []


# --- The co-facilitator confirms their part ---------------------------------------------------


def test_the_co_facilitator_confirms_their_part_and_so_the_leads(
    client, lead_entry, co_entry, co_facilitator
):
    client.force_login(co_facilitator)
    page = client.get(RECORD_URL).content.decode()
    assert "Your part to confirm" in page and confirm_url(co_entry) in page

    response = client.post(confirm_url(co_entry))

    assert response.status_code == 302 and response.url == RECORD_URL
    assert state(co_entry) == (Confirmation.CONFIRMED, co_facilitator, "")
    assert state(lead_entry) == (Confirmation.CONFIRMED, co_facilitator, "")
    assert co_entry.confirmed_at is not None
    page = client.get(RECORD_URL).content.decode()
    assert "is confirmed and now counts" in page
    assert "Nothing to confirm." in page


def test_confirming_does_not_touch_a_lead_entry_staff_queried(
    lead_entry, co_entry, co_facilitator, editor
):
    record.staff_query(editor, lead_entry, "The session started an hour late: check the length.")
    record.confirm_part(co_facilitator, co_entry)
    assert state(lead_entry)[0] == Confirmation.QUERIED


def test_confirming_someone_elses_entry_is_not_found_and_changes_nothing(
    client, lead_entry, co_entry, co_facilitator, facilitator, organisation, programme
):
    another = make_facilitator(organisation, programme)
    client.force_login(another)
    assert client.post(confirm_url(co_entry)).status_code == 404
    client.force_login(co_facilitator)
    assert client.post(confirm_url(lead_entry)).status_code == 404
    assert state(co_entry) == (Confirmation.AWAITING, None, "")
    assert state(lead_entry) == (Confirmation.AWAITING, None, "")
    with pytest.raises(record.RecordRefused) as refused:
        record.confirm_part(co_facilitator, lead_entry)
    assert refused.value.code == "not_found"


def test_the_lead_cannot_confirm_their_own_entry(client, lead_entry, facilitator):
    client.force_login(facilitator)
    response = client.post(confirm_url(lead_entry))
    assert response.status_code == 403
    assert "someone else confirms it" in response.content.decode()
    assert state(lead_entry) == (Confirmation.AWAITING, None, "")


def test_confirming_twice_says_it_is_already_confirmed(client, co_entry, co_facilitator):
    client.force_login(co_facilitator)
    client.post(confirm_url(co_entry))
    confirmed_at = FacilitationLogEntry.objects.get(pk=co_entry.pk).confirmed_at
    response = client.post(confirm_url(co_entry))
    assert response.status_code == 409
    assert "already confirmed" in response.content.decode()
    assert FacilitationLogEntry.objects.get(pk=co_entry.pk).confirmed_at == confirmed_at


def test_a_self_reported_entry_cannot_be_confirmed(client, co_facilitator):
    entry = self_reported(co_facilitator, role=LogRole.CO)
    client.force_login(co_facilitator)
    response = client.post(confirm_url(entry))
    assert response.status_code == 400
    assert "recorded yourself" in response.content.decode()
    assert state(entry) == (Confirmation.SELF_REPORTED, None, "")


# --- "This is not right" ------------------------------------------------------------------------


def test_the_co_facilitator_says_it_is_not_right_and_staff_settle_it(
    client, co_entry, lead_entry, co_facilitator, editor
):
    client.force_login(co_facilitator)
    assert client.get(dispute_url(co_entry)).status_code == 200
    response = client.post(dispute_url(co_entry), {"note": "  I was off sick that week.  "})
    assert response.status_code == 302
    assert state(co_entry) == (Confirmation.QUERIED, None, "I was off sick that week.")
    assert state(lead_entry)[0] == Confirmation.AWAITING
    page = client.get(RECORD_URL).content.decode()
    assert "I was off sick that week." in page
    # Only staff settle a query: confirming one's part now is refused.
    assert client.post(confirm_url(co_entry)).status_code == 409
    assert state(co_entry)[0] == Confirmation.QUERIED
    record.staff_confirm(editor, co_entry)
    assert state(co_entry) == (Confirmation.CONFIRMED, editor, "")


@pytest.mark.parametrize(
    ("note", "message"), [("   ", "This field is required"), ("x" * 501, "at most 500")]
)
def test_a_dispute_needs_a_short_note(client, co_entry, co_facilitator, note, message):
    client.force_login(co_facilitator)
    response = client.post(dispute_url(co_entry), {"note": note})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state(co_entry) == (Confirmation.AWAITING, None, "")


def test_disputes_of_others_entries_are_not_found_and_self_reported_ones_refused(
    client, lead_entry, co_facilitator
):
    client.force_login(co_facilitator)
    assert client.get(dispute_url(lead_entry)).status_code == 404
    assert client.post(dispute_url(lead_entry), {"note": "No"}).status_code == 404
    mine = self_reported(co_facilitator)
    assert client.post(dispute_url(mine), {"note": "Wrong"}).status_code == 400
    assert state(lead_entry)[0] == Confirmation.AWAITING
    assert state(mine)[0] == Confirmation.SELF_REPORTED


# --- Staff -------------------------------------------------------------------------------------


def test_staff_confirm_an_entry_of_their_organisation(client, lead_entry, editor, facilitator):
    client.force_login(editor)
    page = client.get(STAFF_URL).content.decode()
    assert facilitator.get_full_name() in page and staff_confirm_url(lead_entry) in page
    response = client.post(staff_confirm_url(lead_entry), {"status": "awaiting"})
    assert response.status_code == 302 and response.url == f"{STAFF_URL}?status=awaiting"
    assert state(lead_entry) == (Confirmation.CONFIRMED, editor, "")


def test_staff_query_an_entry_which_then_stops_counting_until_confirmed(
    client, co_entry, co_facilitator, editor, programme
):
    requirement = ProgrammeRequirement.objects.create(
        programme=programme, stage=Stage.RENEWAL, kind=Kind.SESSIONS, minimum=Decimal(1)
    )
    record.confirm_part(co_facilitator, co_entry)
    assert counted(co_facilitator, programme, requirement) == 1
    client.force_login(editor)
    assert client.get(staff_query_url(co_entry)).status_code == 200
    response = client.post(staff_query_url(co_entry), {"note": "Was this the Tuesday group?"})
    assert response.status_code == 302
    assert state(co_entry) == (Confirmation.QUERIED, None, "Was this the Tuesday group?")
    assert counted(co_facilitator, programme, requirement) == 0
    client.force_login(co_facilitator)
    page = client.get(RECORD_URL).content.decode()
    assert "Queried" in page and "Was this the Tuesday group?" in page
    client.force_login(editor)
    client.post(staff_confirm_url(co_entry))
    assert state(co_entry) == (Confirmation.CONFIRMED, editor, "")
    assert counted(co_facilitator, programme, requirement) == 1


def test_a_staff_query_needs_a_short_note(client, co_entry, editor):
    client.force_login(editor)
    assert client.post(staff_query_url(co_entry), {"note": ""}).status_code == 200
    assert client.post(staff_query_url(co_entry), {"note": "x" * 501}).status_code == 200
    assert state(co_entry) == (Confirmation.AWAITING, None, "")
    with pytest.raises(record.RecordRefused) as refused:
        record.staff_query(editor, co_entry, " ")
    assert refused.value.code == "invalid"


def test_staff_of_another_organisation_get_404_and_change_nothing(client, lead_entry, other_editor):
    client.force_login(other_editor)
    assert lead_entry.facilitator.get_full_name() not in client.get(STAFF_URL).content.decode()
    assert client.post(staff_confirm_url(lead_entry)).status_code == 404
    assert client.get(staff_query_url(lead_entry)).status_code == 404
    assert client.post(staff_query_url(lead_entry), {"note": "Hmm"}).status_code == 404
    assert state(lead_entry) == (Confirmation.AWAITING, None, "")
    with pytest.raises(record.RecordRefused) as refused:
        record.staff_confirm(other_editor, lead_entry)
    assert refused.value.code == "not_found"


def test_staff_never_confirm_their_own_entry(client, workshop, editor, organisation, programme):
    """A coordinator who also led a session waits for a colleague or a co-facilitator."""
    session = make_session(workshop, starts_at=timezone.now() - 3 * HOUR)
    put_on_roster(session, editor, "lead")
    make_booking(session, attended=True)
    file(session, editor, attendance=1)
    entry = FacilitationLogEntry.objects.get(facilitator=editor)
    client.force_login(editor)
    assert "Your own entry" in client.get(STAFF_URL).content.decode()
    client.post(staff_confirm_url(entry))
    assert state(entry) == (Confirmation.AWAITING, None, "")
    with pytest.raises(record.RecordRefused) as refused:
        record.staff_query(editor, entry, "Mine")
    assert refused.value.code == "own"


def test_self_reported_entries_are_not_in_the_staff_record(client, editor, facilitator):
    entry = self_reported(facilitator)
    assert not record.entries_for_staff(editor).filter(pk=entry.pk).exists()
    client.force_login(editor)
    assert client.post(staff_confirm_url(entry)).status_code == 404


def test_the_staff_record_lists_what_awaits_first_and_filters_by_status(
    client, filed, co_entry, lead_entry, co_facilitator, editor
):
    record.staff_confirm(editor, lead_entry)
    assert list(record.entries_for_staff(editor)) == [co_entry, lead_entry]
    client.force_login(editor)
    page = client.get(STAFF_URL, {"status": "confirmed"}).context["page_obj"]
    assert list(page.object_list) == [lead_entry]


def test_only_organisation_staff_open_the_staff_record(client, user, facilitator):
    client.force_login(user)  # no admin access
    assert client.get(STAFF_URL).status_code in (302, 403)
    client.force_login(facilitator)
    assert client.get(STAFF_URL).status_code in (302, 403)
    assert not record.can_use_staff_record(facilitator)


# --- Counting ---------------------------------------------------------------------------------


def counted(user, programme, requirement, period=requirements.EVER):
    (item,) = requirements.measure(user.pk, programme.pk, [requirement], period)
    return item.done


def test_self_reported_entries_count_only_where_the_requirement_allows(
    co_entry, co_facilitator, programme
):
    strict = ProgrammeRequirement.objects.create(
        programme=programme, stage=Stage.RENEWAL, kind=Kind.SESSIONS, minimum=Decimal(2)
    )
    lenient = ProgrammeRequirement.objects.create(
        programme=programme,
        stage=Stage.RENEWAL,
        kind=Kind.SESSIONS,
        minimum=Decimal(2),
        count_self_reported=True,
    )
    self_reported(co_facilitator)
    assert (
        counted(co_facilitator, programme, strict),
        counted(co_facilitator, programme, lenient),
    ) == (0, 1)
    record.confirm_part(co_facilitator, co_entry)
    assert (
        counted(co_facilitator, programme, strict),
        counted(co_facilitator, programme, lenient),
    ) == (1, 2)


def test_a_cpp_requirement_of_3_co_facilitated_sessions_is_met_when_the_third_confirmation_lands(
    client,
    home_page,
    workshop,
    facilitator,
    co_facilitator,
    django_capture_on_commit_callbacks,
):
    """Modelled on a certified peer practitioner: co-facilitate 3 sessions before the provisional
    certificate becomes full."""
    cpp = make_programme(home_page, code="CPP", provisional_validity_months=6)
    ProgrammeRequirement.objects.create(
        programme=cpp,
        stage=Stage.FULL,
        kind=Kind.SESSIONS,
        minimum=Decimal(3),
        session_role=ProgrammeRequirement.SessionRole.CO_FACILITATED,
    )
    Enrolment.objects.create(user=co_facilitator, programme=cpp)
    with django_capture_on_commit_callbacks(execute=True):
        provisional, _created = issue_for_completion(co_facilitator, cpp)
    assert Certificate.objects.with_status().get(pk=provisional.pk).status == (
        CertificateStatus.PROVISIONAL
    )

    sessions = []
    for days_ago in (3, 2, 1):
        session = make_session(workshop, starts_at=timezone.now() - days_ago * 24 * HOUR)
        put_on_roster(session, facilitator, "lead")
        put_on_roster(session, co_facilitator, "co")
        make_booking(session, attended=True)
        with django_capture_on_commit_callbacks(execute=True):
            file(session, facilitator, attendance=1)
        sessions.append(session)
    # Three co-facilitated sessions, none confirmed yet: nothing counts.
    assert not Certificate.objects.filter(supersedes=provisional).exists()

    client.force_login(co_facilitator)
    entries = [entries_of(session)[co_facilitator] for session in sessions]
    for entry in entries[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(confirm_url(entry)).status_code == 302
    assert not Certificate.objects.filter(supersedes=provisional).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm_url(entries[2])).status_code == 302

    full = Certificate.objects.with_status().get(supersedes=provisional)
    assert full.status == CertificateStatus.VALID
    assert full.holder == co_facilitator


# --- The record page --------------------------------------------------------------------------


def test_the_record_page_shows_statuses_and_what_renewal_counts(
    client, co_entry, lead_entry, co_facilitator
):
    self_reported(co_facilitator, minutes=120)
    record.confirm_part(co_facilitator, co_entry)
    client.force_login(co_facilitator)
    response = client.get(RECORD_URL)
    totals = response.context["totals"]
    assert (totals["confirmed_sessions"], totals["confirmed_hours"]) == (1, 1.5)
    assert (totals["self_reported_sessions"], totals["self_reported_hours"]) == (1, 2.0)
    page = response.content.decode()
    assert "Self-reported" in page and "Confirmed" in page


def test_the_record_page_costs_the_same_for_few_entries_or_many(client, co_entry, co_facilitator):
    client.force_login(co_facilitator)
    client.get(RECORD_URL)  # the site's settings and menus, cached from here on

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RECORD_URL).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(20):
        self_reported(co_facilitator)
    assert queries() == few


def test_the_record_needs_signing_in(client, co_entry):
    assert client.get(RECORD_URL).status_code == 302
    assert client.post(confirm_url(co_entry)).status_code == 302
    assert state(co_entry)[0] == Confirmation.AWAITING


def test_junk_requests_never_give_a_500(client, co_entry, co_facilitator, editor):
    client.force_login(co_facilitator)
    assert client.get(confirm_url(co_entry)).status_code == 405
    assert client.post("/groups/record/99999999999999999999/confirm/").status_code == 404
    assert client.post("/groups/record/0/dispute/", {"note": "x"}).status_code == 404
    assert client.post(dispute_url(co_entry), {"note": ["a", "b"]}).status_code in (302, 400)
    assert client.get(RECORD_URL, {"page": "zz"}).status_code == 200
    assert client.put(RECORD_URL).status_code == 405
    client.force_login(editor)
    assert client.get(staff_confirm_url(co_entry)).status_code == 405
    assert client.post(f"{STAFF_URL}99999999999999999999/confirm/").status_code == 404
    assert (
        client.get(STAFF_URL, {"status": "bogus", "organisation": "abc", "p": "zz"}).status_code
        == 200
    )
    response = client.post(staff_confirm_url(co_entry), {"status": "<script>", "p": "2"})
    assert response.status_code == 302


# --- Privacy ----------------------------------------------------------------------------------


def test_the_export_gives_each_entrys_role_and_confirmation(co_entry, co_facilitator, lead_entry):
    record.confirm_part(co_facilitator, co_entry)
    (entry,) = export_personal_data(co_facilitator)["data"]["facilitation_log"]
    assert entry["role"] == "Co-facilitator"
    assert entry["confirmation"] == "Confirmed"
    assert entry["confirmed_by"] == "you"
    (lead,) = export_personal_data(lead_entry.facilitator)["data"]["facilitation_log"]
    assert (lead["role"], lead["confirmation"], lead["confirmed_by"]) == (
        "Lead facilitator",
        "Confirmed",
        "someone else",
    )


def test_an_entry_outlives_its_session_and_can_still_be_confirmed(
    co_entry, lead_entry, co_facilitator
):
    co_entry.session_record.session.delete()
    record.confirm_part(co_facilitator, co_entry)
    assert state(co_entry)[0] == Confirmation.CONFIRMED
    assert SessionRecord.objects.get(entry=co_entry).session is None
    # Without the session, nothing links the lead's entry to this one: it waits for staff.
    assert state(lead_entry)[0] == Confirmation.AWAITING

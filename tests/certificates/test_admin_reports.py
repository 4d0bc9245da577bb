"""The certification admin: filters, search, exports, bulk revoke, progress report, verification
lookup, dashboard panel, organisation scope, permissions and the audit trail."""

import csv
import datetime
import io
import itertools
from urllib.parse import urlencode

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from bench.seeding import seed_learners
from peerpath.certificates import audit, issuing
from peerpath.certificates.dashboard import CertificationPanel
from peerpath.certificates.models import Certificate, CertificateLogEntry, CertificateStatus
from peerpath.certificates.reports import (
    LearnerState,
    annotate_progress,
    in_state,
)
from peerpath.certificates.status import RENEWAL_WINDOW_DAYS
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.setup import add_editor
from peerpath.training import progress
from peerpath.training.models import Enrolment, ModuleProgress
from tests.factories import UserFactory
from tests.workshops.factories import OrganisationFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

INDEX = "certificates_admin:index"
_numbers = itertools.count(1)


def cert(**fields):
    """A certificate numbered apart from those issuing gives out (PSGF-2026-000001 …)."""
    fields.setdefault("number", f"ADMIN-2026-{next(_numbers):06d}")
    return CertificateFactory(**fields)


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def certificate(user, programme, issue):
    return issue(user, programme)


def log_actions(certificate):
    return list(
        CertificateLogEntry.objects.filter(certificate=certificate)
        .order_by("pk")
        .values_list("action", "user_id", "data")
    )


def content_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def org_staff(organisation, *codenames):
    member = UserFactory()
    add_editor(organisation, member)
    member.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_certificate", *codenames])
    )
    return member


# The audit trail


def test_automatic_issue_is_logged_without_an_actor(certificate):
    assert log_actions(certificate) == [(audit.ISSUE, None, {"reason": "Completed the programme."})]


def test_revocation_is_logged_with_who_and_why(certificate, staff_user):
    issuing.revoke(certificate, staff_user, "Did not complete the placement")
    assert log_actions(certificate)[-1] == (
        audit.REVOKE,
        staff_user.pk,
        {"reason": "Did not complete the placement"},
    )


@pytest.mark.parametrize("action", ["renew", "reissue"])
def test_renewal_and_reissue_are_logged_on_both_certificates(certificate, staff_user, action):
    successor = getattr(issuing, action)(certificate, by=staff_user)
    assert log_actions(certificate)[-1] == (
        f"certificates.{action}",
        staff_user.pk,
        {"successor": successor.number},
    )
    assert log_actions(successor) == [
        (audit.ISSUE, staff_user.pk, {"replaces": certificate.number})
    ]


def test_relinquishment_is_logged_once(certificate):
    issuing.relinquish(certificate, reason="Gave it up")
    issuing.relinquish(certificate, reason="Again")
    assert [a for a, _u, _d in log_actions(certificate)].count(audit.RELINQUISH) == 1


def test_erasure_is_logged_and_the_audit_trail_forgets_the_name(certificate, user):
    from peerpath.certificates.privacy import erase_personal_data

    name = certificate.holder_name
    erase_personal_data(user)
    assert log_actions(certificate)[-1][0] == audit.RELINQUISH
    labels = CertificateLogEntry.objects.filter(certificate=certificate).values_list(
        "label", flat=True
    )
    assert all(name not in label for label in labels)


def test_history_view_shows_the_reason(admin_client, certificate, staff_user):
    issuing.revoke(certificate, staff_user, "Falsified placement hours")
    response = admin_client.get(reverse("certificates_admin:history", args=[certificate.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Revoked" in html
    assert "Reason: <em>Falsified placement hours</em>" in html
    assert "Reason: <em>Completed the programme.</em>" in html


def test_history_view_escapes_the_reason(admin_client, certificate, staff_user):
    issuing.revoke(certificate, staff_user, "<script>alert(1)</script>")
    response = admin_client.get(reverse("certificates_admin:history", args=[certificate.pk]))
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert b"<script>alert(1)" not in response.content


# Listing: search, filters, exports


def test_search_finds_a_code_typed_in_lower_case_without_dashes(admin_client, certificate):
    other = cert()
    response = admin_client.get(reverse(INDEX), {"q": certificate.verification_code.lower()})
    assert certificate.number.encode() in response.content
    assert other.number.encode() not in response.content


def test_search_by_holder_name(admin_client, certificate):
    other = cert(holder_name="Zebedee Quartz")
    response = admin_client.get(reverse(INDEX), {"q": "zebedee"})
    assert other.number.encode() in response.content
    assert certificate.number.encode() not in response.content


def test_filter_expiring_within_days(admin_client):
    from django.utils import timezone

    soon = cert(expires_on=timezone.localdate() + datetime.timedelta(days=10))
    later = cert()
    response = admin_client.get(reverse(INDEX), {"expiring_within": "30"})
    assert soon.number.encode() in response.content
    assert later.number.encode() not in response.content


def test_filter_by_organisation(admin_client):
    organisation = OrganisationFactory()
    inside, outside = cert(), cert()
    OrganisationMembership.objects.create(user=inside.holder, organisation=organisation)
    response = admin_client.get(reverse(INDEX), {"organisation": organisation.pk})
    assert inside.number.encode() in response.content
    assert outside.number.encode() not in response.content


def test_filter_issued_between(admin_client):
    old = cert(issued_at="2020-03-01T10:00Z")
    new = cert()
    response = admin_client.get(
        reverse(INDEX), {"issued_at_after": "2020-01-01", "issued_at_before": "2020-12-31"}
    )
    assert old.number.encode() in response.content
    assert new.number.encode() not in response.content


@pytest.mark.parametrize(
    "params",
    [
        {"status": "sparkly"},
        {"expiring_within": "-5"},
        {"expiring_within": "lots"},
        {"issued_at_after": "31/31/2020"},
        {"organisation": "999999"},
        {"programme": "nope"},
    ],
)
def test_nonsense_filter_values_are_form_errors(admin_client, params):
    response = admin_client.get(reverse(INDEX), params)
    assert response.status_code == 200
    assert b"error" in response.content.lower()


def test_csv_export_lists_the_filtered_certificates(admin_client, certificate, staff_user):
    revoked = cert()
    issuing.revoke(revoked, staff_user, "Reason")
    response = admin_client.get(reverse(INDEX), {"export": "csv", "status": "revoked"})
    text = content_of(response).decode()
    assert text.startswith("Certificate number,"), text[:300]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Certificate number"] for row in rows] == [revoked.number]
    assert rows[0]["Status"] == "Revoked"
    assert rows[0]["Verification code"] == revoked.display_code


def test_xlsx_export_parses_back(admin_client, certificate):
    response = admin_client.get(reverse(INDEX), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    header, *rows = list(sheet.values)
    assert "Certificate number" in header
    numbers = [row[header.index("Certificate number")] for row in rows]
    assert numbers == [certificate.number]
    assert rows[0][header.index("Status")] == "Valid"


# Bulk revoke


def test_bulk_revoke_revokes_all_selected_with_the_reason(admin_client, staff_user):
    first, second, untouched = cert(), cert(), cert()
    url = reverse("certificates_admin:bulk_revoke")
    response = admin_client.get(url, {"id": [first.pk, second.pk]})
    assert first.number.encode() in response.content
    response = admin_client.post(url, {"certificates": [first.pk, second.pk], "reason": "Audit"})
    assert response.status_code == 302
    statuses = dict(Certificate.objects.with_status().values_list("pk", "annotated_status"))
    assert statuses[first.pk] == statuses[second.pk] == CertificateStatus.REVOKED
    assert statuses[untouched.pk] == CertificateStatus.VALID
    assert log_actions(first)[-1] == (audit.REVOKE, staff_user.pk, {"reason": "Audit"})


def test_bulk_revoke_without_a_reason_changes_nothing(admin_client):
    first = cert()
    response = admin_client.post(
        reverse("certificates_admin:bulk_revoke"), {"certificates": [first.pk], "reason": " "}
    )
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert Certificate.objects.get(pk=first.pk).revoked_at is None


def test_bulk_revoke_refuses_already_revoked_and_changes_nothing(admin_client, staff_user):
    done, fresh = cert(), cert()
    issuing.revoke(done, staff_user, "Earlier")
    response = admin_client.post(
        reverse("certificates_admin:bulk_revoke"),
        {"certificates": [done.pk, fresh.pk], "reason": "Again"},
    )
    assert response.status_code == 200
    assert b"Already revoked" in response.content
    assert Certificate.objects.get(pk=fresh.pk).revoked_at is None


@pytest.mark.parametrize("bad_id", ["999999", "abc"])
def test_bulk_revoke_refuses_unknown_ids(admin_client, bad_id):
    fresh = cert()
    response = admin_client.post(
        reverse("certificates_admin:bulk_revoke"),
        {"certificates": [fresh.pk, bad_id], "reason": "x"},
    )
    assert response.status_code == 200
    assert Certificate.objects.get(pk=fresh.pk).revoked_at is None


# Organisation scope and permissions


@pytest.fixture
def two_organisations():
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    mine, foreign = cert(), cert()
    OrganisationMembership.objects.create(user=mine.holder, organisation=ours)
    OrganisationMembership.objects.create(user=foreign.holder, organisation=theirs)
    return ours, mine, foreign


def test_organisation_staff_see_only_their_learners_certificates(client, two_organisations):
    ours, mine, foreign = two_organisations
    client.force_login(org_staff(ours))
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    assert mine.number.encode() in response.content
    assert foreign.number.encode() not in response.content
    response = client.get(reverse(INDEX), {"export": "csv"})
    assert foreign.number.encode() not in content_of(response)


def test_organisation_staff_cannot_open_or_revoke_another_organisations_certificate(
    client, two_organisations
):
    ours, _mine, foreign = two_organisations
    client.force_login(org_staff(ours, "revoke_certificate"))
    assert client.get(reverse("certificates_admin:inspect", args=[foreign.pk])).status_code == 404
    response = client.post(reverse("certificates_admin:revoke", args=[foreign.pk]), {"reason": "x"})
    assert response.status_code == 404
    response = client.post(
        reverse("certificates_admin:bulk_revoke"), {"certificates": [foreign.pk], "reason": "x"}
    )
    assert response.status_code == 200
    assert b"not yours to revoke" in response.content
    assert Certificate.objects.get(pk=foreign.pk).revoked_at is None


def test_revoking_needs_the_revoke_permission(client, two_organisations):
    ours, mine, _foreign = two_organisations
    client.force_login(org_staff(ours))
    response = client.post(reverse("certificates_admin:revoke", args=[mine.pk]), {"reason": "x"})
    assert response.status_code in (302, 403)
    assert Certificate.objects.get(pk=mine.pk).revoked_at is None
    client.force_login(org_staff(ours, "revoke_certificate"))
    response = client.post(reverse("certificates_admin:revoke", args=[mine.pk]), {"reason": "x"})
    assert response.status_code == 302
    assert Certificate.objects.get(pk=mine.pk).revoked_at is not None


def test_the_custom_permissions_exist():
    names = dict(
        Permission.objects.filter(content_type__app_label="peerpath_certificates").values_list(
            "codename", "name"
        )
    )
    assert names["verify_certificate"] == "Can verify certificates"
    assert names["revoke_certificate"] == "Can revoke certificates"


# Verification lookup


def test_verify_lookup_needs_the_verify_permission(client, two_organisations):
    ours, mine, _foreign = two_organisations
    client.force_login(org_staff(ours))
    url = reverse("certificates_admin:verify")
    assert client.get(url, {"code": mine.verification_code}).status_code in (302, 403)


def test_verify_lookup_shows_the_facts_and_the_audit_history(admin_client, certificate, staff_user):
    issuing.revoke(certificate, staff_user, "Reported by the placement host")
    response = admin_client.get(
        reverse("certificates_admin:verify"), {"code": certificate.display_code.lower()}
    )
    assert response.status_code == 200
    for text in (
        certificate.number,
        certificate.holder_name,
        "Revoked",
        "Reported by the placement host",
    ):
        assert text.encode() in response.content


def test_verify_lookup_hides_another_organisations_history(client, two_organisations, staff_user):
    ours, _mine, foreign = two_organisations
    issuing.revoke(foreign, staff_user, "Confidential reason")
    client.force_login(org_staff(ours, "verify_certificate"))
    response = client.get(reverse("certificates_admin:verify"), {"code": foreign.verification_code})
    assert foreign.number.encode() in response.content
    assert b"Confidential reason" not in response.content


@pytest.mark.parametrize("code", ["not-a-code", "X" * 200])
def test_verify_lookup_explains_a_malformed_code(admin_client, code):
    response = admin_client.get(reverse("certificates_admin:verify"), {"code": code})
    assert response.status_code == 200
    assert b"not a verification code" in response.content or b"at most" in response.content


# Learner progress report


@pytest.fixture
def seeded(home_page):
    return seed_learners(20, seed=3)


def test_progress_report_shows_percentages_and_states(admin_client, seeded):
    response = admin_client.get(reverse("certificates_admin:progress"))
    assert response.status_code == 200
    assert b"Learner progress" in response.content
    assert b"of 10" in response.content
    for state in ("certified", "in_progress"):
        response = admin_client.get(reverse("certificates_admin:progress"), {"state": state})
        assert response.status_code == 200


def test_progress_report_exports_csv_and_xlsx(admin_client, seeded):
    response = admin_client.get(reverse("certificates_admin:progress"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(content_of(response).decode())))
    assert len(rows) == 20
    certified = [r for r in rows if r["State"] in ("Certified", "Expiring", "Expired", "Revoked")]
    assert len(certified) == seeded["certificates"]
    assert all(r["% complete"] == "100" for r in certified)
    assert all(r["Required modules"] == "10" for r in rows)
    response = admin_client.get(reverse("certificates_admin:progress"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    assert len(list(sheet.values)) == 21


def test_progress_report_is_scoped_to_the_organisation(client, seeded):
    ours = seeded["organisations"][0]
    client.force_login(org_staff(ours))
    response = client.get(reverse("certificates_admin:progress"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(content_of(response).decode())))
    assert len(rows) == OrganisationMembership.objects.filter(organisation=ours).count()
    assert {r["Organisation"] for r in rows} == {ours.name}


def expected_state(enrolment, today):
    """A learner's state worked out the long way: the latest certificate's status today, else
    what their progress rows say."""
    latest = (
        Certificate.objects.with_status(today)
        .filter(holder=enrolment.user_id, programme=enrolment.programme_id)
        .order_by("-cycle")
        .first()
    )
    status = latest.annotated_status if latest else None
    if status == CertificateStatus.REVOKED:
        return LearnerState.REVOKED
    simple = {
        CertificateStatus.SUSPENDED: LearnerState.SUSPENDED,
        CertificateStatus.EXPIRED: LearnerState.EXPIRED,
        CertificateStatus.LAPSED: LearnerState.LAPSED,
        CertificateStatus.PROVISIONAL: LearnerState.PROVISIONAL,
    }
    if status in simple:
        return simple[status]
    if status == CertificateStatus.VALID:
        expiring_by = today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS)
        if latest.expires_on and latest.expires_on <= expiring_by:
            return LearnerState.EXPIRING
        return LearnerState.CERTIFIED
    if enrolment.completed_at:
        return LearnerState.COMPLETED
    if ModuleProgress.objects.filter(enrolment=enrolment).exists():
        return LearnerState.IN_PROGRESS
    return LearnerState.NOT_STARTED


def assert_states_are_true(today=None):
    """Every enrolment's reported state, and every state filter, match `expected_state`."""
    today = today or timezone.localdate()
    enrolments = Enrolment.objects.order_by("pk")
    expected = {e.pk: expected_state(e, today) for e in enrolments}
    reported = dict(annotate_progress(enrolments, today=today).values_list("pk", "state"))
    assert reported == expected
    for state in LearnerState:
        filtered = set(in_state(enrolments, state, today=today).values_list("pk", flat=True))
        assert filtered == {pk for pk, s in expected.items() if s == state}, state


def assert_summaries_are_true():
    for enrolment in Enrolment.objects.select_related("user", "programme"):
        overview = progress.programme_overview(enrolment.user, enrolment.programme)
        assert (
            enrolment.required_done,
            enrolment.required_total,
            enrolment.percent_complete,
            enrolment.started_at is not None,
        ) == (
            overview.required_done,
            overview.required_total,
            overview.percent,
            ModuleProgress.objects.filter(enrolment=enrolment).exists(),
        )


def test_seeded_summaries_and_states_are_true(seeded):
    assert_summaries_are_true()
    assert_states_are_true()
    states = set(annotate_progress(Enrolment.objects.all()).values_list("state", flat=True))
    assert {LearnerState.CERTIFIED, LearnerState.IN_PROGRESS} <= states


def test_states_stay_true_after_revoke_renew_reissue_and_relinquish(programme, issue, staff_user):
    learners = UserFactory.create_batch(5)
    for learner in learners:
        progress.enrol(learner, programme)
    revoked, renewed, reissued, relinquished = (issue(u, programme) for u in learners[:4])
    assert_states_are_true()
    issuing.revoke(revoked, staff_user, "Audit")
    issuing.renew(renewed, by=staff_user)
    issuing.reissue(reissued, by=staff_user)
    issuing.relinquish(relinquished, reason="Stepped down")
    assert_states_are_true()
    states = dict(annotate_progress(Enrolment.objects.all()).values_list("user_id", "state"))
    assert [states[learner.pk] for learner in learners] == [
        LearnerState.REVOKED,
        LearnerState.CERTIFIED,
        LearnerState.CERTIFIED,
        LearnerState.NOT_STARTED,  # no certificate held, and (here) no progress recorded
        LearnerState.NOT_STARTED,
    ]


def test_states_follow_the_calendar(seeded):
    """Nothing is stored as "expiring" or "expired": the same rows, seen on later days."""
    latest_expiry = max(Certificate.objects.values_list("expires_on", flat=True))
    for days in (0, 30, 61, 365, (latest_expiry - timezone.localdate()).days + 1):
        assert_states_are_true(timezone.localdate() + datetime.timedelta(days=days))
    everyone_expired = latest_expiry + datetime.timedelta(days=1)
    states = set(
        annotate_progress(Enrolment.objects.all(), today=everyone_expired).values_list(
            "state", flat=True
        )
    )
    assert not states & {LearnerState.CERTIFIED, LearnerState.EXPIRING}


def test_progress_report_filters_by_each_state(admin_client, seeded):
    today = timezone.localdate()
    expected = {e.pk: expected_state(e, today) for e in Enrolment.objects.all()}
    for state in LearnerState:
        response = admin_client.get(
            reverse("certificates_admin:progress"), {"state": state.value, "export": "csv"}
        )
        rows = list(csv.DictReader(io.StringIO(content_of(response).decode())))
        assert len(rows) == sum(1 for s in expected.values() if s == state), state
        assert {r["State"] for r in rows} <= {str(state.label)}


def test_progress_csv_export_columns(admin_client, seeded):
    enrolment = Enrolment.objects.select_related("user", "programme").first()
    user = enrolment.user
    user.first_name, user.last_name = "=HYPERLINK(1)", ""
    user.save()
    response = admin_client.get(reverse("certificates_admin:progress"), {"export": "csv"})
    rows = {r["E-mail"]: r for r in csv.DictReader(io.StringIO(content_of(response).decode()))}
    row = rows[user.email]
    assert row["Learner"] == "'=HYPERLINK(1)"  # kept as text, never run as a formula
    assert row["Programme"] == enrolment.programme.title
    assert row["% complete"] == str(enrolment.percent_complete)
    assert row["Required modules completed"] == str(enrolment.required_done)
    assert row["Organisation"] == user.organisation_memberships.get().organisation.name
    assert row["State"] == str(expected_state(enrolment, timezone.localdate()).label)


def test_progress_report_names_learners_without_a_name_by_username(admin_client, seeded):
    user = Enrolment.objects.first().user
    user.first_name = user.last_name = ""
    user.save()
    response = admin_client.get(reverse("certificates_admin:progress"), {"export": "csv"})
    learners = {
        r["E-mail"]: r["Learner"]
        for r in csv.DictReader(io.StringIO(content_of(response).decode()))
    }
    assert learners[user.email] == user.get_username()


def test_progress_report_nonsense_state_is_a_form_error(admin_client, seeded):
    response = admin_client.get(reverse("certificates_admin:progress"), {"state": "bored"})
    assert response.status_code == 200
    assert b"error" in response.content.lower()


# Dashboard panel


def test_dashboard_panel_counts_and_links(admin_client, staff_user, seeded):
    html = CertificationPanel(staff_user).render_html({})
    valid = Certificate.objects.valid().count()
    assert f">{valid}<" in html
    assert "status=revoked" in html and "expiring_within=60" in html
    assert admin_client.get(reverse("wagtailadmin_home")).status_code == 200


def test_dashboard_learners_in_training_match_the_list_it_links_to(
    admin_client, staff_user, seeded
):
    from peerpath.certificates.reports import dashboard_counts
    from peerpath.training import progress
    from peerpath.training.models import Enrolment

    # Enrolled but not started: not "in training" by the report's definition.
    progress.enrol(UserFactory(), Enrolment.objects.first().programme)
    counted = dashboard_counts(staff_user)["in_training"]
    response = admin_client.get(
        reverse("certificates_admin:progress"), {"state": LearnerState.IN_PROGRESS, "export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))[1:]
    assert counted > 0
    assert counted == len({email for _name, email, *_rest in rows})


# Constant query counts


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        content_of(response)
    return len(captured)


LISTINGS = [
    ("certificates_admin:index", {}),
    ("certificates_admin:index", {"status": "valid", "expiring_within": "60"}),
    ("certificates_admin:index", {"export": "csv"}),
    ("certificates_admin:progress", {}),
    *(("certificates_admin:progress", {"state": state.value}) for state in LearnerState),
    ("certificates_admin:progress", {"programme": "1", "last_activity_at_after": "2020-01-01"}),
    ("certificates_admin:progress", {"export": "csv"}),
    ("certificates_admin:progress", {"export": "xlsx"}),
]


@pytest.mark.parametrize(("name", "params"), LISTINGS)
def test_listing_queries_do_not_grow_with_learners(
    admin_client, home_page, name, params, django_assert_num_queries
):
    url = reverse(name) + ("?" + urlencode(params) if params else "")
    # 20 learners hold 12 certificates, enough for every kind (`bench.seeding.CERTIFICATE_KINDS`):
    # each filtered page has rows before and after (an empty page makes one query fewer).
    seed_learners(20, seed=1)
    admin_client.get(url)
    small = _count_queries(admin_client, url)
    seed_learners(40, seed=2)
    with django_assert_num_queries(small):
        response = admin_client.get(url)
        assert response.status_code == 200
        content_of(response)  # a streamed export runs its queries while it is read


def test_dashboard_panel_queries_do_not_grow(staff_user, home_page, django_assert_num_queries):
    seed_learners(3, seed=1)
    with django_assert_num_queries(2):
        CertificationPanel(staff_user).render_html({})
    seed_learners(30, seed=2)
    with django_assert_num_queries(2):
        CertificationPanel(staff_user).render_html({})


def test_bench_seeding_creates_learners_progress_and_certificates(home_page):
    summary = seed_learners(10)
    assert (summary["learners"], summary["progress"], summary["certificates"]) == (10, 120, 6)


@pytest.mark.parametrize("action", ["reissue", "renew"])
def test_a_revoked_certificate_is_not_reissued_or_renewed(
    admin_client, certificate, staff_user, action
):
    issuing.revoke(certificate, staff_user, "Issued in error")
    count, entries = Certificate.objects.count(), len(log_actions(certificate))
    url = reverse(f"certificates_admin:{action}", args=[certificate.pk])
    for method in (admin_client.get, admin_client.post):
        response = method(url, follow=True)
        assert response.redirect_chain == [
            (reverse("certificates_admin:inspect", args=[certificate.pk]), 302)
        ]
        assert b"has been revoked: it cannot be renewed or reissued" in response.content
    assert Certificate.objects.count() == count
    assert len(log_actions(certificate)) == entries


@pytest.mark.parametrize("action", ["reissue", "renew"])
def test_the_issuing_service_refuses_to_replace_a_revoked_certificate(
    certificate, staff_user, action
):
    issuing.revoke(certificate, staff_user, "Issued in error")
    with pytest.raises(issuing.IssuingError, match="revoked certificate cannot be"):
        getattr(issuing, action)(certificate, by=staff_user)
    assert not Certificate.objects.filter(supersedes=certificate).exists()


def test_reissuing_a_replaced_certificate_explains_and_changes_nothing(admin_client, certificate):
    url = reverse("certificates_admin:reissue", args=[certificate.pk])
    assert admin_client.post(url).status_code == 302
    count = Certificate.objects.count()
    response = admin_client.post(url, follow=True)
    assert b"has already been replaced" in response.content
    assert Certificate.objects.count() == count


def test_lifecycle_actions_need_the_right_permission(client, two_organisations):
    ours, mine, _foreign = two_organisations
    client.force_login(org_staff(ours, "revoke_certificate"))
    response = client.post(reverse("certificates_admin:renew", args=[mine.pk]))
    assert response.status_code in (302, 403)
    assert not Certificate.objects.filter(supersedes=mine).exists()

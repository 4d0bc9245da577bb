"""Who gets what: every learner-, facilitator-, organisation- and staff-only URL, requested by
every role. Each cell of the table below is one test, named ``<url>-<role>``.

Outcomes:

- ``OK``: 200, and for a module page the module's own text is shown;
- ``TEASER``: 200, but only what anyone may read (a module page's summary, not its body);
- ``LOGIN``: 302 to the site's log-in page;
- ``DENIED``: 403 (the site's page explaining what unlocks it);
- ``GONE``: 404 (someone else's thing: its existence is not confirmed);
- ``ADMIN_LOGIN``: 302 to the Wagtail admin's log-in (no admin access at all);
- ``ADMIN_DENIED``: 302 to the admin dashboard with "Sorry, you do not have permission" — how
  Wagtail answers a PermissionDenied inside the admin.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.security.world import MODULE_BODY, shared_world

OK, TEASER, LOGIN, DENIED, GONE = "ok", "teaser", "login", "denied", "gone"
ADMIN_LOGIN, ADMIN_DENIED = "admin-login", "admin-denied"

ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "facilitator",
    "other_editor",
    "editor",
    "eraser",
    "admin",
]


def _admin_edit(page_attr):
    return lambda w: ("get", reverse("wagtailadmin_pages:edit", args=[getattr(w, page_attr).pk]))


# url name → (how to request it from the world, expected outcome per role in ROLES order)
MATRIX = {
    "my-training": (
        lambda w: ("get", reverse("training:my_training")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "my-reflections": (
        lambda w: ("get", reverse("training:my_reflections")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "module-of-enrolled-programme": (
        lambda w: ("get", w.reading_module.url),
        # The superuser may edit the programme, so reads the module as its editors do.
        [TEASER, OK, TEASER, TEASER, TEASER, TEASER, TEASER, OK],
    ),
    "knowledge-check-submit": (
        lambda w: ("post", reverse("training:submit_check", args=[w.check_module.pk])),
        [LOGIN, 400, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED],
    ),
    "my-data": (
        lambda w: ("get", reverse("accounts:my_data")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "delete-account": (
        lambda w: ("get", reverse("accounts:delete_account")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "certificate-pdf-of-the-facilitator": (
        lambda w: ("get", reverse("certificates:pdf", args=[w.certificate.display_code])),
        [LOGIN, DENIED, DENIED, OK, DENIED, DENIED, DENIED, OK],
    ),
    # Open Badges: the code is what a holder shares, so anyone may fetch the credential.
    "certificate-credential-jwt": (
        lambda w: (
            "get",
            reverse("certificates:credential_jwt", args=[w.certificate.display_code]),
        ),
        [OK, OK, OK, OK, OK, OK, OK, OK],
    ),
    "certificate-badge-png": (
        lambda w: ("get", reverse("certificates:badge_png", args=[w.certificate.display_code])),
        [OK, OK, OK, OK, OK, OK, OK, OK],
    ),
    "check-a-credential": (
        lambda w: ("get", reverse("certificates:check_credential")),
        [OK, OK, OK, OK, OK, OK, OK, OK],
    ),
    "admin-check-a-credential": (
        lambda w: ("get", reverse("credentials_admin:check")),
        [
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_DENIED,
            ADMIN_DENIED,
            ADMIN_DENIED,
            OK,
        ],
    ),
    "admin-trusted-credential-issuers": (
        lambda w: ("get", reverse("trusted_issuers:index")),
        [
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_DENIED,
            ADMIN_DENIED,
            ADMIN_DENIED,
            OK,
        ],
    ),
    # Only the holder may renew; their programme sets no renewal requirements, so they are
    # sent back to My training with the reason (302), and nothing is issued.
    "certificate-renew-of-the-facilitator": (
        lambda w: ("post", reverse("certificates:renew", args=[w.certificate.display_code])),
        [LOGIN, GONE, GONE, 302, GONE, GONE, GONE, GONE],
    ),
    "facilitator-pack": (
        lambda w: ("get", reverse("workshops:facilitator_pack", args=[w.workshop.pk])),
        [LOGIN, DENIED, DENIED, OK, DENIED, OK, DENIED, OK],
    ),
    "facilitator-document": (
        lambda w: ("get", w.facilitator_document.url),
        [LOGIN, DENIED, DENIED, OK, DENIED, OK, DENIED, OK],
    ),
    "facilitation-log": (
        lambda w: ("get", reverse("workshops:log")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "delete-facilitators-log-entry": (
        lambda w: ("post", reverse("workshops:delete_log_entry", args=[w.log_entry.pk])),
        [LOGIN, GONE, GONE, 302, GONE, GONE, GONE, GONE],
    ),
    "admin-edit-organisation-a-workshop": (
        _admin_edit("workshop"),
        [ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_DENIED, OK, ADMIN_DENIED, OK],
    ),
    "admin-edit-organisation-b-workshop": (
        _admin_edit("other_workshop"),
        [ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "certification-admin-listing": (
        lambda w: ("get", reverse("certificates_admin:index")),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "certification-admin-export": (
        lambda w: ("get", reverse("certificates_admin:index") + "?export=csv"),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "certification-admin-learner-progress": (
        lambda w: ("get", reverse("certificates_admin:progress")),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "certification-admin-revoke": (
        lambda w: ("get", reverse("certificates_admin:revoke", args=[w.certificate.pk])),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "certification-admin-suspend": (
        lambda w: ("get", reverse("certificates_admin:suspend", args=[w.certificate.pk])),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "supervisor-assignments-admin": (
        lambda w: ("get", reverse("supervisor_assignments:index")),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "supervised-practice-log": (
        lambda w: ("get", reverse("training:practice_log", args=[w.programme.pk])),
        [LOGIN, OK, GONE, GONE, GONE, GONE, GONE, GONE],
    ),
    "supervision": (
        lambda w: ("get", reverse("training:supervision")),
        [LOGIN, GONE, GONE, GONE, GONE, GONE, GONE, GONE],
    ),
    "supervision-sign-off": (
        lambda w: ("post", reverse("training:practice_sign_off", args=[1])),
        [LOGIN, GONE, GONE, GONE, GONE, GONE, GONE, GONE],
    ),
    "continuing-education": (
        lambda w: ("get", reverse("training:ce_activities")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "continuing-education-evidence-of-the-learner": (
        lambda w: ("get", reverse("training:ce_evidence", args=[w.ce_activity.pk])),
        # Staff with the "view" permission on activities check renewals: here only the superuser.
        [LOGIN, OK, GONE, GONE, GONE, GONE, GONE, OK],
    ),
    "continuing-education-delete-the-learners-activity": (
        lambda w: ("post", reverse("training:ce_delete", args=[w.ce_activity.pk])),
        [LOGIN, 302, GONE, GONE, GONE, GONE, GONE, GONE],
    ),
    "continuing-education-categories-admin": (
        lambda w: (
            "get",
            reverse("wagtailsnippets_peerpath_training_continuingeducationcategory:list"),
        ),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    "continuing-education-activities-admin": (
        lambda w: ("get", reverse("ce_activities:index")),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK],
    ),
    # Sessions (issue 16). Public: the finder, a session, its calendar; the signed booking link
    # is its own key. The roster, its QR code and completing are for the roster and the
    # organisation's staff; the admin is scoped to each organisation's own sessions.
    "find-a-group": (
        lambda w: ("get", reverse("meetings:finder")),
        [OK] * 8,
    ),
    "session-page": (
        lambda w: ("get", reverse("meetings:session", args=[w.session.pk])),
        [OK] * 8,
    ),
    "session-calendar": (
        lambda w: ("get", reverse("meetings:session_calendar", args=[w.session.pk])),
        [OK] * 8,
    ),
    "booking-page-by-its-signed-link": (
        lambda w: ("get", reverse("meetings:booking", args=[w.booking_token])),
        [OK] * 8,
    ),
    "booking-page-with-a-tampered-link": (
        lambda w: ("get", reverse("meetings:booking", args=[w.booking_token[:-2] + "xx"])),
        [GONE] * 8,
    ),
    "my-sessions": (
        lambda w: ("get", reverse("meetings:mine")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "session-roster": (
        lambda w: ("get", reverse("meetings:roster", args=[w.session.pk])),
        [LOGIN, DENIED, DENIED, OK, DENIED, OK, DENIED, OK],
    ),
    "session-check-in-qr": (
        lambda w: ("get", reverse("meetings:check_in_qr", args=[w.session.pk])),
        [LOGIN, DENIED, DENIED, OK, DENIED, OK, DENIED, OK],
    ),
    "session-check-in": (
        lambda w: ("get", reverse("meetings:check_in", args=[w.session.pk])),
        [OK] * 8,
    ),
    "admin-sessions-listing": (
        lambda w: ("get", reverse("meetings_sessions:index")),
        [ADMIN_LOGIN] * 4 + [OK, OK, ADMIN_DENIED, OK],
    ),
    "admin-edit-organisation-a-session": (
        lambda w: ("get", reverse("meetings_sessions:edit", args=[w.session.pk])),
        [ADMIN_LOGIN] * 4 + [GONE, OK, ADMIN_DENIED, OK],
    ),
    "admin-cancel-organisation-a-session": (
        lambda w: ("get", reverse("meetings_sessions:cancel", args=[w.session.pk])),
        [ADMIN_LOGIN] * 4 + [GONE, OK, ADMIN_DENIED, OK],
    ),
    # Wagtail's inspect view looks the object up (in the user's scope) before it checks the
    # model permission, so staff without any session permission get the same 404 as strangers.
    "admin-inspect-organisation-a-session": (
        lambda w: ("get", reverse("meetings_sessions:inspect", args=[w.session.pk])),
        [ADMIN_LOGIN] * 4 + [GONE, OK, GONE, OK],
    ),
    "admin-series-listing": (
        lambda w: ("get", reverse("meetings_series:index")),
        [ADMIN_LOGIN] * 4 + [OK, OK, ADMIN_DENIED, OK],
    ),
    # After the session (issue 17). The debrief is for those who run the session; the lead files
    # it, the rest of the roster and the organisation's staff read it. A feedback link is its own
    # key, for anyone holding it. A facilitator's record and feedback pages are their own; a log
    # entry is acted on only by its holder (never confirming their own lead entry) and the
    # organisation's staff (in the admin). Concerns, signposting lists, the record, the quality
    # report and comments are admin pages scoped to each organisation.
    "session-debrief": (
        lambda w: ("get", reverse("meetings:debrief", args=[w.past_session.pk])),
        [LOGIN, DENIED, DENIED, OK, DENIED, OK, DENIED, OK],
    ),
    "session-feedback-qr": (
        lambda w: ("get", reverse("meetings:feedback_qr", args=[w.past_session.pk])),
        [LOGIN, DENIED, DENIED, OK, DENIED, OK, DENIED, OK],
    ),
    "feedback-by-its-link": (
        lambda w: ("get", reverse("meetings:feedback", args=[w.feedback_token])),
        [OK] * 8,
    ),
    "feedback-with-a-forged-link": (
        lambda w: ("get", reverse("meetings:feedback", args=[w.feedback_token[:-2] + "xx"])),
        [GONE] * 8,
    ),
    "feedback-walk-in-code": (
        lambda w: ("get", reverse("meetings:feedback_code")),
        [OK] * 8,
    ),
    "my-feedback": (
        lambda w: ("get", reverse("meetings:my_feedback")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "my-facilitation-record": (
        lambda w: ("get", reverse("meetings:record")),
        [LOGIN, OK, OK, OK, OK, OK, OK, OK],
    ),
    "record-confirm-own-lead-entry": (
        lambda w: ("post", reverse("meetings:record_confirm", args=[w.record_entry.pk])),
        [LOGIN, GONE, GONE, DENIED, GONE, GONE, GONE, GONE],
    ),
    "record-dispute-of-the-facilitator": (
        lambda w: ("get", reverse("meetings:record_dispute", args=[w.record_entry.pk])),
        [LOGIN, GONE, GONE, OK, GONE, GONE, GONE, GONE],
    ),
    "admin-safeguarding-concerns": (
        lambda w: ("get", reverse("meetings_concerns:index")),
        [ADMIN_LOGIN] * 4 + [OK, OK, ADMIN_DENIED, OK],
    ),
    "admin-inspect-organisation-a-concern": (
        lambda w: ("get", reverse("meetings_concerns:inspect", args=[w.concern.pk])),
        [ADMIN_LOGIN] * 4 + [GONE, OK, GONE, OK],
    ),
    "admin-edit-organisation-a-concern": (
        lambda w: ("get", reverse("meetings_concerns:edit", args=[w.concern.pk])),
        [ADMIN_LOGIN] * 4 + [GONE, OK, ADMIN_DENIED, OK],
    ),
    "admin-signposting-categories": (
        lambda w: ("get", reverse("meetings_signposting:index")),
        [ADMIN_LOGIN] * 4 + [OK, OK, ADMIN_DENIED, OK],
    ),
    "admin-local-services": (
        lambda w: ("get", reverse("meetings_local_services:index")),
        [ADMIN_LOGIN] * 4 + [OK, OK, ADMIN_DENIED, OK],
    ),
    "admin-facilitation-record": (
        lambda w: ("get", reverse("meetings_record:index")),
        [ADMIN_LOGIN] * 4 + [OK, OK, ADMIN_DENIED, OK],
    ),
    "admin-query-organisation-a-entry": (
        lambda w: ("get", reverse("meetings_record:query", args=[w.record_entry.pk])),
        [ADMIN_LOGIN] * 4 + [GONE, OK, ADMIN_DENIED, OK],
    ),
    "admin-quality-report": (
        lambda w: ("get", reverse("meetings_quality:index")),
        [ADMIN_LOGIN] * 4 + [OK, OK, ADMIN_DENIED, OK],
    ),
    "admin-feedback-comments": (
        lambda w: ("get", reverse("meetings_quality:comments")),
        [ADMIN_LOGIN] * 4 + [OK, OK, ADMIN_DENIED, OK],
    ),
    "admin-release-organisation-a-comment": (
        lambda w: ("post", reverse("meetings_quality:release", args=[w.feedback_comment.pk])),
        [ADMIN_LOGIN] * 4 + [GONE, 302, ADMIN_DENIED, 302],
    ),
    "erasure-admin-search": (
        lambda w: ("get", reverse("accounts_erasure") + "?q=learner"),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, OK, OK],
    ),
    "erasure-admin-erase-learner": (
        lambda w: ("get", reverse("accounts_erase", args=[w.learner.pk])),
        [ADMIN_LOGIN] * 4 + [ADMIN_DENIED, ADMIN_DENIED, OK, OK],
    ),
}


def test_the_joining_link_shows_only_to_the_booked_the_roster_and_the_organisations_staff(
    db, client, world
):
    url = reverse("meetings:session", args=[world.session.pk])
    shown = set()
    for role in ROLES:
        client.logout()
        if world.user(role) is not None:
            client.force_login(world.user(role))
        if world.JOINING_LINK in client.get(url).content.decode():
            shown.add(role)
    assert shown == {"learner", "facilitator", "editor", "admin"}


CELLS = [
    pytest.param(url_name, role, expected[number], id=f"{url_name}-{role}")
    for url_name, (_request, expected) in MATRIX.items()
    for number, role in enumerate(ROLES)
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_world(django_db_blocker) as world:
        yield world


def outcome(response, login_url, admin_login_url, admin_home_url):
    """The table's name for what happened."""
    location = response.get("Location", "")
    if response.status_code == 302:
        if location.startswith(login_url):
            return LOGIN
        if location.startswith(admin_login_url):
            return ADMIN_LOGIN
        if location == admin_home_url:
            return ADMIN_DENIED
        return 302
    return {200: OK, 403: DENIED, 404: GONE}.get(response.status_code, response.status_code)


@pytest.mark.parametrize("url_name, role, expected", CELLS)
def test_access(db, client, world, url_name, role, expected):
    method, url = MATRIX[url_name][0](world)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    got = outcome(
        response,
        reverse(settings.LOGIN_URL),
        reverse("wagtailadmin_login"),
        reverse("wagtailadmin_home"),
    )
    if got == OK and url_name == "module-of-enrolled-programme":
        got = OK if MODULE_BODY in response.content.decode() else TEASER
    assert got == expected, f"{method.upper()} {url} as {role}: {got}, expected {expected}"


def test_the_matrix_covers_every_role_for_every_url():
    assert all(len(expected) == len(ROLES) for _request, expected in MATRIX.values())


def test_no_cell_changed_what_the_next_one_sees(db, world):
    """Each cell runs in its own savepoint: the entry one cell deleted is back for the next."""
    from peerpath.workshops.models import FacilitationLogEntry

    assert FacilitationLogEntry.objects.filter(pk=world.log_entry.pk).exists()


def test_no_cell_deleted_the_evidence_the_next_one_downloads(db, world):
    """Deleting an activity removes its file only once the deletion commits, which a cell's
    savepoint never does: the evidence is still there for the download cells."""
    from django.core.files.storage import storages

    from peerpath.training.models import ContinuingEducationActivity

    assert ContinuingEducationActivity.objects.filter(pk=world.ce_activity.pk).exists()
    assert storages["private"].exists(world.ce_activity.evidence.name)


def test_no_cell_renewed_the_facilitators_certificate(db, world):
    from peerpath.certificates.models import Certificate

    assert not Certificate.objects.filter(supersedes=world.certificate).exists()

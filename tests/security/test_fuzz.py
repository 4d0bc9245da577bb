"""Property-based fuzzing: generated input to every public form and endpoint.

Two properties, for every request Hypothesis makes up:

1. the site never answers with a server error (500); and
2. input the site refuses changes nothing: the rows of every model that holds what people do
   (and the learner's own account fields) are the same before and after.

A request the site accepts (a redirect after a POST, as a successful form does) may change things;
that is what it is for. The world (a programme, a learner, a certified facilitator, two
organisations...) is built once for the module (see `world.py`); each test's changes roll back.
"""

import string
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from peerpath.accounts.models import AccountLogEntry, Consent, Profile
from peerpath.certificates.models import Certificate, CertificateLogEntry
from peerpath.meetings.models import (
    Booking,
    Debrief,
    FeedbackInvitation,
    FeedbackResponse,
    RosterAssignment,
    SafeguardingConcern,
    Session,
    SessionRecord,
)
from peerpath.training.models import (
    Attestation,
    CheckAttempt,
    Enrolment,
    ModuleProgress,
    Reflection,
)
from peerpath.workshops.models import FacilitationLogEntry
from tests.factories import DEFAULT_PASSWORD
from tests.security.world import shared_world

User = get_user_model()

FUZZ = settings(
    max_examples=30,
    deadline=None,
    # The world and the test's transaction are shared by the examples on purpose: each example
    # compares the database before and after itself.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text people (and attackers) type: anything printable or not, very long, markup, SQL, NUL bytes.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "😀" * 50,
        "x" * 5000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00",
        "../../etc/passwd",
        "{{ 7*7 }}",
        "\u202e\u200b",
        "-1",
        "0",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "2026-02-30",
        "null",
        "[]",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=200))
EMAILISH = st.one_of(TEXT, st.emails().map(str))
BIG_INT = st.one_of(
    st.integers(min_value=0, max_value=10), st.integers(min_value=0, max_value=2**70)
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_world(django_db_blocker) as world:
        yield world


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # The rate limits answer 429 long before Hypothesis is done; they have tests of their own.
    settings.PEERPATH_VERIFY_RATE_LIMIT = settings.PEERPATH_HANDOUT_RATE_LIMIT = (10**9, 60)
    settings.PEERPATH_BOOKING_RATE_LIMIT = settings.PEERPATH_CHECK_IN_RATE_LIMIT = (10**9, 60)
    settings.PEERPATH_FEEDBACK_CODE_RATE_LIMIT = (10**9, 60)
    settings.PEERPATH_CREDENTIAL_CHECK_RATE_LIMIT = (10**9, 60)
    settings.PEERPATH_LOGIN_THROTTLE = {"ACCOUNT_FAILURES": 10**9, "ADDRESS_FAILURES": 10**9}
    cache.clear()


def snapshot(world):
    """What must not change when input is refused: row counts, and the people's own fields."""
    counts = {
        model.__name__: model.objects.count()
        for model in (
            User,
            Profile,
            Consent,
            Enrolment,
            ModuleProgress,
            CheckAttempt,
            Reflection,
            Attestation,
            Certificate,
            CertificateLogEntry,
            AccountLogEntry,
            FacilitationLogEntry,
            ModelLogEntry,
            Booking,
            RosterAssignment,
            Debrief,
            SafeguardingConcern,
            SessionRecord,
            FeedbackInvitation,
            FeedbackResponse,
        )
    }
    people = list(
        User.objects.filter(pk__in=[world.learner.pk, world.facilitator.pk])
        .order_by("pk")
        .values_list("username", "email", "password", "is_active")
    )
    profiles = list(
        Profile.objects.filter(user__in=[world.learner, world.facilitator])
        .order_by("pk")
        .values_list("certificate_name", "show_initials_only", "verified_email")
    )
    log = list(
        FacilitationLogEntry.objects.order_by("pk").values_list(
            "date",
            "minutes",
            "participants",
            "co_facilitator",
            "notes",
            "role",
            "confirmation",
            "query_note",
        )
    )
    sessions = list(
        Session.objects.order_by("pk").values_list(
            "places_taken", "walk_ins", "status", "attendance_count", "starts_at"
        )
    )
    bookings = list(Booking.objects.order_by("pk").values_list("status", "attended"))
    return counts, people, profiles, log, sessions, bookings, len(mail.outbox)


def accepted(response):
    """A form the site accepted answers with a redirect that is not to a log-in page."""
    location = response.get("Location", "")
    return response.status_code in (301, 302, 303) and "login" not in location


def check(world, send):
    """Send one generated request; assert no 500, and no change unless the site accepted it."""
    before = snapshot(world)
    response = send()
    assert response.status_code < 500, response.status_code
    if not accepted(response):
        assert snapshot(world) == before
    return response


def as_user(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def path_segment(value):
    return urllib.parse.quote(value, safe="") or "%20"


# --- accounts -------------------------------------------------------------------------------


@FUZZ
@given(name=TEXT, email=EMAILISH, password1=TEXT, password2=TEXT, consent=TEXT)
def test_sign_up(db, world, name, email, password1, password2, consent):
    data = {
        "certificate_name": name,
        "email": email,
        "password1": password1,
        "password2": password2,
        "consent": consent,
    }
    check(world, lambda: Client().post(reverse("accounts:signup"), data))


@FUZZ
@given(username=st.one_of(EMAILISH, st.just("learner@example.org")), password=TEXT)
def test_log_in(db, world, username, password):
    data = {"username": username, "password": password}
    check(world, lambda: Client().post(reverse("accounts:login"), data))


@FUZZ
@given(email=EMAILISH)
def test_password_reset(db, world, email):
    check(world, lambda: Client().post(reverse("accounts:password_reset"), {"email": email}))


@FUZZ
@given(token=TEXT, method=st.sampled_from(["get", "post"]))
def test_email_confirmation_link(db, world, token, method):
    url = f"/accounts/confirm-email/{path_segment(token)}/"
    response = check(world, lambda: getattr(Client(), method)(url))
    assert response.status_code in (400, 404), response.status_code


@FUZZ
@given(name=TEXT, initials=TEXT)
def test_profile(db, world, name, initials):
    data = {"certificate_name": name, "show_initials_only": initials}
    check(world, lambda: as_user(world.learner).post(reverse("accounts:profile"), data))


@FUZZ
@given(email=EMAILISH, password=st.one_of(TEXT, st.just(DEFAULT_PASSWORD)))
def test_change_email(db, world, email, password):
    data = {"email": email, "password": password}
    check(world, lambda: as_user(world.learner).post(reverse("accounts:change_email"), data))


@FUZZ
@given(params=st.dictionaries(TEXT, TEXT, max_size=3), method=st.sampled_from(["get", "post"]))
def test_my_data(db, world, params, method):
    response = check(
        world, lambda: getattr(as_user(world.learner), method)(reverse("accounts:my_data"), params)
    )
    assert response.status_code == 200


@FUZZ
@given(password=TEXT)
def test_delete_account_with_a_wrong_password(db, world, password):
    response = check(
        world,
        lambda: as_user(world.learner).post(
            reverse("accounts:delete_account"), {"password": password}
        ),
    )
    assert response.status_code == 200


# --- certificates -------------------------------------------------------------------------------


@FUZZ
@given(code=TEXT)
def test_verify_form(db, world, code):
    check(world, lambda: Client().get(reverse("certificates:verify_form"), {"code": code}))


@FUZZ
@given(
    code=st.one_of(TEXT, st.text(alphabet=string.ascii_uppercase + string.digits + "-")),
    suffix=st.sampled_from(
        [
            "verify/{}/",
            "{}/assertion.json",
            "{}/badge_class.json",
            "{}/pdf/",
            "{}/credential.jwt",
            "{}/credential.json",
            "{}/badge.png",
            "status/{}/1",
            "status/revocation/{}",
        ]
    ),
)
def test_certificate_urls(db, world, code, suffix):
    url = "/certificates/" + suffix.format(path_segment(code))
    response = check(world, lambda: as_user(world.learner).get(url))
    # 301: a path that only matches with a slash added (verify/badge.png → verify/<code>/).
    assert response.status_code in (200, 301, 302, 400, 403, 404, 410), response.status_code


JWT_PARTS = st.text(alphabet=string.ascii_letters + string.digits + "-_=.", max_size=200)


@FUZZ
@given(
    credential=st.one_of(TEXT, JWT_PARTS, st.just('{"alg":"none"}')),
    email=EMAILISH,
    upload=st.one_of(st.none(), st.binary(max_size=300)),
    admin=st.booleans(),
)
def test_checking_a_credential(db, world, credential, email, upload, admin):
    """The public form and the admin screen that check an Open Badges 3.0 credential."""
    data = {"credential": credential, "holder_email": email}
    if upload is not None:
        data["upload"] = SimpleUploadedFile("credential.png", upload)
    if admin:
        response = check(
            world, lambda: as_user(world.admin).post(reverse("credentials_admin:check"), data)
        )
    else:
        response = check(
            world, lambda: Client().post(reverse("certificates:check_credential"), data)
        )
    assert response.status_code in (200, 400), response.status_code


# --- training -----------------------------------------------------------------------------------


def answer_sheets(world):
    """Answer sheets mixing the check's real question and choice ids with made-up ones."""
    questions = world.check_module.check_questions
    question_ids = [block.id for block in questions]
    choice_ids = [item.id for block in questions for item in block.value["choices"].bound_blocks]
    key = st.one_of(st.sampled_from(question_ids), TEXT)
    value = st.lists(st.one_of(st.sampled_from(choice_ids), TEXT), max_size=4)
    return st.dictionaries(key.map(lambda k: f"q-{k}"), value, max_size=4)


@FUZZ
@given(data=st.data(), attempt=st.one_of(TEXT, st.integers(-5, 5).map(str)))
def test_knowledge_check_submit(db, world, data, attempt):
    answers = data.draw(answer_sheets(world))
    url = reverse("training:submit_check", args=[world.check_module.pk])
    check(world, lambda: as_user(world.learner).post(url, {**answers, "attempt": attempt}))


@FUZZ
@given(programme_id=BIG_INT, who=st.sampled_from(["other_learner", "learner", "anonymous"]))
def test_enrol(db, world, programme_id, who):
    url = f"/training/programmes/{programme_id}/enrol/"
    check(world, lambda: as_user(world.user(who)).post(url))


@FUZZ
@given(programme_id=st.one_of(st.just(None), BIG_INT), version=TEXT)
def test_code_of_conduct_agree(db, world, programme_id, version):
    programme_id = world.programme.pk if programme_id is None else programme_id
    url = f"/training/programmes/{programme_id}/agree/"
    check(world, lambda: as_user(world.learner).post(url, {"version": version}))


@FUZZ
@given(module_id=st.one_of(st.just(None), BIG_INT), prompt_id=TEXT, text=TEXT)
def test_reflection(db, world, module_id, prompt_id, text):
    module_id = world.reading_module.pk if module_id is None else module_id
    url = f"/training/modules/{module_id}/reflections/{path_segment(prompt_id)}/"
    check(world, lambda: as_user(world.learner).post(url, {"text": text}))


@FUZZ
@given(module_id=BIG_INT)
def test_mark_complete(db, world, module_id):
    url = f"/training/modules/{module_id}/complete/"
    check(world, lambda: as_user(world.other_learner).post(url))


# --- workshops ----------------------------------------------------------------------------------


@FUZZ
@given(
    workshop=st.one_of(st.just(None), TEXT),
    date=TEXT,
    minutes=TEXT,
    participants=TEXT,
    co_facilitator=TEXT,
    notes=TEXT,
    role=st.one_of(TEXT, st.sampled_from(["lead", "co"])),
)
def test_facilitation_log(
    db, world, workshop, date, minutes, participants, co_facilitator, notes, role
):
    data = {
        "workshop": world.workshop.pk if workshop is None else workshop,
        "date": date,
        "minutes": minutes,
        "participants": participants,
        "co_facilitator": co_facilitator,
        "notes": notes,
        "role": role,
    }
    check(world, lambda: as_user(world.facilitator).post(reverse("workshops:log"), data))


@FUZZ
@given(entry_id=BIG_INT, who=st.sampled_from(["learner", "facilitator"]))
def test_delete_log_entry(db, world, entry_id, who):
    url = f"/workshops/log/{entry_id}/delete/"
    check(world, lambda: as_user(world.user(who)).post(url))


@FUZZ
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "q": TEXT,
            "format": TEXT,
            "audience": TEXT,
            "organisation": st.one_of(TEXT, st.sampled_from(["riverside", "northside"])),
            "page": st.one_of(TEXT, BIG_INT.map(str)),
        },
    ),
    listing=st.sampled_from(["organisation", "library"]),
)
def test_workshop_search_and_filters(db, world, params, listing):
    page = (
        world.organisation.index_page if listing == "organisation" else world.workshop.get_parent()
    )
    if listing == "library":
        from peerpath.workshops.models import WorkshopLibraryPage

        library = WorkshopLibraryPage.objects.first()
        page = library or page
    response = check(world, lambda: Client().get(page.url, params))
    assert response.status_code in (200, 400, 404), response.status_code


@FUZZ
@given(page_id=BIG_INT, kind=st.sampled_from(["handout.pdf", "facilitator-pack.pdf"]))
def test_workshop_pdfs(db, world, page_id, kind):
    check(world, lambda: as_user(world.learner).get(f"/workshops/{page_id}/{kind}"))


@FUZZ
@given(path=st.lists(TEXT, min_size=1, max_size=3), params=st.dictionaries(TEXT, TEXT, max_size=2))
def test_any_page_url(db, world, path, params):
    """Wagtail serves every other path: made-up ones are 404s in the site's design."""
    url = "/" + "/".join(path_segment(part) for part in path) + "/"
    check(world, lambda: as_user(world.learner).get(url, params))


# --- sessions -----------------------------------------------------------------------------------


@FUZZ
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "q": TEXT,
            "format": TEXT,
            "audience": TEXT,
            "day": st.one_of(TEXT, st.sampled_from(["0", "1", "6", "7"])),
            "time": st.one_of(TEXT, st.sampled_from(["morning", "evening"])),
            "mode": st.one_of(TEXT, st.sampled_from(["online", "in_person"])),
            "organisation": st.one_of(TEXT, st.sampled_from(["riverside", "northside"])),
            "workshop": st.one_of(TEXT, BIG_INT.map(str)),
            "page": st.one_of(TEXT, BIG_INT.map(str)),
        },
    )
)
def test_group_finder_filters(db, world, params):
    response = check(world, lambda: Client().get(reverse("meetings:finder"), params))
    assert response.status_code in (200, 400), response.status_code


@FUZZ
@given(
    session=st.one_of(st.just(None), BIG_INT),
    first_name=TEXT,
    email=EMAILISH,
    phone=st.one_of(TEXT, st.sampled_from(["07700 900123", "+447700900123", "0044"])),
    access_needs=TEXT,
    who=st.sampled_from(["anonymous", "other_learner"]),
)
def test_booking_a_place(db, world, session, first_name, email, phone, access_needs, who):
    url = f"/groups/{world.session.pk if session is None else session}/book/"
    data = {
        "first_name": first_name,
        "email": email,
        "phone": phone,
        "access_needs": access_needs,
    }
    check(world, lambda: as_user(world.user(who)).post(url, data))


@FUZZ
@given(token=TEXT, action=st.sampled_from(["", "cancel/", "calendar.ics"]))
def test_booking_links(db, world, token, action):
    url = f"/groups/booking/{path_segment(token)}/{action}"
    response = check(
        world, lambda: Client().post(url) if action == "cancel/" else Client().get(url)
    )
    assert response.status_code in (400, 404, 405), response.status_code


@FUZZ
@given(code=TEXT, contact=EMAILISH, action=st.one_of(TEXT, st.sampled_from(["booked", "walk_in"])))
def test_checking_in(db, world, code, contact, action):
    # The session has not started, so even the right code is refused: nothing may change.
    url = reverse("meetings:check_in", args=[world.session.pk])
    data = {"code": code, "contact": contact, "action": action}
    check(world, lambda: Client().post(url, data))


@FUZZ
@given(
    came=st.lists(st.one_of(TEXT, BIG_INT.map(str)), max_size=4),
    walk_ins=st.one_of(TEXT, BIG_INT.map(str)),
)
def test_saving_attendance(db, world, came, walk_ins):
    url = reverse("meetings:roster", args=[world.session.pk])
    data = {"came": came, "walk_ins": walk_ins, "shown_came": came, "shown_walk_ins": walk_ins}
    check(world, lambda: as_user(world.facilitator).post(url, data))


# --- after the session ----------------------------------------------------------------------

SCORE = st.one_of(TEXT, st.sampled_from(["1", "3", "5"]))


@FUZZ
@given(
    session=st.sampled_from(["past", "upcoming", "unknown"]),
    who=st.sampled_from(["facilitator", "other_learner", "editor"]),
    data=st.fixed_dictionaries(
        {
            "attendance": st.one_of(TEXT, BIG_INT.map(str)),
            "how_it_went": st.one_of(TEXT, st.sampled_from(["well", "mixed", "difficult"])),
            "notes": TEXT,
            "signposting": st.lists(st.one_of(TEXT, BIG_INT.map(str)), max_size=3),
            "no_signposting": st.one_of(TEXT, st.just("on")),
            "fidelity": st.lists(TEXT, max_size=3),
            "concern": st.one_of(TEXT, st.sampled_from(["yes", "no"])),
            "concern_summary": TEXT,
        }
    ),
)
def test_filing_a_debrief(db, world, session, who, data):
    # The past session has its debrief and the upcoming one has not started: every filing is
    # refused, and nothing may change.
    pk = {"past": world.past_session.pk, "upcoming": world.session.pk, "unknown": 10**9}[session]
    url = reverse("meetings:debrief", args=[pk])
    response = check(world, lambda: as_user(world.user(who)).post(url, data))
    assert not accepted(response), response.status_code


@FUZZ
@given(
    token=st.one_of(TEXT, st.just(None)),
    felt_safe=SCORE,
    felt_heard=SCORE,
    would_return=SCORE,
    comment=TEXT,
)
def test_answering_feedback_by_link(db, world, token, felt_safe, felt_heard, would_return, comment):
    url = f"/groups/feedback/{path_segment(world.feedback_token if token is None else token)}/"
    data = {
        "felt_safe": felt_safe,
        "felt_heard": felt_heard,
        "would_return": would_return,
        "comment": comment,
    }
    check(world, lambda: Client().post(url, data))


@FUZZ
@given(
    step=st.one_of(TEXT, st.sampled_from(["code", "answers"])),
    code=st.one_of(TEXT, st.just(None)),
    felt_safe=SCORE,
    comment=TEXT,
)
def test_answering_feedback_by_code(db, world, step, code, felt_safe, comment):
    # The world's past session had no walk-ins, so even its own code records nothing.
    data = {
        "step": step,
        "code": world.past_session.feedback_code if code is None else code,
        "felt_safe": felt_safe,
        "felt_heard": felt_safe,
        "would_return": felt_safe,
        "comment": comment,
    }
    response = check(world, lambda: Client().post(reverse("meetings:feedback_code"), data))
    assert not accepted(response), response.status_code


@FUZZ
@given(
    entry=st.one_of(st.just(None), BIG_INT),
    action=st.sampled_from(["confirm", "dispute"]),
    note=TEXT,
    who=st.sampled_from(["facilitator", "learner", "editor"]),
)
def test_confirming_or_disputing_a_record_entry(db, world, entry, action, note, who):
    pk = world.record_entry.pk if entry is None else entry
    url = f"/groups/record/{pk}/{action}/"
    check(world, lambda: as_user(world.user(who)).post(url, {"note": note}))

"""Anonymous participant feedback (feedback.py, feedback_views.py): one-time links after a
completed session, the walk-in code, returning participants, and that nothing ties an answer to
the person who gave it."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection, models
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerpath.meetings import attendance, feedback, privacy
from peerpath.meetings.feedback import FeedbackRefused
from peerpath.meetings.models import Booking, FeedbackInvitation, FeedbackResponse, Session
from tests.certificates.qr import decode_svg_qr
from tests.factories import UserFactory
from tests.workshops.factories import make_workshop

from .factories import make_booking, make_facilitator, make_session, put_on_roster

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

LINK = re.compile(r"/groups/feedback/([^/\s]+)/")
AGREE = {"felt_safe": "5", "felt_heard": "4", "would_return": "4", "comment": ""}
SCORES = {"felt_safe": 5, "felt_heard": 4, "would_return": 4}


@pytest.fixture
def started(workshop):
    """A session that started two hours ago and ended half an hour ago."""
    return make_session(workshop, starts_at=timezone.now() - datetime.timedelta(hours=2))


def complete(session, django_capture_on_commit_callbacks, came=(), walk_ins=0):
    """Mark who came and complete the session, running what waits for the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        attendance.mark_attendance(session, [booking.pk for booking in came], walk_ins)
        return attendance.complete_session(session)


def tokens_sent(sms_outbox):
    """The feedback tokens in every e-mail and text message sent so far."""
    bodies = [message.body for message in mail.outbox] + [text.body for text in sms_outbox]
    return [match for body in bodies for match in LINK.findall(body)]


@pytest.fixture
def answered_session(started, django_capture_on_commit_callbacks, sms_outbox):
    """A completed session: Ana (e-mail) and Ben (text message) came, Cal did not."""
    ana = make_booking(started, email="ana@example.org", first_name="Ana")
    ben = make_booking(started, email="", phone="+447700900123", first_name="Ben")
    make_booking(started, email="cal@example.org", first_name="Cal")
    complete(started, django_capture_on_commit_callbacks, came=[ana, ben])
    return started


def url(token):
    return reverse("meetings:feedback", args=[token])


# Asking for feedback


def test_those_who_came_get_a_link_once_and_those_who_did_not_get_none(
    answered_session, sms_outbox
):
    (email,) = [message for message in mail.outbox if "feedback" in message.body]
    assert email.to == ["ana@example.org"]
    (text,) = sms_outbox
    assert text.to == "+447700900123"
    assert LINK.search(text.body)
    assert FeedbackInvitation.objects.filter(session=answered_session).count() == 2
    assert Session.objects.get(pk=answered_session.pk).feedback_requested_at is not None

    assert feedback.request_feedback.call(answered_session.pk) == 0
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    assert FeedbackInvitation.objects.count() == 2


def test_the_message_is_warm_short_anonymous_optional_with_the_crisis_lines(answered_session):
    (email,) = mail.outbox
    assert "How was" in email.subject and "anonymous" in email.subject
    assert "anonymous" in email.body and "optional" in email.body
    assert "emergency" in email.body
    assert "14 days" in email.body


def test_waiting_cancelled_and_anonymised_bookings_are_not_asked(
    started, django_capture_on_commit_callbacks, sms_outbox
):
    came = make_booking(started, email="came@example.org")
    gone = make_booking(started, email="gone@example.org")
    make_booking(started, email="waiting@example.org", status="waiting")
    complete(started, django_capture_on_commit_callbacks, came=[came, gone])
    assert len(mail.outbox) == 2
    mail.outbox.clear()

    other = make_session(started.workshop, starts_at=started.starts_at)
    kept = make_booking(other, email="kept@example.org")
    erased = make_booking(other, email="erased@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        attendance.mark_attendance(other, [kept.pk, erased.pk], 0)
    privacy.anonymise(Booking.objects.filter(pk=erased.pk), timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        attendance.complete_session(other)
    assert [message.to for message in mail.outbox] == [["kept@example.org"]]
    assert FeedbackInvitation.objects.filter(session=other).count() == 1


def test_the_database_keeps_only_the_hash_of_each_link(answered_session, sms_outbox):
    tokens = tokens_sent(sms_outbox)
    stored = set(FeedbackInvitation.objects.values_list("token_hash", flat=True))
    for token in tokens:
        assert not FeedbackInvitation.objects.filter(token_hash__contains=token[:20]).exists()
        assert feedback.hash_from_link(token) in stored


# Answering through the link


def test_the_link_shows_three_statements_on_a_five_point_scale(
    answered_session, client, sms_outbox
):
    token = tokens_sent(sms_outbox)[0]
    response = client.get(url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 3 and html.count("<legend>") == 3
    for statement in ("I felt safe", "I felt heard", "I would come again"):
        assert statement in html
    assert html.count('type="radio"') == 15
    assert "Strongly disagree" in html and "Strongly agree" in html
    assert "not shared with the facilitators" in html
    assert "If you need to talk to someone now" in html


def test_the_link_works_once(answered_session, client, sms_outbox):
    token = tokens_sent(sms_outbox)[0]

    first = client.post(url(token), {**AGREE, "comment": "  Kind and calm.  "})
    assert first.status_code == 303 and first["Location"] == reverse("meetings:feedback_thanks")
    (response,) = FeedbackResponse.objects.all()
    assert (response.felt_safe, response.felt_heard, response.would_return) == (5, 4, 4)
    assert response.comment == "Kind and calm."
    assert response.submitted_on == timezone.localdate(timezone.now(), answered_session.zone)
    assert FeedbackInvitation.objects.count() == 1

    again = client.post(url(token), AGREE)
    assert again.status_code == 410
    assert "already been used or has expired" in again.content.decode()
    assert FeedbackResponse.objects.count() == 1
    assert client.get(url(token)).status_code == 410


def test_the_thank_you_page_signposts_help_now(client):
    response = client.get(reverse("meetings:feedback_thanks"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thank you for your feedback" in html
    assert "If you need to talk to someone now" in html


@pytest.mark.parametrize(
    "token",
    ["made-up", "x" * 500, "abc.def", "%00", "ü" * 10, "a" * 43 + "." + "b" * 43],
)
def test_a_made_up_link_is_a_404_and_records_nothing(answered_session, client, token):
    assert client.get(url(token)).status_code == 404
    assert client.post(url(token), AGREE).status_code == 404
    assert FeedbackResponse.objects.count() == 0


def test_a_link_signed_for_something_else_is_a_404(answered_session, client, sms_outbox):
    token = tokens_sent(sms_outbox)[0]
    raw, signature = token.split(".")
    tampered = f"{raw[:-1]}{'A' if raw[-1] != 'A' else 'B'}.{signature}"
    assert client.get(url(tampered)).status_code == 404


def test_an_expired_link_is_a_410(answered_session, client, sms_outbox):
    FeedbackInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    token = tokens_sent(sms_outbox)[0]
    response = client.get(url(token))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert client.post(url(token), AGREE).status_code == 410
    assert FeedbackResponse.objects.count() == 0


def test_a_cancelled_session_is_refused_with_a_clear_message(answered_session, client, sms_outbox):
    Session.objects.filter(pk=answered_session.pk).update(
        status="cancelled", cancellation_reason="Venue flooded"
    )
    token = tokens_sent(sms_outbox)[0]
    response = client.post(url(token), AGREE)
    assert response.status_code == 410
    assert "cancelled" in response.content.decode()
    assert FeedbackResponse.objects.count() == 0
    with pytest.raises(FeedbackRefused) as refused:
        feedback.invitation_for(token)
    assert refused.value.code == "cancelled"


@pytest.mark.parametrize(
    "answers",
    [
        {**AGREE, "felt_safe": "6"},
        {**AGREE, "felt_heard": "0"},
        {**AGREE, "would_return": "-1"},
        {**AGREE, "felt_safe": "five"},
        {**AGREE, "felt_safe": ""},
        {"comment": "Only a comment"},
        {**AGREE, "comment": "x" * 1001},
        {**AGREE, "felt_safe": "1" * 400},
    ],
)
def test_answers_off_the_scale_are_a_400_and_nothing_is_saved(
    answered_session, client, sms_outbox, answers
):
    token = tokens_sent(sms_outbox)[0]
    response = client.post(url(token), answers)
    assert response.status_code == 400
    assert "Your feedback was not sent yet" in response.content.decode()
    assert FeedbackResponse.objects.count() == 0
    assert FeedbackInvitation.objects.count() == 2


@pytest.mark.parametrize(
    "scores",
    [
        {**SCORES, "felt_safe": 6},
        {**SCORES, "felt_heard": 0},
        {**SCORES, "would_return": True},
        {**SCORES, "felt_safe": "5"},
        {**SCORES, "felt_safe": None},
    ],
)
def test_the_service_refuses_scores_off_the_scale_and_keeps_the_link(
    answered_session, sms_outbox, scores
):
    token = tokens_sent(sms_outbox)[0]
    with pytest.raises(FeedbackRefused) as refused:
        feedback.submit(token, **scores)
    assert refused.value.code == "invalid"
    assert FeedbackResponse.objects.count() == 0
    assert FeedbackInvitation.objects.count() == 2


def test_the_day_is_kept_never_the_time(answered_session, sms_outbox):
    token = tokens_sent(sms_outbox)[0]
    response = feedback.submit(token, **SCORES, today=datetime.date(2030, 5, 1))
    assert FeedbackResponse.objects.get(pk=response.pk).submitted_on == datetime.date(2030, 5, 1)


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_a_405(answered_session, client, sms_outbox, method):
    token = tokens_sent(sms_outbox)[0]
    assert getattr(client, method)(url(token)).status_code == 405
    assert getattr(client, method)(reverse("meetings:feedback_code")).status_code == 405


def test_the_pages_are_private_and_send_no_path_in_the_referer(
    answered_session, client, sms_outbox
):
    token = tokens_sent(sms_outbox)[0]
    pages = [
        client.get(url(token)),
        client.get(url("made-up")),
        client.get(reverse("meetings:feedback_code")),
        client.get(reverse("meetings:feedback_thanks")),
    ]
    for response in pages:
        assert response["Referrer-Policy"] == "strict-origin"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response.content.decode()


# The walk-in code


@pytest.fixture
def with_walk_ins(started, django_capture_on_commit_callbacks):
    """A completed session with two walk-ins."""
    return complete(started, django_capture_on_commit_callbacks, walk_ins=2)


def code_url():
    return reverse("meetings:feedback_code")


def answer_with_code(client, code, answers=AGREE):
    return client.post(code_url(), {**answers, "code": code, "step": "answers"})


def test_the_qr_link_opens_the_questions_with_the_code(client, with_walk_ins):
    response = client.get(code_url(), {"code": with_walk_ins.feedback_code.lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 3
    assert with_walk_ins.workshop.title in html
    assert 'name="step" value="answers"' in html


def test_entering_the_code_then_answering_records_a_response(client, with_walk_ins):
    code = with_walk_ins.feedback_code
    typed = f" {code[:3].lower()}-{code[3:]} "
    first = client.post(code_url(), {"code": typed, "step": "code"})
    assert first.status_code == 200 and "I felt heard" in first.content.decode()
    response = answer_with_code(client, typed)
    assert response.status_code == 303
    assert FeedbackResponse.objects.get().session == with_walk_ins
    assert Session.objects.get(pk=with_walk_ins.pk).walk_in_feedback_count == 1


def test_the_code_takes_as_many_answers_as_there_were_walk_ins(client, with_walk_ins):
    code = with_walk_ins.feedback_code
    assert answer_with_code(client, code).status_code == 303
    assert answer_with_code(client, code).status_code == 303
    third = answer_with_code(client, code)
    assert third.status_code == 410
    assert "already answered" in third.content.decode()
    assert FeedbackResponse.objects.count() == 2
    assert Session.objects.get(pk=with_walk_ins.pk).walk_in_feedback_count == 2


def test_a_wrong_code_is_refused_and_records_nothing(client, with_walk_ins):
    response = answer_with_code(
        client, "ZZZZZZ" if with_walk_ins.feedback_code != "ZZZZZZ" else "YYYYYY"
    )
    assert response.status_code == 400
    assert "does not match" in response.content.decode()
    assert client.post(code_url(), {"code": "", "step": "code"}).status_code == 400
    assert client.post(code_url(), {"code": "x" * 500, "step": "code"}).status_code == 400
    assert FeedbackResponse.objects.count() == 0


def test_the_check_in_code_is_not_the_feedback_code(client, with_walk_ins):
    Session.objects.filter(pk=with_walk_ins.pk).update(check_in_code="CHECK2")
    assert answer_with_code(client, "CHECK2").status_code == 400


@override_settings(PEERPATH_FEEDBACK_CODE_RATE_LIMIT=(3, 60))
def test_guessing_codes_is_rate_limited(client, with_walk_ins):
    for guess in ("AAAAAA", "BBBBBB", "CCCCCC"):
        assert client.post(code_url(), {"code": guess, "step": "code"}).status_code == 400
    limited = client.post(code_url(), {"code": with_walk_ins.feedback_code, "step": "code"})
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "Too many tries" in limited.content.decode()


def test_walk_in_answers_with_bad_scores_are_a_400(client, with_walk_ins):
    response = answer_with_code(client, with_walk_ins.feedback_code, {**AGREE, "felt_safe": "9"})
    assert response.status_code == 400
    assert FeedbackResponse.objects.count() == 0
    assert Session.objects.get(pk=with_walk_ins.pk).walk_in_feedback_count == 0


def test_the_code_opens_at_the_end_and_closes_a_week_later(workshop):
    session = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(minutes=30))
    Session.objects.filter(pk=session.pk).update(walk_ins=3)
    code = session.feedback_code
    with pytest.raises(FeedbackRefused) as refused:
        feedback.submit_with_code(session, code, **SCORES)
    assert refused.value.code == "closed"

    later = session.ends_at + datetime.timedelta(days=feedback.WALK_IN_DAYS, minutes=1)
    with pytest.raises(FeedbackRefused) as refused:
        feedback.submit_with_code(session, code, **SCORES, now=later)
    assert refused.value.code == "wrong_code"
    with pytest.raises(FeedbackRefused):
        feedback.session_for_code(code, now=later)

    just_ended = session.ends_at + datetime.timedelta(minutes=1)
    feedback.submit_with_code(session, code, **SCORES, now=just_ended)
    assert FeedbackResponse.objects.count() == 1


def test_a_cancelled_sessions_code_is_refused(with_walk_ins):
    Session.objects.filter(pk=with_walk_ins.pk).update(
        status="cancelled", cancellation_reason="Venue flooded"
    )
    with pytest.raises(FeedbackRefused) as refused:
        feedback.submit_with_code(with_walk_ins, with_walk_ins.feedback_code, **SCORES)
    assert refused.value.code == "cancelled"
    with pytest.raises(FeedbackRefused):
        feedback.session_for_code(with_walk_ins.feedback_code)
    assert FeedbackResponse.objects.count() == 0


# The roster shows the walk-in code once the session is completed


def test_the_roster_shows_the_walk_in_code_and_its_qr_once_completed(
    client, with_walk_ins, organisation, programme
):
    lead = make_facilitator(organisation, programme)
    put_on_roster(with_walk_ins, lead)
    client.force_login(lead)
    html = client.get(reverse("meetings:roster", args=[with_walk_ins.pk])).content.decode()
    assert with_walk_ins.feedback_code in html
    assert reverse("meetings:feedback_qr", args=[with_walk_ins.pk]) in html

    svg = client.get(reverse("meetings:feedback_qr", args=[with_walk_ins.pk]))
    assert svg["Cache-Control"] == "private, no-store"
    expected = f"http://testserver{code_url()}?code={with_walk_ins.feedback_code}"
    assert decode_svg_qr(svg.content.decode()) == expected


def test_the_roster_shows_no_walk_in_code_before_completion(
    client, started, organisation, programme
):
    lead = make_facilitator(organisation, programme)
    put_on_roster(started, lead)
    client.force_login(lead)
    html = client.get(reverse("meetings:roster", args=[started.pk])).content.decode()
    assert started.feedback_code not in html


def test_only_those_who_run_the_session_get_the_feedback_qr(
    client, with_walk_ins, organisation, programme, other_editor, user
):
    path = reverse("meetings:feedback_qr", args=[with_walk_ins.pk])
    assert client.get(path).status_code == 302
    for outsider in (user, other_editor, make_facilitator(organisation, programme)):
        client.force_login(outsider)
        assert client.get(path).status_code == 403
    assert client.get(reverse("meetings:feedback_qr", args=[10**9])).status_code == 404


# Returning participants


def test_returning_participants_are_marked_when_the_session_is_completed(
    workshop, organisation, programme, django_capture_on_commit_callbacks
):
    other_workshop = make_workshop(organisation.index_page, programme=programme)
    regular = UserFactory()
    start = timezone.now() - datetime.timedelta(days=14)
    earlier = make_session(workshop, starts_at=start)
    elsewhere = make_session(other_workshop, starts_at=start)
    came_before = [
        make_booking(earlier, email="Ana@Example.org"),
        make_booking(earlier, email="", phone="+447700900123"),
        make_booking(earlier, user=regular),
    ]
    came_before.append(make_booking(earlier, email="dora@example.org"))
    make_booking(earlier, email="absent@example.org")
    complete(earlier, django_capture_on_commit_callbacks, came=came_before)
    other_place = make_booking(elsewhere, email="other@example.org")
    complete(elsewhere, django_capture_on_commit_callbacks, came=[other_place])

    today = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(hours=2))
    ana = make_booking(today, email="ana@example.org")
    ben = make_booking(today, email="ben@example.org", phone="+447700900123")
    cal = make_booking(today, user=regular)
    absent = make_booking(today, email="absent@example.org")
    other = make_booking(today, email="other@example.org")
    new = make_booking(today, email="new@example.org")
    did_not_come = make_booking(today, email="dora@example.org")
    complete(today, django_capture_on_commit_callbacks, came=[ana, ben, cal, absent, other, new])

    returning = dict(Booking.objects.filter(session=today).values_list("pk", "returning"))
    assert returning == {
        ana.pk: True,
        ben.pk: True,
        cal.pk: True,
        absent.pk: False,
        other.pk: False,
        new.pk: False,
        did_not_come.pk: False,
    }
    assert not Booking.objects.filter(session=earlier, returning=True).exists()


def test_the_returning_mark_follows_a_corrected_register(
    workshop, started, django_capture_on_commit_callbacks
):
    earlier = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(days=7))
    before = make_booking(earlier, email="ana@example.org")
    complete(earlier, django_capture_on_commit_callbacks, came=[before])
    ana = make_booking(started, email="ana@example.org")
    complete(started, django_capture_on_commit_callbacks)
    assert not Booking.objects.get(pk=ana.pk).returning

    attendance.mark_attendance(started, [ana.pk], 0)
    assert Booking.objects.get(pk=ana.pk).returning
    attendance.mark_attendance(started, [], 0)
    assert not Booking.objects.get(pk=ana.pk).returning


def test_completing_asks_as_many_queries_however_many_came(
    workshop, django_capture_on_commit_callbacks
):
    counts = []
    for count in (1, 2, 8):
        session = make_session(workshop, starts_at=timezone.now() - datetime.timedelta(hours=2))
        came = [make_booking(session) for _ in range(count)]
        attendance.mark_attendance(session, [booking.pk for booking in came], 0)
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=True):
                attendance.complete_session(session)
        counts.append(len(queries))
    assert counts[1] == counts[2]  # the first also fills the caches


# Anonymity: nothing in the database ties an answer to a person


def test_feedback_cannot_be_traced_to_a_booking_in_the_database(
    started, django_capture_on_commit_callbacks, sms_outbox
):
    regular = UserFactory(email="dee@example.org")
    people = [
        make_booking(started, email=f"p{n}@example.org", first_name=f"P{n}") for n in range(8)
    ]
    people.append(make_booking(started, email="", phone="+447700900999", first_name="Eli"))
    people.append(make_booking(started, user=regular, first_name="Dee"))
    complete(started, django_capture_on_commit_callbacks, came=people)

    # The invitations were made in a shuffled order: their rows do not follow the bookings'.
    sent_to = {message.to[0]: LINK.search(message.body).group(1) for message in mail.outbox}
    by_hash = dict(FeedbackInvitation.objects.values_list("token_hash", "pk"))
    invitation_order = [
        by_hash[feedback.hash_from_link(sent_to[booking.contact_email])]
        for booking in people
        if booking.contact_email
    ]
    assert invitation_order != sorted(invitation_order)

    # Two participants answer.
    for booking in (people[0], people[-1]):
        feedback.submit(sent_to[booking.contact_email], **SCORES, comment="Thank you")

    personal = set()
    for booking in Booking.objects.filter(session=started).select_related("user"):
        personal |= {booking.email, booking.phone, booking.first_name, str(booking.public_id)}
        personal.add(booking.contact_email)
    personal.discard("")

    for model in (FeedbackResponse, FeedbackInvitation):
        for field in model._meta.concrete_fields:
            if field.is_relation:
                assert field.related_model is Session, f"{model.__name__}.{field.name}"
            assert not isinstance(field, models.EmailField | models.UUIDField)
            assert not any(word in field.name for word in ("booking", "user", "email", "phone"))
    for field in FeedbackResponse._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField | models.TimeField), field.name

    rows = list(FeedbackResponse.objects.values())
    assert len(rows) == 2
    for row in rows:
        assert set(row) == {
            "id",
            "session_id",
            "felt_safe",
            "felt_heard",
            "would_return",
            "comment",
            "comment_released",
            "submitted_on",
        }
        assert not {str(value) for value in row.values()} & personal
        assert type(row["submitted_on"]) is datetime.date

    # The answered invitations are gone; those left are alike but for their random hash.
    assert FeedbackInvitation.objects.count() == len(people) - 2
    used = {feedback.hash_from_link(sent_to[b.contact_email]) for b in (people[0], people[-1])}
    assert not FeedbackInvitation.objects.filter(token_hash__in=used).exists()
    assert FeedbackInvitation.objects.values("session", "expires_at").distinct().count() == 1


def test_erasing_a_participant_leaves_the_anonymous_answers_and_exports_none(
    started, django_capture_on_commit_callbacks, sms_outbox
):
    ana = UserFactory(email="ana@example.org")
    booking = make_booking(started, user=ana)
    complete(started, django_capture_on_commit_callbacks, came=[booking])
    (token,) = tokens_sent(sms_outbox)
    feedback.submit(token, **SCORES, comment="Felt welcome")

    exported = privacy.export_personal_data(ana)
    assert "feedback" not in str(exported).lower()
    privacy.erase_personal_data(ana)
    assert Booking.objects.get(pk=booking.pk).anonymised_at is not None
    assert FeedbackResponse.objects.get().comment == "Felt welcome"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"step": "answers"},
        {"step": "answers", "code": ""},
        {"step": "something", "code": "\x00"},
        {"step": "answers", "code": "ABC", **AGREE},
        {"step": ["answers", "code"], "code": ["A", "B"]},
    ],
)
def test_junk_sent_to_the_code_form_is_a_400_never_a_500(client, with_walk_ins, data):
    assert client.post(code_url(), data).status_code == 400
    assert FeedbackResponse.objects.count() == 0


def test_a_junk_code_in_the_qr_address_is_a_400(client, with_walk_ins):
    assert client.get(code_url(), {"code": "x" * 5000}).status_code == 400
    assert client.get(code_url(), {"code": "\x00\x01"}).status_code == 400

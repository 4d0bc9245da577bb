"""Wagtail page privacy on a programme (inherited by its modules) holds for every training action
and for the practice log, exactly as when the page is served (training/page_privacy.py): a
learner the page would not be shown to changes nothing and sees nothing of it."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from peerpath.training.models import (
    Attestation,
    CheckAttempt,
    Enrolment,
    ModuleProgress,
    Reflection,
    SupervisedPracticeEntry,
)
from tests.training.factories import answers_for, build_module, build_programme, new_id, question

pytestmark = pytest.mark.django_db

SECRET = "Confidential"
PASSWORD = "circle-of-trust"

# Each action: the page it acts on, the learner's state in which it succeeds, and its status then.
ACTIONS = {
    "enrol": ("programme", "new", 303),
    "agree": ("programme", "enrolled", 303),
    "restart": ("programme", "time_ran_out", 303),
    "complete_module": ("reading", "enrolled", 303),
    "submit_check": ("check", "enrolled", 303),
    "save_reflection": ("reading", "enrolled", 303),
    "practice_log_get": ("programme", "enrolled", 200),
    "practice_log_post": ("programme", "enrolled", 302),
}


@pytest.fixture
def private(training_index):
    """A programme with 30 days to pass its checks, a reading module with a reflection prompt and
    a module with a check. Everything the page would show says "Confidential"."""
    programme = build_programme(
        training_index,
        title="Closed cohort",
        check_window_days=30,
        code_of_conduct=f"<p>{SECRET} code of conduct.</p>",
    )
    prompt_id = new_id()
    reading = build_module(
        programme,
        title=f"{SECRET} welcome",
        body=[
            {"type": "text", "id": new_id(), "value": f"<p>{SECRET} body of the module.</p>"},
            {"type": "reflection", "id": prompt_id, "value": {"prompt": f"{SECRET} prompt"}},
        ],
    )
    check = build_module(
        programme,
        title=f"{SECRET} check",
        questions=[question(f"{SECRET} question"), question(f"{SECRET} second question")],
    )
    return SimpleNamespace(programme=programme, reading=reading, check=check, prompt_id=prompt_id)


def restrict(private, kind):
    restriction = PageViewRestriction.objects.create(
        page=private.programme,
        restriction_type=kind,
        password=PASSWORD if kind == PageViewRestriction.PASSWORD else "",
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Closed cohort members"))
    return restriction


def set_up(user, private, action):
    state = ACTIONS[action][1]
    if state == "new":
        return
    enrolment = Enrolment.objects.create(user=user, programme=private.programme)
    if state == "time_ran_out":
        Enrolment.objects.filter(pk=enrolment.pk).update(
            enrolled_at=timezone.now() - datetime.timedelta(days=60)
        )


def page_of(private, action):
    return getattr(private, ACTIONS[action][0])


def send(client, private, action):
    programme, reading, check = private.programme, private.reading, private.check
    practice_url = reverse("training:practice_log", args=[programme.pk])
    method, url, data = {
        "enrol": ("post", reverse("training:enrol", args=[programme.pk]), {}),
        "agree": (
            "post",
            reverse("training:agree", args=[programme.pk]),
            {"version": programme.current_code_of_conduct.pk},
        ),
        "restart": ("post", reverse("training:restart", args=[programme.pk]), {}),
        "complete_module": ("post", reverse("training:complete_module", args=[reading.pk]), {}),
        "submit_check": (
            "post",
            reverse("training:submit_check", args=[check.pk]),
            {"attempt": "1", **{f"q-{q}": a for q, a in answers_for(check).items()}},
        ),
        "save_reflection": (
            "post",
            reverse("training:save_reflection", args=[reading.pk, private.prompt_id]),
            {"text": "What I noticed"},
        ),
        "practice_log_get": ("get", practice_url, {}),
        "practice_log_post": (
            "post",
            practice_url,
            {
                "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
                "hours": "2",
                "description": "Co-led the group",
            },
        ),
    }[action]
    return getattr(client, method)(url, data)


def learner_records():
    return {
        "enrolments": list(Enrolment.objects.order_by("pk").values()),
        "attestations": Attestation.objects.count(),
        "progress": list(ModuleProgress.objects.order_by("pk").values()),
        "attempts": CheckAttempt.objects.count(),
        "reflections": Reflection.objects.count(),
        "practice": SupervisedPracticeEntry.objects.count(),
    }


def assert_shows_nothing_of(response, private):
    content = response.content.decode()
    assert SECRET not in content
    blocks = [*private.reading.body, *private.check.body, *private.check.check_questions]
    hidden = [block.id for block in blocks] + [
        choice.id
        for block in private.check.check_questions
        for choice in block.value["choices"].bound_blocks
    ]
    for block_id in hidden:
        assert block_id not in content


def assert_works(client, private, action):
    before = learner_records()
    response = send(client, private, action)
    assert response.status_code == ACTIONS[action][2]
    if action != "practice_log_get":
        assert learner_records() != before


@pytest.mark.parametrize("action", ACTIONS)
def test_a_password_protected_programme_asks_for_its_password_first(client, user, private, action):
    restriction = restrict(private, PageViewRestriction.PASSWORD)
    set_up(user, private, action)
    client.force_login(user)
    before = learner_records()

    response = send(client, private, action)

    assert learner_records() == before
    assert response.status_code == 200
    page = page_of(private, action)
    form_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    content = response.content.decode()
    assert f'action="{form_url}"' in content
    back = response.wsgi_request.path if action.startswith("practice_log") else page.url
    assert f'name="return_url" value="{back}"' in content
    assert "no-cache" in response["Cache-Control"]
    assert_shows_nothing_of(response, private)

    response = client.post(form_url, {"password": PASSWORD, "return_url": back})
    assert response.status_code == 302 and response["Location"] == back
    assert_works(client, private, action)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_programme_for_some_groups_refuses_everyone_else(client, user, private, action):
    restriction = restrict(private, PageViewRestriction.GROUPS)
    set_up(user, private, action)
    client.force_login(user)
    before = learner_records()

    response = send(client, private, action)

    assert learner_records() == before
    assert response.status_code == 403
    assert "open only to members of particular groups" in response.content.decode()
    assert_shows_nothing_of(response, private)

    user.groups.add(restriction.groups.get())
    assert_works(client, private, action)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_programme_for_signed_in_users_sends_visitors_to_log_in(client, user, private, action):
    restrict(private, PageViewRestriction.LOGIN)
    set_up(user, private, action)
    before = learner_records()

    response = send(client, private, action)

    assert learner_records() == before
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert_shows_nothing_of(response, private)

    client.force_login(user)
    assert_works(client, private, action)


def test_a_refusal_after_the_password_shows_the_page_with_the_reason(client, user, private):
    """Only once the learner may view the page does a refused action show it, with the reason."""
    restriction = restrict(private, PageViewRestriction.PASSWORD)
    client.force_login(user)
    url = reverse("training:complete_module", args=[private.reading.pk])
    assert SECRET not in client.post(url).content.decode()
    client.post(
        reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, private.reading.pk]
        ),
        {"password": PASSWORD, "return_url": private.reading.url},
    )
    response = client.post(url)
    assert response.status_code == 403
    content = response.content.decode()
    assert f"{SECRET} welcome" in content and "Enrol in the programme first." in content


def test_a_restriction_on_a_module_alone_covers_its_actions(client, user, private):
    PageViewRestriction.objects.create(
        page=private.check, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    Enrolment.objects.create(user=user, programme=private.programme)
    client.force_login(user)
    response = send(client, private, "submit_check")
    assert response.status_code == 200 and not CheckAttempt.objects.exists()
    assert_shows_nothing_of(response, private)
    assert send(client, private, "complete_module").status_code == 303

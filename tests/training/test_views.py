"""The learner-facing views: buttons, access, bad input, and the whole journey."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail import hooks

from peerpath.training.models import (
    Attestation,
    CheckAttempt,
    Enrolment,
    ModuleProgress,
    Reflection,
)
from tests.factories import UserFactory
from tests.training.factories import answers_for, build_module, question, reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client, user):
    client.force_login(user)
    return client


def check_payload(module, answers, attempt=1):
    data = {"attempt": str(attempt)}
    for question_id, chosen in answers.items():
        data[f"q-{question_id}"] = chosen
    return data


def post_endpoints(programme, module):
    return [
        reverse("training:enrol", args=[programme.pk]),
        reverse("training:agree", args=[programme.pk]),
        reverse("training:complete_module", args=[module.pk]),
        reverse("training:submit_check", args=[module.pk]),
        reverse("training:save_reflection", args=[module.pk, "prompt"]),
    ]


# --- Methods, CSRF, login ------------------------------------------------------------------------


def test_post_endpoints_answer_get_with_405(learner, programme, reading_module):
    for url in post_endpoints(programme, reading_module):
        assert learner.get(url).status_code == 405, url


def test_post_endpoints_need_a_csrf_token(user, programme, reading_module):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for url in post_endpoints(programme, reading_module):
        assert client.post(url).status_code == 403, url
    assert not Enrolment.objects.exists()


def test_anonymous_posts_are_sent_to_log_in_and_back_to_the_page(client, programme):
    response = client.post(reverse("training:enrol", args=[programme.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert response["Location"].endswith("?next=" + programme.url)
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("view", ["enrol", "agree", "complete_module", "submit_check"])
def test_unknown_ids_get_404(learner, view):
    assert learner.post(reverse(f"training:{view}", args=[987654])).status_code == 404


def test_unpublished_pages_get_404(learner, programme, reading_module):
    reading_module.unpublish()
    response = learner.post(reverse("training:complete_module", args=[reading_module.pk]))
    assert response.status_code == 404
    programme.unpublish()
    assert learner.post(reverse("training:enrol", args=[programme.pk])).status_code == 404


def test_a_programme_id_is_not_accepted_as_a_module(learner, programme):
    response = learner.post(reverse("training:complete_module", args=[programme.pk]))
    assert response.status_code == 404


# --- Pages ---------------------------------------------------------------------------------------


def test_anonymous_visitors_see_summaries_and_a_login_prompt(client, programme, reading_module):
    page = client.get(programme.url).content.decode()
    assert reading_module.summary in page and "Log in" in page
    module = client.get(reading_module.url)
    assert module.status_code == 200
    html = module.content.decode()
    assert reading_module.summary in html
    assert "The body of the module." not in html
    assert "Log in to study this module" in html


def test_learners_not_enrolled_see_the_summary_and_an_enrol_button(learner, reading_module):
    html = learner.get(reading_module.url).content.decode()
    assert reading_module.summary in html
    assert "The body of the module." not in html
    assert '<button type="submit">Enrol</button>' in html


def test_editors_see_the_body_without_enrolling(client, staff_user, reading_module):
    client.force_login(staff_user)
    html = client.get(reading_module.url).content.decode()
    assert "The body of the module." in html
    assert "Mark as complete" not in html
    assert not ModuleProgress.objects.exists()


def test_enrol_button_enrols_and_redirects_to_the_programme(learner, user, programme):
    html = learner.get(programme.url).content.decode()
    assert '<button type="submit">Enrol</button>' in html
    response = learner.post(reverse("training:enrol", args=[programme.pk]))
    assert response.status_code == 303 and response["Location"] == programme.url
    assert Enrolment.objects.filter(user=user, programme=programme).exists()
    again = learner.post(reverse("training:enrol", args=[programme.pk]), follow=True)
    assert "already enrolled" in again.content.decode()
    assert Enrolment.objects.count() == 1


def test_opening_a_module_records_it_started(learner, user, enrolled, reading_module):
    html = learner.get(reading_module.url).content.decode()
    assert "The body of the module." in html
    assert '<button type="submit">Mark as complete</button>' in html
    assert ModuleProgress.objects.get(user=user, module=reading_module).completed_at is None


def test_a_locked_module_shows_why_and_hides_its_body(learner, enrolled, check_module):
    html = learner.get(check_module.url).content.decode()
    assert "Complete these first" in html and "Welcome" in html
    assert "Submit answers" not in html


def test_mark_as_complete(learner, user, enrolled, reading_module):
    response = learner.post(reverse("training:complete_module", args=[reading_module.pk]))
    assert response.status_code == 303
    assert ModuleProgress.objects.get(user=user, module=reading_module).completed_at
    html = learner.get(reading_module.url).content.decode()
    assert "You completed this module" in html


def test_mark_as_complete_is_refused_where_a_check_is_required(
    learner, enrolled, reading_module, check_module
):
    learner.post(reverse("training:complete_module", args=[reading_module.pk]))
    response = learner.post(reverse("training:complete_module", args=[check_module.pk]))
    assert response.status_code == 400
    assert "passing its knowledge check" in response.content.decode()


def test_not_enrolled_learners_get_403_with_a_message(learner, reading_module):
    response = learner.post(reverse("training:complete_module", args=[reading_module.pk]))
    assert response.status_code == 403
    assert "Enrol in the programme first" in response.content.decode()
    assert not ModuleProgress.objects.exists()


def test_a_locked_module_refuses_answers_with_403(learner, enrolled, check_module):
    url = reverse("training:submit_check", args=[check_module.pk])
    response = learner.post(url, check_payload(check_module, answers_for(check_module)))
    assert response.status_code == 403
    assert not CheckAttempt.objects.exists()


# --- Knowledge check -----------------------------------------------------------------------------


@pytest.fixture
def unlocked(learner, enrolled, reading_module, check_module):
    learner.post(reverse("training:complete_module", args=[reading_module.pk]))
    return check_module


def test_the_check_form_never_reveals_the_answers(learner, unlocked):
    html = learner.get(unlocked.url).content.decode()
    assert '<button type="submit">Submit answers</button>' in html
    assert "is_correct" not in html and "Because." not in html


def test_submitting_answers_shows_score_feedback_and_next_step(learner, user, unlocked):
    url = reverse("training:submit_check", args=[unlocked.pk])
    response = learner.post(url, check_payload(unlocked, answers_for(unlocked, correct=False)))
    assert response.status_code == 303
    assert response["Location"].endswith("?attempt=1#check-result")
    html = learner.get(response["Location"]).content.decode()
    assert "0%" in html and "Not passed yet" in html and "Because." in html
    assert "try the check again" in html

    response = learner.post(url, check_payload(unlocked, answers_for(unlocked), attempt=2))
    html = learner.get(response["Location"]).content.decode()
    assert "You answered 4 of 4 questions correctly" in html and "Passed" in html
    assert "read and agree to the code of conduct" in html
    assert ModuleProgress.objects.get(user=user, module=unlocked).best_score == 100


def test_double_submitting_the_same_form_counts_once(learner, unlocked):
    url = reverse("training:submit_check", args=[unlocked.pk])
    payload = check_payload(unlocked, answers_for(unlocked))
    assert learner.post(url, payload).status_code == 303
    response = learner.post(url, payload)
    assert response.status_code == 409
    assert "already submitted" in response.content.decode()
    assert CheckAttempt.objects.count() == 1


def test_someone_elses_attempt_is_never_shown(client, learner, user, unlocked, programme):
    url = reverse("training:submit_check", args=[unlocked.pk])
    learner.post(url, check_payload(unlocked, answers_for(unlocked)))
    other = UserFactory()
    Enrolment.objects.create(user=other, programme=programme)
    client.force_login(other)
    html = client.get(unlocked.url + "?attempt=1").content.decode()
    assert "Your result" not in html


def test_missing_answers_keep_the_choices_and_say_which_question(learner, unlocked):
    answers = answers_for(unlocked)
    missing = unlocked.check_questions[3].id
    del answers[missing]
    url = reverse("training:submit_check", args=[unlocked.pk])
    response = learner.post(url, check_payload(unlocked, answers))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer every question" in html
    assert f'href="#question-{missing}"' in html
    kept = next(iter(answers.values()))[0]
    assert f'value="{kept}" checked' in html
    assert not CheckAttempt.objects.exists()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda data, module: data.update({"q-unknown": ["x"]}),
        lambda data, module: data.update({f"q-{module.check_questions[0].id}": ["x" * 5000]}),
        lambda data, module: data.update(
            {f"q-{module.check_questions[0].id}": data[f"q-{module.check_questions[1].id}"]}
        ),
        lambda data, module: data.update(
            {f"q-{module.check_questions[0].id}": data[f"q-{module.check_questions[0].id}"] * 2}
        ),
        lambda data, module: data.update({"attempt": "banana"}),
        lambda data, module: data.pop("attempt"),
    ],
    ids=[
        "unknown question",
        "huge id",
        "other question's choice",
        "duplicate",
        "bad attempt",
        "no attempt",
    ],
)
def test_tampered_submissions_get_400_and_record_nothing(learner, unlocked, mutate):
    data = check_payload(unlocked, answers_for(unlocked))
    mutate(data, unlocked)
    response = learner.post(reverse("training:submit_check", args=[unlocked.pk]), data)
    assert response.status_code == 400
    assert "Nothing was recorded" in response.content.decode()
    assert not CheckAttempt.objects.exists()


def test_a_huge_payload_gets_400(learner, unlocked, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    data = check_payload(unlocked, answers_for(unlocked))
    data.update({f"q-{i}": ["x"] for i in range(200)})
    response = learner.post(reverse("training:submit_check", args=[unlocked.pk]), data)
    assert response.status_code == 400
    assert not CheckAttempt.objects.exists()


def test_the_attempt_limit_is_shown_and_enforced(learner, enrolled, programme):
    module = build_module(
        programme,
        title="Once",
        questions=[question()],
        check_attempt_limit=1,
    )
    url = reverse("training:submit_check", args=[module.pk])
    learner.post(url, check_payload(module, answers_for(module, correct=False)))
    html = learner.get(module.url).content.decode()
    assert "used all your attempts" in html and "Submit answers" not in html
    response = learner.post(url, check_payload(module, answers_for(module), attempt=2))
    assert response.status_code == 403
    assert CheckAttempt.objects.count() == 1


# --- Code of conduct -----------------------------------------------------------------------------


def test_i_agree_records_the_current_version(learner, user, enrolled, programme):
    html = learner.get(programme.url).content.decode()
    assert '<button type="submit">I agree</button>' in html
    version = programme.code_of_conduct_versions.get()
    response = learner.post(reverse("training:agree", args=[programme.pk]), {"version": version.pk})
    assert response.status_code == 303
    assert Attestation.objects.get(user=user).conduct_version == version
    assert "You agreed to this version" in learner.get(programme.url).content.decode()


@pytest.mark.parametrize("version", ["", "0", "abc", "99999"])
def test_i_agree_with_a_wrong_version_is_refused(learner, enrolled, programme, version):
    response = learner.post(reverse("training:agree", args=[programme.pk]), {"version": version})
    assert response.status_code == 409
    assert not Attestation.objects.exists()


# --- Reflections ---------------------------------------------------------------------------------


@pytest.fixture
def reflective(programme):
    return build_module(programme, title="Reflective", body=[reflection("What did you notice?")])


def test_a_reflection_is_visible_only_to_its_author(
    client, learner, user, enrolled, reflective, staff_user, programme
):
    prompt_id = reflective.body[0].id
    url = reverse("training:save_reflection", args=[reflective.pk, prompt_id])
    response = learner.post(url, {"text": "A private thought about my own recovery."})
    assert response.status_code == 303
    assert "A private thought" in learner.get(reflective.url).content.decode()
    assert "A private thought" in learner.get(reverse("training:my_reflections")).content.decode()
    download = learner.get(reverse("training:my_reflections") + "?download=1")
    assert "attachment" in download["Content-Disposition"]
    assert "A private thought" in download.content.decode()

    client.force_login(staff_user)
    assert "A private thought" not in client.get(reflective.url).content.decode()
    assert "A private thought" not in str(Reflection.objects.get())
    other = UserFactory()
    Enrolment.objects.create(user=other, programme=programme)
    client.force_login(other)
    assert "A private thought" not in client.get(reflective.url).content.decode()
    assert (
        "A private thought" not in client.get(reverse("training:my_reflections")).content.decode()
    )


def test_reflections_are_not_in_the_wagtail_admin(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/admin/snippets/training/reflection/").status_code == 404


def test_a_reflection_for_an_unknown_prompt_is_refused(learner, enrolled, reflective):
    url = reverse("training:save_reflection", args=[reflective.pk, "nope"])
    assert learner.post(url, {"text": "Hello"}).status_code == 400
    assert not Reflection.objects.exists()


# --- My training ---------------------------------------------------------------------------------


def test_my_training_needs_a_login(client):
    response = client.get(reverse("training:my_training"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_my_training_empty_state_points_to_the_programmes(learner, training_index):
    html = learner.get(reverse("training:my_training")).content.decode()
    assert "You have not started any training yet" in html
    assert f'href="{training_index.url}"' in html


def test_my_training_shows_progress_hours_next_and_locks(
    learner, enrolled, reading_module, check_module, optional_module
):
    html = learner.get(reverse("training:my_training")).content.decode()
    assert '<progress max="100" value="0"' in html
    assert "0 of 2 required modules" in html and "0%" in html
    assert "0.0 of 1.0 hours completed" in html
    assert f'href="{reading_module.url}">Welcome</a>' in html
    assert "Complete first: Welcome." in html

    learner.post(reverse("training:complete_module", args=[reading_module.pk]))
    html = learner.get(reverse("training:my_training")).content.decode()
    assert '<progress max="100" value="50"' in html and "1 of 2 required modules" in html
    assert "0.5 of 1.0 hours completed" in html


def test_my_training_renders_panels_from_other_apps(learner, enrolled):
    from django.utils.html import format_html

    def panel(request, enrolments):
        return format_html('<section class="panel">Certificates for {}</section>', len(enrolments))

    def nothing(request, enrolments):
        return None

    with hooks.register_temporarily("peerpath_my_training_panels", panel):
        with hooks.register_temporarily("peerpath_my_training_panels", nothing):
            html = learner.get(reverse("training:my_training")).content.decode()
    assert '<section class="panel">Certificates for 1</section>' in html


def test_the_header_links_to_my_training(learner, home_page):
    html = learner.get(home_page.url).content.decode()
    assert f'href="{reverse("training:my_training")}">My training</a>' in html


# --- The whole journey ---------------------------------------------------------------------------


def test_a_learner_completes_the_programme_through_the_buttons(
    learner, user, programme, reading_module, check_module, optional_module
):
    learner.post(reverse("training:enrol", args=[programme.pk]))
    learner.get(reading_module.url)
    learner.post(reverse("training:complete_module", args=[reading_module.pk]))
    url = reverse("training:submit_check", args=[check_module.pk])
    learner.post(url, check_payload(check_module, answers_for(check_module, correct=False)))
    learner.post(url, check_payload(check_module, answers_for(check_module), attempt=2))
    version = programme.code_of_conduct_versions.get()
    response = learner.post(
        reverse("training:agree", args=[programme.pk]), {"version": version.pk}, follow=True
    )
    html = response.content.decode()
    assert "you have completed the programme" in html
    assert "You completed this programme on" in html
    assert Enrolment.objects.get(user=user).completed_at is not None
    html = learner.get(reverse("training:my_training")).content.decode()
    assert "Complete" in html and "2 of 2 required modules" in html and "100%" in html


def test_garbage_from_a_learner_who_is_not_enrolled_gets_403_with_a_message(learner, check_module):
    url = reverse("training:submit_check", args=[check_module.pk])
    response = learner.post(url, {"attempt": "banana", "q-x": "y"})
    assert response.status_code == 403
    assert "Enrol in the programme first" in response.content.decode()
    assert not CheckAttempt.objects.exists()

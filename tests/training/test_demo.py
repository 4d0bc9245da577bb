"""The demo programme: complete, well-formed, idempotent, and completable by a new learner."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Revision

from home import demo_training as demo
from home.demo import load as load_home
from peerpath.training.models import (
    CheckAttempt,
    CodeOfConductVersion,
    Enrolment,
    ModulePage,
    ModuleProgress,
    ProgrammePage,
    TrainingIndexPage,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_programme():
    load_home()
    return demo.load()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Revision,
            CodeOfConductVersion,
            Enrolment,
            ModuleProgress,
            CheckAttempt,
        )
    }


def test_loading_twice_creates_nothing_new(demo_programme):
    before = counts()
    demo.load()
    assert counts() == before


def test_the_index_sits_under_the_home_page_in_the_menu(demo_programme):
    index = TrainingIndexPage.objects.get()
    assert index.slug == "programmes" and index.show_in_menus and index.live
    assert index.get_parent().specific_class.__name__ == "HomePage"


def test_the_programme_is_the_facilitator_foundations(demo_programme):
    programme = ProgrammePage.objects.get()
    assert programme.title == "Peer Support Group Facilitator Foundations"
    assert (programme.credential_name, programme.credential_code, programme.validity_months) == (
        "Peer Support Group Facilitator",
        "PSGF",
        24,
    )
    assert programme.current_code_of_conduct.version == 1
    assert programme.estimated_hours > 0


def test_every_topic_module_has_a_good_knowledge_check(demo_programme):
    modules = list(ModulePage.objects.child_of(demo_programme).live())
    with_checks = [module for module in modules if module.has_check]
    assert len(with_checks) >= 7
    for module in with_checks:
        assert len(module.check_questions) >= 4, module.title
        for block in module.check_questions:
            value = block.value
            assert value["explanation"], module.title
            assert question_is_valid(block)
    assert any(not module.is_required for module in modules)
    assert sum(module.prerequisites.count() for module in modules) >= 2
    assert sum(1 for m in modules for b in m.body if b.block_type == "reflection") >= 3


def question_is_valid(block):
    from peerpath.training.blocks import QuestionBlock

    QuestionBlock().clean(block.value)
    return True


def test_the_demo_learner_has_started(demo_programme):
    from home.demo import DEMO_USERS

    enrolment = Enrolment.objects.get(user__email=DEMO_USERS["learner"]["email"])
    assert enrolment.completed_at is None
    assert (
        ModuleProgress.objects.filter(user=enrolment.user, completed_at__isnull=False).count() == 2
    )


def test_demo_pages_render(client, demo_programme):
    for page in Page.objects.type(TrainingIndexPage, ProgrammePage, ModulePage).live():
        assert client.get(page.url).status_code == 200, page.url


def test_a_new_learner_can_complete_the_demo_programme(client, demo_programme):
    learner = UserFactory()
    client.force_login(learner)
    programme = ProgrammePage.objects.get()
    assert client.post(reverse("training:enrol", args=[programme.pk])).status_code == 303
    failed_once = False
    for module in ModulePage.objects.child_of(programme).live().order_by("path"):
        if not module.is_required:
            continue
        assert "Locked" not in client.get(module.url).content.decode()
        if not module.has_check:
            client.post(reverse("training:complete_module", args=[module.pk]))
            continue
        right = {
            f"q-{block.id}": [
                item.id for item in block.value["choices"].bound_blocks if item.value["is_correct"]
            ]
            for block in module.check_questions
        }
        url = reverse("training:submit_check", args=[module.pk])
        attempt = 1
        if not failed_once:
            wrong = {
                key: [
                    item.id
                    for block in module.check_questions
                    if f"q-{block.id}" == key
                    for item in block.value["choices"].bound_blocks
                    if not item.value["is_correct"]
                ][:1]
                for key in right
            }
            response = client.post(url, {**wrong, "attempt": "1"})
            assert "Not passed yet" in client.get(response["Location"]).content.decode()
            failed_once, attempt = True, 2
        response = client.post(url, {**right, "attempt": str(attempt)})
        assert "Passed" in client.get(response["Location"]).content.decode()
    version = programme.current_code_of_conduct
    response = client.post(
        reverse("training:agree", args=[programme.pk]), {"version": version.pk}, follow=True
    )
    assert "You completed this programme on" in response.content.decode()
    assert Enrolment.objects.get(user=learner).completed_at is not None

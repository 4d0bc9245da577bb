"""Page types: tree rules, rendering, previews, code-of-conduct versions, validation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.demo import ensure_home_page
from home.models import HomePage
from peerpath.training.models import (
    CodeOfConductVersion,
    ModulePage,
    ProgrammePage,
    TrainingIndexPage,
)
from tests.factories import UserFactory
from tests.training.factories import (
    build_index,
    build_module,
    build_programme,
    question,
    reflection,
)


class TrainingPageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.index = build_index(cls.home)
        cls.programme = build_programme(cls.index)
        cls.module = build_module(
            cls.programme,
            title="Reading",
            questions=[question()],
            body=[
                {"type": "text", "value": "<p>Body text.</p>"},
                reflection(),
                {"type": "key_points", "value": {"title": "Key points", "points": ["One"]}},
                {
                    "type": "callout",
                    "value": {"tone": "tip", "title": "Tip", "text": "<p>Breathe.</p>"},
                },
            ],
        )

    def test_programmes_live_under_an_index_and_modules_under_a_programme(self):
        self.assertCanCreateAt(HomePage, TrainingIndexPage)
        self.assertCanCreateAt(TrainingIndexPage, ProgrammePage)
        self.assertCanCreateAt(ProgrammePage, ModulePage)

    def test_pages_cannot_be_created_out_of_place(self):
        self.assertCanNotCreateAt(HomePage, ProgrammePage)
        self.assertCanNotCreateAt(HomePage, ModulePage)
        self.assertCanNotCreateAt(TrainingIndexPage, ModulePage)
        self.assertCanNotCreateAt(TrainingIndexPage, TrainingIndexPage)
        self.assertCanNotCreateAt(ProgrammePage, ProgrammePage)
        self.assertCanNotCreateAt(ModulePage, ModulePage)
        self.assertCanNotCreateAt(Page, ProgrammePage)

    def test_allowed_parents(self):
        self.assertAllowedParentPageTypes(ProgrammePage, {TrainingIndexPage})
        self.assertAllowedParentPageTypes(ModulePage, {ProgrammePage})

    def test_allowed_subpages(self):
        self.assertAllowedSubpageTypes(TrainingIndexPage, {ProgrammePage})
        self.assertAllowedSubpageTypes(ProgrammePage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, {})

    def test_pages_render_for_anonymous_visitors(self):
        for page in (self.index, self.programme, self.module):
            self.assertPageIsRenderable(page)

    def test_pages_render_for_learners_and_editors(self):
        for user in (UserFactory(), UserFactory(is_staff=True, is_superuser=True)):
            for page in (self.index, self.programme, self.module):
                self.assertPageIsRenderable(page, user=user)

    def test_pages_can_be_previewed(self):
        # Wagtail's assertPageIsPreviewable cannot build form data for StreamFields of
        # simple blocks, so render the preview of each page directly.
        for page in (self.index, self.programme, self.module):
            response = page.make_preview_request()
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, page.title)

    def test_new_pages_can_be_previewed_before_their_first_save(self):
        editor = UserFactory(is_staff=True, is_superuser=True)
        self.client.force_login(editor)
        for parent, model, title in (
            (self.index, ProgrammePage, "New programme"),
            (self.programme, ModulePage, "New module"),
        ):
            page = model(title=title, summary="Draft summary.")
            page.depth = parent.depth + 1
            page.path = parent.get_last_child()._inc_path()
            page.set_url_path(parent)
            response = page.make_preview_request(original_request=self._editor_request(editor))
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, title)

    def _editor_request(self, editor):
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        request.user = editor
        return request

    def test_post_to_a_page_is_not_allowed(self):
        response = self.client.post(self.module.url)
        self.assertEqual(response.status_code, 405)

    def test_editors_can_open_the_edit_forms(self):
        self.client.force_login(UserFactory(is_staff=True, is_superuser=True))
        for page in (self.index, self.programme, self.module):
            response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            self.assertEqual(response.status_code, 200)


@pytest.mark.django_db
def test_publishing_a_changed_code_of_conduct_creates_a_new_version(programme):
    assert programme.code_of_conduct_versions.count() == 1
    programme.save_revision().publish()
    assert programme.code_of_conduct_versions.count() == 1
    programme.code_of_conduct = "<p>Version two.</p>"
    programme.save_revision()  # a draft is not a version learners agree to
    assert programme.code_of_conduct_versions.count() == 1
    ProgrammePage.objects.get(pk=programme.pk).get_latest_revision().publish()
    latest = CodeOfConductVersion.objects.filter(programme=programme).order_by("-version")[0]
    assert (latest.version, latest.text) == (2, "<p>Version two.</p>")


@pytest.mark.django_db
def test_a_prerequisite_must_be_a_sibling(training_index, programme, reading_module):
    other_programme = build_programme(training_index, title="Other")
    foreign = build_module(other_programme, title="Foreign")
    reading_module.prerequisites.set([foreign])
    with pytest.raises(ValidationError):
        reading_module.full_clean()
    reading_module.prerequisites.set([reading_module])
    with pytest.raises(ValidationError):
        reading_module.full_clean()


@pytest.mark.django_db
def test_a_single_choice_question_needs_exactly_one_correct_answer():
    from peerpath.training.blocks import QuestionBlock

    block = QuestionBlock()
    value = block.to_python(question(choices=[("A", True), ("B", True)])["value"])
    with pytest.raises(ValidationError):
        block.clean(value)
    value = block.to_python(question(choices=[("A", False), ("B", False)])["value"])
    with pytest.raises(ValidationError):
        block.clean(value)

"""Builders for training pages and factory-boy factories for learner records."""

import itertools
import uuid

import factory

from peerpath.training.models import (
    Enrolment,
    ModulePage,
    ProgrammePage,
    TrainingIndexPage,
)
from tests.factories import UserFactory

_slugs = itertools.count(1)

CODE_OF_CONDUCT = "<p>Listen without judgement. Keep what is shared in the group confidential.</p>"


def new_id():
    return str(uuid.uuid4())


def question(prompt="Which is right?", choices=None, kind="single", explanation="Because."):
    """Raw StreamField data for one knowledge-check question with explicit, stable ids.

    `choices` is a list of (text, is_correct); by default two choices, the first correct.
    """
    choices = choices or [("Right", True), ("Wrong", False)]
    return {
        "type": "question",
        "id": new_id(),
        "value": {
            "prompt": prompt,
            "kind": kind,
            "choices": [
                {"type": "item", "id": new_id(), "value": {"text": text, "is_correct": correct}}
                for text, correct in choices
            ],
            "explanation": explanation,
        },
    }


def reflection(prompt="What did you notice?"):
    return {"type": "reflection", "id": new_id(), "value": {"prompt": prompt, "guidance": ""}}


def publish(page):
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)


def build_index(parent, title="Programmes", slug="programmes"):
    index = TrainingIndexPage(title=title, slug=slug, show_in_menus=True)
    parent.add_child(instance=index)
    return publish(index)


def build_programme(index, title="Foundations", code_of_conduct=CODE_OF_CONDUCT, **fields):
    defaults = {
        "slug": f"page-{next(_slugs)}",
        "credential_name": "Peer Support Group Facilitator",
        "credential_code": "PSGF",
        "summary": "Learn to run a peer support group.",
        "validity_months": 24,
        "pass_mark": 75,
    }
    defaults.update(fields)
    programme = ProgrammePage(title=title, code_of_conduct=code_of_conduct, **defaults)
    index.add_child(instance=programme)
    return publish(programme)


def build_module(
    programme, title="Module", questions=None, body=None, prerequisites=(), revision=True, **fields
):
    """Add a live module. `revision=False` skips the revision, for tests that need many modules."""
    defaults = {
        "slug": f"page-{next(_slugs)}",
        "summary": f"What {title} covers.",
        "estimated_minutes": 30,
    }
    defaults.update(fields)
    module = ModulePage(title=title, **defaults)
    module.body = (
        body
        if body is not None
        else [{"type": "text", "id": new_id(), "value": "<p>The body of the module.</p>"}]
    )
    module.check_questions = questions or []
    programme.add_child(instance=module)
    if prerequisites:
        module.prerequisites.set(prerequisites)
        module.save()
    return publish(module) if revision else module


def answers_for(module, correct=True):
    """A full answer sheet for a module's check: all right, or all wrong."""
    sheet = {}
    for block in module.check_questions:
        items = block.value["choices"].bound_blocks
        sheet[block.id] = [item.id for item in items if bool(item.value["is_correct"]) == correct][
            : None if correct else 1
        ]
    return sheet


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)


__all__ = [
    "EnrolmentFactory",
    "ModulePage",
    "ProgrammePage",
    "answers_for",
    "build_index",
    "build_module",
    "build_programme",
    "question",
    "reflection",
]

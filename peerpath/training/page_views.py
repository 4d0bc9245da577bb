"""What the training pages show one visitor: their part of each page's context, built from the
request with the progress tracker's read model, and what serving a module page records.

The pages (`peerpath.training.models.pages`) cannot ask the tracker themselves (it is built on them), so
`register()`, called when the app is ready, gives each page type its `PageView`.
"""

from peerpath.access import can_edit_page
from peerpath.fragments import rendered_blocks

from . import progress, requirements
from .models import (
    CheckAttempt,
    ModulePage,
    PageView,
    ProgrammePage,
    ProgrammeRequirement,
    Reflection,
    TrainingIndexPage,
    register_page_view,
)
from .structure import structure_of_module


def training_index_context(page, request, context):
    """The programmes listed, each with the visitor's standing on it."""
    programmes = list(page.programmes())
    overviews = progress.overviews_for_programmes(request.user, programmes)
    context["overviews"] = [overviews[programme.pk] for programme in programmes]


def programme_context(page, request, context):
    """The visitor's standing on the programme and its certification rules, with their progress
    towards full certification when they are enrolled and it has such rules."""
    overview = progress.programme_overview(request.user, page)
    context["overview"] = overview
    rules = {stage: [] for stage in ProgrammeRequirement.Stage.values}
    for requirement in page.requirements.select_related("category").order_by("sort_order"):
        rules[requirement.stage].append(requirement)
    context["certification_rules"] = rules
    if rules[ProgrammeRequirement.Stage.FULL] and overview.is_enrolled:
        context["full_certification_progress"] = requirements.measure(
            request.user.pk, page.pk, rules[ProgrammeRequirement.Stage.FULL]
        )


def module_page_context(request, module):
    """Everything a module page shows one visitor, in a constant number of queries."""
    user = request.user
    # The programme comes with its cached structure instead of a query of its own.
    programme_structure = structure_of_module(module, request)
    if programme_structure is not None and "programme" not in vars(module):
        module.programme = programme_structure.programme
    can_edit = can_edit_page(user, module)
    study = progress.module_study(user, module, can_edit=can_edit)
    # A module previewed before it is first saved has no id and no learner records yet.
    has_records = study.can_study and user.is_authenticated and module.pk is not None
    reflections = {}
    if has_records and module.reflection_prompt_ids():
        reflections = {
            reflection.prompt_id: reflection
            for reflection in Reflection.objects.filter(user=user, module=module)
        }
    result = None
    attempt_number = request.GET.get("attempt", "")
    if has_records and attempt_number.isascii() and attempt_number.isdigit():
        attempt = CheckAttempt.objects.filter(
            user=user, module=module, number=int(attempt_number[:6])
        ).first()
        if attempt is not None:
            result = progress.CheckResult.for_attempt(module, attempt, study.overview.programme)
    return {
        "programme": study.overview.programme,
        "overview": study.overview,
        "study": study,
        "body_items": [(block, reflections.get(block.id)) for block in module.body],
        "questions": progress.question_form(module),
        "result": result,
        "pass_mark": module.pass_mark_for(study.overview.programme),
    }


def module_context(page, request, context):
    context.update(module_page_context(request, page))
    # The body's HTML is shared by every learner; reflections hold their own answers, so the
    # template renders those for each request.
    rendered = rendered_blocks(request, page, "body", personal_block_types={"reflection"})
    context["body_items"] = [
        (block, reflection, html)
        for (block, reflection), (_block, html) in zip(context["body_items"], rendered, strict=True)
    ]


def module_served(page, request, context):
    """Opening a module the learner may study records it started."""
    study = context["study"]
    if study.should_record_start:
        study.progress = progress.record_module_started(request.user, page)


def register():
    register_page_view(TrainingIndexPage, PageView(training_index_context))
    register_page_view(ProgrammePage, PageView(programme_context))
    register_page_view(ModulePage, PageView(module_context, served=module_served))

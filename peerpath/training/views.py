"""Training views: thin wrappers that hand every decision to `training.progress`.

Each POST endpoint looks the page up (live pages only), lets only those act who may view the page
(signed in, and past its Wagtail privacy: `page_privacy.refusal`), calls one tracker function, and
answers with a message and a redirect (303, so a reload never re-submits). A refusal re-renders the
page, which they may view, with the tracker's message and its 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks

from peerpath.layout import page_url

from . import page_privacy, progress
from .models import ModulePage, ProgrammePage, TrainingIndexPage

MY_TRAINING_PANELS_HOOK = "peerpath_my_training_panels"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _render_page(request, page, status, **extra):
    """Render a training page as its own view would, with extra context and an HTTP status."""
    request.is_preview = False
    context = page.get_context(request)
    context.update(extra)
    return TemplateResponse(request, page.get_template(request), context, status=status)


def _refuse(request, page, error, **extra):
    messages.error(request, error.message)
    return _render_page(request, page, error.status_code, **extra)


def _may_not_act(request, page):
    """What to answer instead of acting, or None: anonymous visitors are sent to log in and brought
    back to the page (not to the endpoint); then the page's privacy settings apply."""
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    return page_privacy.refusal(request, page)


# By `id`, not `pk`: a page's pk is its parent link, which skips Django's check for ids beyond
# the database's integer range, so /programmes/99999999999999999999/enrol/ was a 500, not a 404.
def _live_programme(programme_id):
    return get_object_or_404(ProgrammePage.objects.live(), id=programme_id)


def _live_module(module_id):
    return get_object_or_404(ModulePage.objects.live(), id=module_id)


@require_POST
def enrol(request, programme_id):
    """**Enrol** the signed-in learner in a programme."""
    programme = _live_programme(programme_id)
    if response := _may_not_act(request, programme):
        return response
    try:
        _enrolment, created = progress.enrol(request.user, programme)
    except progress.ProgressError as error:
        return _refuse(request, programme, error)
    if created:
        messages.success(
            request,
            format_lazy(
                _("You are enrolled in {programme}. Start with the first module."),
                programme=programme.title,
            ),
        )
    else:
        messages.info(request, _("You are already enrolled in this programme."))
    return HttpResponseSeeOther(programme.url)


@require_POST
def agree_to_code_of_conduct(request, programme_id):
    """**I agree**: the learner accepts the version of the code of conduct they were shown."""
    programme = _live_programme(programme_id)
    if response := _may_not_act(request, programme):
        return response
    try:
        _attestation, completed = progress.agree_to_code_of_conduct(
            request.user, programme, request.POST.get("version", "")
        )
    except progress.ProgressError as error:
        return _refuse(request, programme, error)
    messages.success(request, _("Thank you. Your agreement to the code of conduct is recorded."))
    if completed:
        messages.success(request, _("Congratulations: you have completed the programme."))
    return HttpResponseSeeOther(f"{programme.url}#code-of-conduct")


@require_POST
def restart(request, programme_id):
    """**Restart the programme** when the learner can no longer complete it as it stands."""
    programme = _live_programme(programme_id)
    if response := _may_not_act(request, programme):
        return response
    try:
        enrolment = progress.restart(request.user, programme)
    except progress.ProgressError as error:
        return _refuse(request, programme, error)
    messages.success(
        request,
        _(
            "You have restarted the programme. Your module progress and knowledge-check attempts "
            "are cleared: start again with the first module."
        ),
    )
    closes_at = progress.check_window_closes_at(enrolment, programme)
    if closes_at is not None:
        messages.info(
            request,
            format_lazy(
                _("You have until {moment} to pass the knowledge checks."),
                moment=progress.format_moment(closes_at),
            ),
        )
    return HttpResponseSeeOther(programme.url)


@require_POST
def complete_module(request, module_id):
    """**Mark as complete** a module without a knowledge check."""
    module = _live_module(module_id)
    if response := _may_not_act(request, module):
        return response
    try:
        outcome = progress.mark_module_complete(request.user, module)
    except progress.ProgressError as error:
        return _refuse(request, module, error)
    if outcome.module_completed:
        messages.success(request, _("Module complete. Well done."))
    else:
        messages.info(request, _("You had already completed this module."))
    if outcome.programme_completed:
        messages.success(request, _("Congratulations: you have completed the programme."))
    return HttpResponseSeeOther(module.url)


@require_POST
def submit_check(request, module_id):
    """**Submit answers** to a module's knowledge check, then show the result."""
    module = _live_module(module_id)
    if response := _may_not_act(request, module):
        return response
    answers = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
    try:
        result = progress.submit_check(
            request.user, module, answers, request.POST.get("attempt", "")
        )
    except progress.InvalidAnswers as error:
        # Shown once, in the form's error summary, with the learner's choices kept when they
        # only missed a question.
        submitted = answers if isinstance(error, progress.IncompleteAnswers) else {}
        return _render_page(
            request,
            module,
            error.status_code,
            check_error=error.message,
            missing_questions=getattr(error, "missing", []),
            questions=progress.question_form(module, submitted),
        )
    except progress.ProgressError as error:
        return _refuse(request, module, error)
    if result.passed:
        messages.success(
            request,
            format_lazy(_("You passed with {score}%."), score=result.score),
        )
    else:
        messages.warning(
            request,
            format_lazy(
                _(
                    "You scored {score}%; the pass mark is {pass_mark}%. Read the explanations "
                    "below, then try again."
                ),
                score=result.score,
                pass_mark=result.pass_mark,
            ),
        )
    if result.programme_completed:
        messages.success(request, _("Congratulations: you have completed the programme."))
    return HttpResponseSeeOther(f"{module.url}?attempt={result.attempt.number}#check-result")


@require_POST
def save_reflection(request, module_id, prompt_id):
    """Save the learner's private reflection for one prompt of a module."""
    module = _live_module(module_id)
    if response := _may_not_act(request, module):
        return response
    try:
        progress.save_reflection(request.user, module, prompt_id, request.POST.get("text", ""))
    except progress.ProgressError as error:
        return _refuse(request, module, error)
    messages.success(request, _("Your reflection is saved. Only you can see it."))
    return HttpResponseSeeOther(f"{module.url}#reflection-{prompt_id}")


@require_GET
@login_required
def my_training(request):
    """The learner's own training: every enrolment with its progress, plus other apps' panels.

    Other apps add panels with the `peerpath_my_training_panels` hook: a function
    `fn(request, enrolments)` returning HTML (a SafeString, e.g. from `render_to_string`) or None.
    """
    overviews = progress.learner_overviews(request.user)
    enrolments = [overview.enrolment for overview in overviews]
    panels = []
    for panel_hook in hooks.get_hooks(MY_TRAINING_PANELS_HOOK):
        html = panel_hook(request, enrolments)
        if html:
            panels.append(html)
    return render(
        request,
        "training/my_training.html",
        {
            "overviews": overviews,
            "panels": panels,
            "programmes_url": _programmes_url(request),
        },
    )


@require_GET
@login_required
def my_reflections(request):
    """The learner's private reflections; `?download=1` exports them as a text file."""
    entries = progress.reflections_for(request.user)
    if request.GET.get("download"):
        lines = [_("My reflections"), ""]
        for entry in entries:
            module = entry["module"]
            lines += [
                f"## {module.title if module else _('A module that no longer exists')}",
                entry["prompt"],
                "",
                entry["reflection"].text,
                "",
                date_format(entry["reflection"].updated_at, "DATETIME_FORMAT"),
                "",
            ]
        response = HttpResponse(
            "\n".join(str(line) for line in lines), content_type="text/plain; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="my-reflections.txt"'
        return response
    return render(request, "training/my_reflections.html", {"entries": entries})


def _programmes_url(request):
    index = TrainingIndexPage.objects.live().order_by("path").first()
    # As `index.get_url(request)`, with the request's site from the cached layout (no query).
    return page_url(request, index) if index else None

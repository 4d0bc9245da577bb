"""Supervised practice pages: the learner's log for a programme, and the supervisor's review list.
Thin: the rules live in `training/practice.py`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from . import page_privacy, practice, requirements
from .models import Enrolment, SupervisedPracticeEntry, SupervisorAssignment


class PracticeEntryForm(forms.ModelForm):
    class Meta:
        model = SupervisedPracticeEntry
        fields = ["date", "hours", "description"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "hours": _("Half hours allowed, e.g. 3.5."),
            "description": _(
                "What you did, so your supervisor recognises it. Leave out anything that could "
                "identify the people you supported."
            ),
        }


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs correcting"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice_log(request, programme_id):
    """The learner's supervised practice for one programme they are enrolled in, while the
    programme's privacy settings let them view it."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("programme"), user=request.user, programme_id=programme_id
    )
    programme = enrolment.programme
    if response := page_privacy.refusal(request, programme, return_url=request.path):
        return response
    form = PracticeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice.log_entry(request.user, programme, **form.cleaned_data)
        except practice.PracticeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Logged. Your supervisor can now sign it off."))
            return redirect("training:practice_log", programme_id=programme.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/practice_log.html",
        {
            "programme": programme,
            "form": form,
            "entries": SupervisedPracticeEntry.objects.filter(
                learner=request.user, programme=programme
            ),
            "requirements": requirements.full_certification_progress(
                request.user.pk, [programme.pk]
            ).get(programme.pk, []),
            "has_supervisor": SupervisorAssignment.objects.filter(learner=request.user).exists(),
        },
        status=status,
    )


def _supervisor_only(request):
    if not SupervisorAssignment.objects.filter(supervisor=request.user).exists():
        raise Http404


@login_required
@require_http_methods(["GET", "HEAD"])
def supervision(request):
    """The supervisor's list: entries waiting for a decision, then recent decisions."""
    _supervisor_only(request)
    entries = practice.entries_to_review(request.user)
    return render(
        request,
        "training/supervision.html",
        {
            "waiting": entries.filter(status=SupervisedPracticeEntry.Status.PENDING),
            "decided": entries.exclude(status=SupervisedPracticeEntry.Status.PENDING)[:50],
        },
    )


def _entry_for_supervisor(request, entry_id):
    _supervisor_only(request)
    entry = practice.entries_to_review(request.user).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


@login_required
@require_POST
def sign_off(request, entry_id):
    entry = _entry_for_supervisor(request, entry_id)
    try:
        practice.sign_off(entry, request.user)
    except practice.PracticeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Signed off."))
    return redirect("training:supervision")


@login_required
@require_POST
def send_back(request, entry_id):
    entry = _entry_for_supervisor(request, entry_id)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what needs correcting when sending an entry back."))
        return redirect("training:supervision")
    try:
        practice.send_back(entry, request.user, form.cleaned_data["comment"])
    except practice.PracticeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sent back with your comment."))
    return redirect("training:supervision")

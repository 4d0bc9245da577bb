"""Continuing education: the learner's log of learning done outside PeerPath, and the evidence
download. What an evidence file may be is decided by `ContinuingEducationForm`; who may download
it by `can_view_evidence`; deleting rows and files by `privacy.delete_ce_activities`."""

import os
import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from peerpath.organisations.roles import LEARNERS
from peerpath.organisations.scope import scope_learners

from . import privacy
from .models import ContinuingEducationActivity, ContinuingEducationCategory

ACTIVITIES_PER_PAGE = 20
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_NAME_MAX_LENGTH = ContinuingEducationActivity._meta.get_field("evidence_name").max_length

# Extension → (content type, the bytes such a file starts with). The extension alone is what the
# learner's computer claims; the first bytes are what the file is.
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


def clean_evidence_name(name):
    """The learner's file name as it can be shown and offered for download again: no folders, no
    control characters, at most 120 characters with its extension kept."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = " ".join(name.split())
    # Prefixed so that ".pdf" is an extension with no stem rather than a hidden file.
    stem, extension = os.path.splitext("_" + name)
    stem = stem[1:].lstrip(". ") or "evidence"
    return stem[: EVIDENCE_NAME_MAX_LENGTH - len(extension)].rstrip() + extension


class ContinuingEducationForm(forms.ModelForm):
    # Declared here rather than derived from the model so that a long original file name is
    # shortened into `evidence_name` instead of refused (the stored name is generated anyway).
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        help_text=_(
            "A certificate of attendance or similar: PDF, PNG or JPEG, up to 5 MB. Only you and "
            "the administrators who check renewals can open it."
        ),
    )

    class Meta:
        model = ContinuingEducationActivity
        fields = ["title", "provider", "date", "hours", "category", "evidence"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "title": _("E.g. “Trauma-informed practice, day course”."),
            "provider": _("Who ran it, e.g. the organisation or conference."),
            "hours": _("Half hours allowed, e.g. 1.5. At most 100 hours per activity."),
        }
        error_messages = {"category": {"invalid_choice": _("Choose a category from the list.")}}

    def __init__(self, *args, learner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.learner = learner
        self.fields["category"].queryset = ContinuingEducationCategory.objects.all()
        self.fields["category"].empty_label = _("Choose a category")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                _("This date has not happened yet: log an activity once you have done it.")
            )
        return date

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in EVIDENCE_TYPES:
            raise forms.ValidationError(
                _("Upload a PDF, PNG or JPEG file (ending .pdf, .png, .jpg or .jpeg).")
            )
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: upload a smaller one."))
        upload.seek(0)
        start = upload.read(16)
        upload.seek(0)
        _content_type, magic = EVIDENCE_TYPES[extension]
        if not start.startswith(magic):
            raise forms.ValidationError(
                _(
                    "This file is not the PDF, PNG or JPEG its name says it is. Save or scan "
                    "it again as a PDF, PNG or JPEG and upload that."
                )
            )
        return upload

    def save(self, commit=True):
        upload = self.cleaned_data.get("evidence")
        self.instance.evidence_name = clean_evidence_name(upload.name) if upload else ""
        return super().save(commit=commit)


def can_view_evidence(user, activity):
    """The learner who logged the activity, and staff allowed to view activities (who check
    renewals) whose organisation scope includes the learner, may open its evidence: exactly the
    staff who see the activity in the admin listing."""
    if not user.is_authenticated:
        return False
    if activity.learner_id == user.pk:
        return True
    return bool(
        user.is_active
        and user.is_staff
        and user.has_perm("peerpath_training.view_continuingeducationactivity")
        and scope_learners(
            ContinuingEducationActivity.objects.filter(pk=activity.pk),
            user,
            user_field="learner",
            roles=LEARNERS,
        ).exists()
    )


def _totals(learner):
    """Hours and activities per category, in name order, and the overall hours."""
    per_category = list(
        ContinuingEducationActivity.objects.filter(learner=learner)
        .values("category__name")
        .annotate(hours=Sum("hours"), activities=Count("pk"))
        .order_by("category__name")
    )
    return per_category, sum((row["hours"] for row in per_category), start=0)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def activities(request):
    """The learner's continuing education: log an activity, see and total what they logged."""
    posted = request.method == "POST"
    form = ContinuingEducationForm(
        request.POST if posted else None, request.FILES if posted else None, learner=request.user
    )
    if posted and form.is_valid():
        form.save()
        messages.success(request, _("Activity logged. Its hours count towards your renewal."))
        return redirect("training:ce_activities")
    per_category, total = _totals(request.user)
    page = Paginator(
        ContinuingEducationActivity.objects.filter(learner=request.user).select_related("category"),
        ACTIVITIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "training/continuing/activities.html",
        {
            "form": form,
            "has_categories": ContinuingEducationCategory.objects.exists(),
            "activities": page,
            "per_category": per_category,
            "total_hours": total,
        },
        status=400 if posted else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_activity(request, activity_id):
    """GET asks, POST deletes one of the learner's own activities (and its evidence file);
    anyone else's is a 404."""
    activity = get_object_or_404(
        ContinuingEducationActivity.objects.select_related("category"),
        pk=activity_id,
        learner=request.user,
    )
    if request.method == "POST":
        privacy.delete_ce_activities(ContinuingEducationActivity.objects.filter(pk=activity.pk))
        messages.success(request, _("Activity deleted, with its evidence."))
        return redirect("training:ce_activities")
    return render(request, "training/continuing/confirm_delete.html", {"activity": activity})


@login_required
@require_http_methods(["GET", "HEAD"])
def evidence(request, activity_id):
    """The evidence file, as a download, to those `can_view_evidence` allows. Everyone else gets
    the same 404 as for an activity that does not exist."""
    activity = ContinuingEducationActivity.objects.filter(pk=activity_id).first()
    if activity is None or not activity.evidence or not can_view_evidence(request.user, activity):
        raise Http404
    try:
        handle = activity.evidence.open("rb")
    except OSError as error:
        raise Http404 from error
    extension = os.path.splitext(activity.evidence.name)[1].lower()
    content_type = EVIDENCE_TYPES.get(extension, ("application/octet-stream", b""))[0]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=activity.evidence_name or f"evidence{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response

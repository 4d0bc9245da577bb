"""How the Certification admin shows a certificate awarded on recognition of prior learning: a
column and export field in the list, the award's details on the certificate's page (its audit
entry is in the history), and the evidence file, served only to staff who may see it
(`awards.may_see_evidence`). The public verification page shows none of this."""

import mimetypes

from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import awards
from .models import PriorLearningAward

AWARDED_LABEL = _("Awarded on recognition of prior learning")


def awarded_on_prior_learning():
    """An annotation: whether the certificate was awarded on recognition of prior learning."""
    return Exists(PriorLearningAward.objects.filter(certificate=OuterRef("pk")))


def awarded_label(awarded):
    """The list's and the export's words for the annotation."""
    return str(AWARDED_LABEL) if awarded else ""


def list_cell(certificate):
    """The list's cell, from the annotation of the listing's queryset."""
    return awarded_label(getattr(certificate, "awarded_on_prior_learning", False))


def award_context(certificate, user):
    """What the certificate's page shows of its award, or None when it was issued as usual."""
    award = (
        PriorLearningAward.objects.select_related("organisation", "awarded_by")
        .filter(certificate=certificate)
        .first()
    )
    if award is None:
        return None
    award.certificate = certificate
    evidence_url = None
    if award.evidence_file and awards.may_see_evidence(user, award):
        evidence_url = reverse("certificates_admin:evidence", args=[certificate.pk])
    return {"award": award, "label": AWARDED_LABEL, "evidence_url": evidence_url}


def evidence_file(request, pk):
    """Download the evidence file of the award behind certificate `pk`: 404 for anyone who may
    not see it, as for a certificate of another organisation."""
    award = get_object_or_404(
        PriorLearningAward.objects.select_related("certificate"), certificate_id=pk
    )
    if not award.evidence_file or not awards.may_see_evidence(request.user, award):
        raise Http404
    extension = award.evidence_file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = award.evidence_file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"evidence-{award.certificate.number}.{extension}",
        content_type=mimetypes.types_map.get(f".{extension}", "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""Public verification, Open Badges JSON and PDF downloads. Thin: the rules live elsewhere."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from peerpath.ratelimit import is_rate_limited, too_many_requests

from . import badges, issuing
from .access import can_download, is_certificate_staff
from .codes import format_code, normalise_code
from .forms import VerifyForm
from .links import verification_page_links
from .models import Certificate
from .status import status_from_columns
from .tasks import enqueue_render

logger = logging.getLogger(__name__)

DOWNLOAD_FIELDS = ["holder_id", "number", "holder_name", "verification_code", "pdf", "pdf_sha256"]
# What the verification page shows (and needs for the status and the holder's name preference).
VERIFY_FIELDS = [
    "number",
    "holder_name",
    "holder",
    "credential_name",
    "programme_title",
    "issuer_name",
    "issued_at",
    "expires_on",
    "verification_code",
    "revoked_at",
    "relinquished_at",
    "suspended_at",
    "superseded_at",
    "is_provisional",
    "grace_ends_on",
]


def _not_found(request, code=""):
    return render(request, "certificates/not_found.html", {"code": code[:64]}, status=404)


def find_certificate(code, queryset=None):
    """The certificate with this code (any case, dashes optional), with its status; or None."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    queryset = Certificate.objects.with_status() if queryset is None else queryset
    return queryset.filter(verification_code=normalised).order_by().first()


def _verification_row(normalised):
    """The verification page's columns of the certificate with this (normalised) code, and the
    holder's name preference last; or None. One indexed query, on stored columns only."""
    # In the model's field order, as `Model.from_db` expects a partial row.
    wanted = set(VERIFY_FIELDS)
    columns = [f.attname for f in Certificate._meta.concrete_fields if f.name in wanted]
    rows = (
        Certificate.objects.filter(verification_code=normalised)
        .order_by()
        .values_list(*columns, "holder__peerpath_profile__show_initials_only")[:1]
    )
    return (columns, rows[0]) if rows else (columns, None)


def _find_for_verification(code, today=None):
    """`_find` for the verification page: one query, on the certificate's own columns and the
    holder's name preference. The status is decided from the row's columns by the one status rule
    (`status_from_columns`, the Python form of `with_status()`), not by an SQL expression."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    columns, row = _verification_row(normalised)
    if row is None:
        return None
    *values, initials_only = row
    certificate = Certificate.from_db(Certificate.objects.db, columns, values)
    status = status_from_columns(dict(zip(columns, values, strict=True)), today)
    # What `with_status()` and the profile annotation would have set.
    certificate.annotated_status = status.value
    certificate.holder_initials_only = initials_only
    return certificate


@require_safe
def verify_form(request):
    """The "check a certificate" form; a submitted code redirects to its verification page."""
    if "code" not in request.GET:
        return render(request, "certificates/verify_form.html", {"form": VerifyForm()})
    if is_rate_limited(request, "verify"):
        return too_many_requests(request, "verify", "certificates/rate_limited.html")
    form = VerifyForm(request.GET)
    if form.is_valid():
        return redirect("certificates:verify", code=format_code(form.cleaned_data["code"]))
    return render(request, "certificates/verify_form.html", {"form": form}, status=400)


@require_safe
def verify(request, code):
    """The public verification page: status and what is printed on the certificate, no more."""
    if is_rate_limited(request, "verify"):
        return too_many_requests(request, "verify", "certificates/rate_limited.html")
    certificate = _find_for_verification(code)
    if certificate is None:
        return _not_found(request, code)
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "links": verification_page_links(certificate)},
    )


def _badge_view(builder, *, revocable):
    @require_safe
    def view(request, code):
        if is_rate_limited(request, "verify"):
            return JsonResponse({"error": "Too many requests."}, status=429)
        certificate = find_certificate(code)
        if certificate is None:
            return JsonResponse({"error": "No certificate has this code."}, status=404)
        if revocable and badges.is_revoked_for_badges(certificate):
            return JsonResponse(badges.revoked_assertion(certificate), status=410)
        response = JsonResponse(builder(certificate), json_dumps_params={"indent": 2})
        response["Content-Type"] = "application/ld+json"
        response["Access-Control-Allow-Origin"] = "*"
        return response

    view.__doc__ = builder.__doc__
    return view


assertion = _badge_view(badges.assertion, revocable=True)
badge_class = _badge_view(badges.badge_class, revocable=False)
issuer = _badge_view(badges.issuer, revocable=False)


@require_safe
def download_pdf(request, code):
    """Stream the stored PDF to its holder or to staff. Never re-rendered once stored."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # Downloads need no status, so they skip its subquery: this path must stay cheap.
    certificate = find_certificate(code, Certificate.objects.only(*DOWNLOAD_FIELDS))
    if certificate is None:
        return _not_found(request, code)
    if not can_download(request.user, certificate):
        if is_certificate_staff(request.user):
            # Another organisation's learner: not even its existence is confirmed.
            return _not_found(request, code)
        raise PermissionDenied("Only the holder can download this certificate.")
    if not certificate.pdf:
        # Not rendered yet (or the task failed): ask again; an immediate backend renders now.
        enqueue_render(certificate.pk)
        certificate.refresh_from_db(fields=["pdf", "pdf_sha256"])
    if not certificate.pdf:
        response = render(
            request, "certificates/pdf_pending.html", {"certificate": certificate}, status=503
        )
        response["Retry-After"] = "30"
        return response
    try:
        handle = certificate.pdf.open("rb")
    except (FileNotFoundError, OSError):
        logger.error(
            "Stored PDF %s of certificate %s is missing", certificate.pdf.name, certificate.number
        )
        return render(
            request, "certificates/pdf_missing.html", {"certificate": certificate}, status=404
        )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=certificate.pdf_filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
@login_required
def renew(request, code):
    """The holder renews their own certificate once its renewal requirements are met."""
    certificate = find_certificate(
        code, Certificate.objects.with_status().filter(holder=request.user)
    )
    if certificate is None:
        return _not_found(request, code)
    try:
        successor = issuing.renew_as_holder(certificate, request.user)
    except issuing.IssuingError as error:
        messages.error(request, str(error))
    else:
        message = _("Renewed: your new certificate is %(number)s.") % {"number": successor.number}
        if successor.valid_until:
            message += " " + _("It is valid until %(date)s.") % {
                "date": date_format(successor.valid_until, "j F Y")
            }
        messages.success(request, message)
    return redirect("training:my_training")

"""Open Badges 3.0 endpoints: a certificate's signed credential and its readable copy, the baked
badge image, the issuer's profile and published keys, and the status lists. All public (the
verification code is what a holder shares), rate-limited with verification, and cheap to serve.
"""

import json
import logging

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from peerpath.ratelimit import is_rate_limited, rate

from . import baking, ob3
from .keys import NoIssuerKey, public_jwks
from .models import Certificate
from .status_list import PURPOSES, exists
from .views import find_certificate

CORS = {"Access-Control-Allow-Origin": "*"}
logger = logging.getLogger(__name__)


def _error(message, status):
    return JsonResponse({"error": message}, status=status, headers=CORS)


def _not_signed(error):
    """503 when there is no key, or the key setting is broken (the system check says how)."""
    if isinstance(error, NoIssuerKey):
        return _error("This site has no signing key yet, so it cannot sign credentials.", 503)
    logger.error("Open Badges signing key unusable: %s", error)
    return _error("This site cannot sign credentials at the moment: its key is unusable.", 503)


def _too_many():
    response = _error("Too many requests.", 429)
    response["Retry-After"] = str(rate("verify")[1])
    return response


def _certificate_view(build):
    """A public view of one certificate by code: rate-limited, 404 for an unknown code, 503 when
    there is no key to sign with; `?download` asks for an attachment."""

    @require_safe
    def view(request, code):
        if is_rate_limited(request, "verify"):
            return _too_many()
        certificate = find_certificate(code, Certificate.objects.all())
        if certificate is None:
            return _error("No certificate has this code.", 404)
        if view.needs_holder and certificate.holder_id is None:
            return _error("The holder of this certificate erased their account.", 410)
        try:
            response = build(certificate)
        except ImproperlyConfigured as error:
            return _not_signed(error)
        for header, value in CORS.items():
            response[header] = value
        if "download" in request.GET:
            filename = f"{certificate.number}{view.extension}"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    view.__doc__ = build.__doc__
    return view


def _jwt(certificate):
    """The certificate's Open Badges 3.0 credential as a signed VC-JWT."""
    return HttpResponse(ob3.signed_credential(certificate), content_type=ob3.MEDIA_TYPE_JWT)


def _json(certificate):
    """The same credential, readable: the JWT's payload without the signature."""
    return _json_response(ob3.credential(certificate), "application/vc+ld+json")


def _png(certificate):
    """The badge image, baked with the OB 2.0 assertion URL and the signed OB 3.0 credential (or
    only the URL while the site has no signing key: link previews still get their picture)."""
    signed = None
    if certificate.holder_id is not None:  # an erased holder's badge carries no credential
        try:
            signed = ob3.signed_credential(certificate)
        except ImproperlyConfigured:
            signed = None
    return HttpResponse(baking.baked_png(certificate, signed), content_type="image/png")


def _json_response(data, content_type, status=200):
    return HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type=content_type, status=status
    )


credential_jwt = _certificate_view(_jwt)
credential_json = _certificate_view(_json)
badge_png = _certificate_view(_png)
# An OB 3.0 credential must identify its holder: once they erased their account it cannot.
credential_jwt.extension, credential_jwt.needs_holder = ".jwt", True
credential_json.extension, credential_json.needs_holder = ".json", True
badge_png.extension, badge_png.needs_holder = ".png", False


@require_safe
def jwks(request):
    """The published public keys (every key not retired), as a JWK set."""
    try:
        published = public_jwks()
    except ImproperlyConfigured as error:
        return _not_signed(error)
    response = JsonResponse(published, json_dumps_params={"indent": 2}, headers=CORS)
    response["Content-Type"] = "application/jwk-set+json"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def issuer_profile(request):
    """The site's issuer profile, with where its keys are published."""
    data = {"@context": [ob3.VC_CONTEXT, ob3.OB_CONTEXT], **ob3.issuer_profile()}
    response = _json_response(data, "application/ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _status_list_view(signed):
    @require_safe
    def view(request, purpose, number):
        if purpose not in PURPOSES or not exists(number):
            return _error("There is no such status list.", 404)
        data = ob3.status_list_credential(purpose, number)
        if signed:
            try:
                response = HttpResponse(ob3.sign(data), content_type=ob3.MEDIA_TYPE_JWT)
            except ImproperlyConfigured as error:
                return _not_signed(error)
        else:
            response = _json_response(data, "application/vc+ld+json")
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = f"public, max-age={ob3.STATUS_LIST_TTL_SECONDS}"
        return response

    return view


status_list = _status_list_view(signed=True)
status_list.__doc__ = "A Bitstring Status List credential, signed (what credentials point at)."
status_list_json = _status_list_view(signed=False)
status_list_json.__doc__ = "The same status list, readable."

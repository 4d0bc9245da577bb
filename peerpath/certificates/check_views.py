"""The public "check a digital credential" page: anyone may paste or upload an Open Badges 3.0
credential and see what checking it finds. Rate-limited, since a check may fetch another
issuer's keys and status lists; nothing given is stored or logged."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from peerpath.ratelimit import is_rate_limited, too_many_requests

from .credential_forms import CredentialCheckForm

TEMPLATE = "certificates/check_credential.html"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def check_credential(request):
    """The form; a POST checks what was given and shows the answer above a fresh form."""
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": CredentialCheckForm()})
    if is_rate_limited(request, "credential_check"):
        return too_many_requests(request, "credential_check", "certificates/rate_limited.html")
    form = CredentialCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    result = form.check()
    fresh = CredentialCheckForm(initial={"holder_email": form.cleaned_data["holder_email"]})
    return render(request, TEMPLATE, {"form": fresh, "result": result})

from django.http import HttpResponse
from django.urls import include, path


def plain_ok(request):
    """The cheapest Django view there is: the baseline for the verification page."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok/", plain_ok), path("", include("config.urls"))]

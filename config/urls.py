from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("peerpath.accounts.urls")),
    path("training/", include("peerpath.training.urls")),
    path("certificates/", include("peerpath.certificates.urls")),
    path("workshops/", include("peerpath.workshops.urls")),
    path("groups/", include("peerpath.meetings.urls")),
    path("join/", include("peerpath.coordination.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Image renditions are the only public files (MEDIA_ROOT). Documents and certificate PDFs
    # live in the private storage, served by views that check who is asking.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images"
    )

urlpatterns += [path("", include(wagtail_urls))]

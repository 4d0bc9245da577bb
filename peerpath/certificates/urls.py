from django.urls import path

from . import check_views, credential_views, views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    # Checking an Open Badges 3.0 credential (before the code route, which would take its path).
    path("verify/credential/", check_views.check_credential, name="check_credential"),
    path("verify/<str:code>/", views.verify, name="verify"),
    # Open Badges 3.0: the site's issuer profile, its published keys and its status lists.
    path("issuer/profile.json", credential_views.issuer_profile, name="issuer_profile"),
    path("issuer/jwks.json", credential_views.jwks, name="jwks"),
    path(
        "status/<str:purpose>/<int:number>.json",
        credential_views.status_list_json,
        name="status_list_json",
    ),
    path("status/<str:purpose>/<int:number>", credential_views.status_list, name="status_list"),
    # One certificate: Open Badges 2.0 (hosted), Open Badges 3.0 (VC-JWT), the baked badge image.
    path("<str:code>/assertion.json", views.assertion, name="assertion"),
    path("<str:code>/badge_class.json", views.badge_class, name="badge_class"),
    path("<str:code>/issuer.json", views.issuer, name="issuer"),
    path("<str:code>/credential.jwt", credential_views.credential_jwt, name="credential_jwt"),
    path("<str:code>/credential.json", credential_views.credential_json, name="credential_json"),
    path("<str:code>/badge.png", credential_views.badge_png, name="badge_png"),
    path("<str:code>/pdf/", views.download_pdf, name="pdf"),
    path("<str:code>/renew/", views.renew, name="renew"),
]

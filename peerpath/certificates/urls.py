from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<str:code>/assertion.json", views.assertion, name="assertion"),
    path("<str:code>/badge_class.json", views.badge_class, name="badge_class"),
    path("<str:code>/issuer.json", views.issuer, name="issuer"),
    path("<str:code>/pdf/", views.download_pdf, name="pdf"),
    path("<str:code>/renew/", views.renew, name="renew"),
]

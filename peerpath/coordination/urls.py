"""Public pages of the coordination app: answering an invitation (`/join/<token>/`)."""

from django.urls import path

from . import invitation_views

app_name = "coordination"

urlpatterns = [
    path("<str:token>/", invitation_views.accept, name="accept"),
]

from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("<int:page_id>/handout.pdf", views.participant_handout, name="participant_handout"),
    path("<int:page_id>/facilitator-pack.pdf", views.facilitator_pack, name="facilitator_pack"),
    path("log/", views.facilitation_log, name="log"),
    path("log/<int:pk>/delete/", views.delete_log_entry, name="delete_log_entry"),
]

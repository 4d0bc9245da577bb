from django.urls import path

from . import continuing_views, practice_views, views

app_name = "training"

urlpatterns = [
    path("my/", views.my_training, name="my_training"),
    path("my/reflections/", views.my_reflections, name="my_reflections"),
    path("programmes/<int:programme_id>/enrol/", views.enrol, name="enrol"),
    path(
        "programmes/<int:programme_id>/agree/",
        views.agree_to_code_of_conduct,
        name="agree",
    ),
    path("programmes/<int:programme_id>/restart/", views.restart, name="restart"),
    path("modules/<int:module_id>/complete/", views.complete_module, name="complete_module"),
    path("modules/<int:module_id>/check/", views.submit_check, name="submit_check"),
    path(
        "modules/<int:module_id>/reflections/<str:prompt_id>/",
        views.save_reflection,
        name="save_reflection",
    ),
    path(
        "programmes/<int:programme_id>/practice/",
        practice_views.practice_log,
        name="practice_log",
    ),
    path("supervision/", practice_views.supervision, name="supervision"),
    path(
        "supervision/entries/<int:entry_id>/sign-off/",
        practice_views.sign_off,
        name="practice_sign_off",
    ),
    path(
        "supervision/entries/<int:entry_id>/send-back/",
        practice_views.send_back,
        name="practice_send_back",
    ),
    path("my/continuing-education/", continuing_views.activities, name="ce_activities"),
    path(
        "my/continuing-education/<int:activity_id>/delete/",
        continuing_views.delete_activity,
        name="ce_delete",
    ),
    path(
        "my/continuing-education/<int:activity_id>/evidence/",
        continuing_views.evidence,
        name="ce_evidence",
    ),
]

from django.urls import path

from . import views

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
    path("modules/<int:module_id>/complete/", views.complete_module, name="complete_module"),
    path("modules/<int:module_id>/check/", views.submit_check, name="submit_check"),
    path(
        "modules/<int:module_id>/reflections/<str:prompt_id>/",
        views.save_reflection,
        name="save_reflection",
    ),
]

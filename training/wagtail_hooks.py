from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from . import practice, privacy
from .models import SupervisorAssignment

hooks.register("peerpath_export_personal_data", privacy.export_personal_data)
hooks.register("peerpath_erase_personal_data", privacy.erase_personal_data)


class SupervisorAssignmentViewSet(ModelViewSet):
    """Administrators assign supervisors to learners; supervisors then review their practice."""

    model = SupervisorAssignment
    icon = "group"
    menu_label = _("Supervisors")
    menu_order = 260
    add_to_admin_menu = True
    form_fields = ["supervisor", "learner"]
    list_display = ["supervisor", "learner", "assigned_at"]
    search_fields = ["supervisor__username", "learner__username"]
    inspect_view_enabled = False
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_supervisor_assignments():
    return SupervisorAssignmentViewSet("supervisor_assignments")


@hooks.register("peerpath_my_training_panels")
def supervised_practice_panel(request, enrolments):
    """Progress towards full certification for programmes that set requirements, with a link to
    the practice log; and, for supervisors, a link to the entries waiting for them."""
    programme_ids = [enrolment.programme_id for enrolment in enrolments]
    requirements = practice.requirement_progress(request.user.pk, programme_ids)
    is_supervisor = SupervisorAssignment.objects.filter(supervisor=request.user).exists()
    if not requirements and not is_supervisor:
        return None
    programmes = [
        {
            "programme": enrolment.programme,
            "requirements": requirements[enrolment.programme_id],
            "log_url": reverse("training:practice_log", args=[enrolment.programme_id]),
        }
        for enrolment in enrolments
        if enrolment.programme_id in requirements
    ]
    return render_to_string(
        "training/practice/my_training_panel.html",
        {"programmes": programmes, "is_supervisor": is_supervisor},
        request=request,
    )

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Concat
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import privacy, requirements
from .admin_views import LearnerRecordsIndexView, LearnerRecordsViewSet, SupervisorAssignmentForm
from .models import (
    ContinuingEducationActivity,
    ContinuingEducationCategory,
    ProgrammeRequirement,
    SupervisorAssignment,
)

hooks.register("peerpath_export_personal_data", privacy.export_personal_data)
hooks.register("peerpath_erase_personal_data", privacy.erase_personal_data)


class SupervisorAssignmentViewSet(LearnerRecordsViewSet):
    """Administrators assign supervisors to learners; supervisors then review their practice.
    Organisation staff see and assign only their organisations' people."""

    model = SupervisorAssignment
    icon = "group"
    menu_label = _("Supervisors")
    menu_order = 260
    add_to_admin_menu = True
    edit_handler = ObjectList(
        [FieldPanel("supervisor"), FieldPanel("learner")],
        base_form_class=SupervisorAssignmentForm,
    )
    list_display = ["supervisor", "learner", "assigned_at"]
    search_fields = ["supervisor__username", "learner__username"]
    inspect_view_enabled = False
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_supervisor_assignments():
    return SupervisorAssignmentViewSet("supervisor_assignments")


@hooks.register("peerpath_my_training_panels")
def full_certification_panel(request, enrolments):
    """Progress towards full certification for programmes that set requirements, with links to
    the practice log and the facilitation log where they count; and, for supervisors, a link to
    the entries waiting for them."""
    programme_ids = [enrolment.programme_id for enrolment in enrolments]
    progress = requirements.full_certification_progress(request.user.pk, programme_ids)
    is_supervisor = SupervisorAssignment.objects.filter(supervisor=request.user).exists()
    if not progress and not is_supervisor:
        return None
    programmes = []
    for enrolment in enrolments:
        items = progress.get(enrolment.programme_id)
        if not items:
            continue
        kinds = {item.requirement.kind for item in items}
        programmes.append(
            {
                "programme": enrolment.programme,
                "requirements": items,
                "log_url": reverse("training:practice_log", args=[enrolment.programme_id])
                if ProgrammeRequirement.Kind.SUPERVISED_HOURS in kinds
                else "",
                "needs_sessions": ProgrammeRequirement.Kind.SESSIONS in kinds,
            }
        )
    return render_to_string(
        "training/practice/my_training_panel.html",
        {"programmes": programmes, "is_supervisor": is_supervisor},
        request=request,
    )


# Continuing education: the categories administrators keep, and a read-only list of what learners
# logged (the learners' own record; evidence opens through the protected download view).


class ContinuingEducationCategoryForm(WagtailAdminModelForm):
    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = (
            ContinuingEducationCategory.objects.filter(name__iexact=name)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("There is already a category called “%(name)s”. Use it, or choose another name."),
                params={"name": clash.name},
            )
        return name


class ContinuingEducationCategoryViewSet(SnippetViewSet):
    model = ContinuingEducationCategory
    icon = "tag"
    menu_label = _("CE categories")
    add_to_settings_menu = True
    list_display = ["name", "description"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("description")],
        base_form_class=ContinuingEducationCategoryForm,
    )


register_snippet(ContinuingEducationCategoryViewSet)


@hooks.register("before_delete_snippet")
def keep_continuing_education_categories_in_use(request, instances):
    """Activities and programme requirements protect their category: say so instead of failing."""
    categories = [i for i in instances if isinstance(i, ContinuingEducationCategory)]
    if not categories:
        return None
    used = set(
        ContinuingEducationActivity.objects.filter(category__in=categories).values_list(
            "category_id", flat=True
        )
    ) | set(
        ProgrammeRequirement.objects.filter(category__in=categories).values_list(
            "category_id", flat=True
        )
    )
    in_use = [category.name for category in categories if category.pk in used]
    if not in_use:
        return None
    messages.error(
        request,
        _(
            "%(names)s cannot be deleted: learners' activities or programme requirements are "
            "counted in it. Rename it instead, or move them to another category first."
        )
        % {"names": get_text_list(in_use, _("and"))},
    )
    return redirect(ContinuingEducationCategory.snippet_viewset.get_url_name("list"))


class ContinuingEducationActivityPolicy(ModelPermissionPolicy):
    """Activities are the learners' own record: staff with the view permission may look, nobody
    adds, edits or deletes them in the admin (not even superusers)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])


register_permission_policy(
    ContinuingEducationActivity, ContinuingEducationActivityPolicy(ContinuingEducationActivity)
)


class EvidenceColumn(Column):
    """The learner's file name, linking to the protected download view."""

    cell_template_name = "training/continuing/admin_evidence_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = (
            reverse("training:ce_evidence", args=[instance.pk]) if instance.evidence else None
        )
        return context


class ContinuingEducationActivityFilterSet(WagtailFilterSet):
    date = django_filters.DateFromToRangeFilter(label=_("Date between"))

    class Meta:
        model = ContinuingEducationActivity
        fields = ["category", "date"]


class ContinuingEducationActivityIndexView(LearnerRecordsIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("learner", "category")
            .annotate(learner_name=Concat("learner__first_name", Value(" "), "learner__last_name"))
        )


def _learner(activity):
    name = activity.learner.get_full_name() or activity.learner.get_username()
    return f"{name} <{activity.learner.email}>" if activity.learner.email else name


class ContinuingEducationActivityViewSet(LearnerRecordsViewSet):
    """What learners logged, for the administrators who check renewals (organisation staff: their
    organisations' learners only). Read-only."""

    model = ContinuingEducationActivity
    icon = "doc-full"
    menu_label = _("CE activities")
    menu_order = 265
    add_to_admin_menu = True
    index_view_class = ContinuingEducationActivityIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    # Never shown (the policy refuses add and change), but Wagtail builds the forms regardless.
    form_fields = ["title", "provider", "date", "hours", "category"]
    list_display = [
        Column("title", label=_("Activity")),
        Column("learner", label=_("Learner"), accessor=_learner),
        Column("provider", label=_("Provider")),
        Column("category", label=_("Category"), accessor="category.name"),
        Column("date", label=_("Date"), sort_key="date"),
        Column("hours", label=_("Hours"), sort_key="hours"),
        EvidenceColumn("evidence_name", label=_("Evidence")),
    ]
    filterset_class = ContinuingEducationActivityFilterSet
    search_fields = ["title", "provider", "learner_name", "learner__email"]

    def get_permissions_to_register(self):
        # Only "view" means anything for activities (see ContinuingEducationActivityPolicy).
        return Permission.objects.filter(
            content_type__app_label="peerpath_training", codename="view_continuingeducationactivity"
        )


@hooks.register("register_admin_viewset")
def register_continuing_education_activities():
    return ContinuingEducationActivityViewSet("ce_activities")

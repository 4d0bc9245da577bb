"""Admin views over learners' records (supervisor assignments, continuing-education activities),
confined to the learners the signed-in user may see by the one organisation-scope rule
(`peerpath.scope.scope_learners`): superusers see everyone, organisation staff their own
organisations' learners, anyone else nobody. Every view of a viewset built on
`LearnerRecordsViewSet` applies it, so another organisation's row is a 404 wherever it is asked
for, not only missing from the listing."""

from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import DeleteView, EditView, HistoryView, IndexView, UsageView
from wagtail.admin.viewsets.model import ModelViewSet

from peerpath.organisations.roles import LEARNERS
from peerpath.organisations.scope import scope_learners

LEARNER_FIELD = "learner"


def learner_records_for(user, queryset):
    """The rows of `queryset` (a model with a `learner`) whose learner `user` may see."""
    return scope_learners(queryset, user, user_field=LEARNER_FIELD, roles=LEARNERS)


def people_for(user):
    """The accounts `user` may choose in a form: the learners of their organisations."""
    return scope_learners(get_user_model().objects.all(), user, user_field="pk", roles=LEARNERS)


class LearnerRecordsIndexView(IndexView):
    def get_base_queryset(self):
        return learner_records_for(self.request.user, super().get_base_queryset())


class LearnerRecordsEditView(EditView):
    def get_queryset(self):
        return learner_records_for(self.request.user, super().get_queryset())


class LearnerRecordsDeleteView(DeleteView):
    def get_queryset(self):
        return learner_records_for(self.request.user, super().get_queryset())


class LearnerRecordsHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return learner_records_for(self.request.user, super().get_base_object_queryset())


class LearnerRecordsUsageView(UsageView):
    def get_base_object_queryset(self):
        return learner_records_for(self.request.user, super().get_base_object_queryset())


class LearnerRecordsViewSet(ModelViewSet):
    """A model viewset whose every view reaches only the learners the user may see."""

    index_view_class = LearnerRecordsIndexView
    edit_view_class = LearnerRecordsEditView
    delete_view_class = LearnerRecordsDeleteView
    history_view_class = LearnerRecordsHistoryView
    usage_view_class = LearnerRecordsUsageView


class SupervisorAssignmentForm(WagtailAdminModelForm):
    """Supervisor and learner are chosen among the people the editing user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            for name in ("supervisor", "learner"):
                self.fields[name].queryset = people_for(self.for_user)

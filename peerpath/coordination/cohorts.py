"""Running cohorts: which programmes a cohort may follow, who may join it, and enrolling them.

A cohort belongs to one organisation; its programmes are live programmes that organisation runs
(`ProgrammePage.organisations`), and its members are the organisation's members. Joining a cohort
enrols the member in each of its programmes through training's own command (`progress.enrol`,
a no-op when they are already enrolled), and adding a programme to a cohort enrols its members:
so a cohort's members are always enrolled in what it follows. The screens are in
`cohorts_admin.py`; the coach view's figures in `coaching.py`.
"""

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.organisations.models import OrganisationMembership
from peerpath.training.models import ProgrammePage
from peerpath.training.progress.commands import enrol

from .access import coordinated_organisations, scope_to_coordinated
from .models import Cohort, CohortMember


def programmes_run_by(organisation):
    """Live programmes `organisation` runs: the ones its cohorts may follow."""
    return ProgrammePage.objects.live().filter(organisations=organisation).order_by("title")


def coordinated_cohorts(user, archived=False):
    """Cohorts of the organisations `user` coordinates: current ones, archived ones
    (`archived=True`) or both (`archived=None`)."""
    cohorts = scope_to_coordinated(Cohort.objects.select_related("organisation"), user)
    if archived is None:
        return cohorts
    return cohorts.filter(archived_at__isnull=not archived)


def members_of(organisation):
    """Accounts that belong to `organisation`: the only people its cohorts may hold."""
    return OrganisationMembership.objects.filter(organisation=organisation)


def enrol_in_programmes(users, programmes):
    """Enrol each of `users` in each of `programmes` (idempotent); returns how many were new."""
    created = 0
    for programme in programmes:
        for user in users:
            _enrolment, new = enrol(user, programme)
            created += new
    return created


@transaction.atomic
def add_members(cohort, users):
    """Add `users` to `cohort` and enrol them in its programmes. Users who are not members of the
    cohort's organisation are refused (`ValueError`, nothing changed); users already in the
    cohort are left as they are. Returns the users added."""
    users = list(users)
    members = set(
        members_of(cohort.organisation).filter(user__in=users).values_list("user_id", flat=True)
    )
    if any(user.pk not in members for user in users):
        raise ValueError(_("Only members of the organisation can join its cohorts."))
    present = set(
        CohortMember.objects.filter(cohort=cohort, user__in=users).values_list("user_id", flat=True)
    )
    added = [user for user in users if user.pk not in present]
    CohortMember.objects.bulk_create(
        [CohortMember(cohort=cohort, user=user) for user in added], ignore_conflicts=True
    )
    enrol_in_programmes(added, cohort.programmes.live())
    return added


def remove_member(cohort, user):
    """Take `user` out of `cohort` (their enrolments and progress are theirs and stay)."""
    return CohortMember.objects.filter(cohort=cohort, user=user).delete()[0] > 0


def archive(cohort):
    """Archive `cohort`: it leaves the listing and the People list's choices; nothing is deleted."""
    Cohort.objects.filter(pk=cohort.pk, archived_at__isnull=True).update(archived_at=timezone.now())


def unarchive(cohort):
    Cohort.objects.filter(pk=cohort.pk).update(archived_at=None)


class CohortForm(forms.ModelForm):
    """A cohort of an organisation the user coordinates, following programmes it runs.

    The organisation is chosen when the cohort is made and fixed afterwards. Saving enrols the
    members in any programme added (`save_cohort`).
    """

    class Meta:
        model = Cohort
        fields = ["organisation", "name", "programmes", "starts_on", "target_on", "notes"]
        widgets = {
            "programmes": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "target_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = coordinated_organisations(user)
        self.fields["organisation"].queryset = organisations
        self.fields["programmes"].queryset = (
            ProgrammePage.objects.live()
            .filter(organisations__in=organisations)
            .distinct()
            .order_by("title")
        )
        self.fields["programmes"].help_text = _(
            "Only programmes the organisation runs. Members are enrolled in each when they join."
        )
        if self.instance.pk:
            self.fields["organisation"].disabled = True
            self.fields["organisation"].help_text = _("A cohort stays with its organisation.")
        elif organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        programmes = cleaned.get("programmes")
        if organisation is not None and programmes:
            runs = set(programmes_run_by(organisation).values_list("pk", flat=True))
            foreign = [p.title for p in programmes if p.pk not in runs]
            if foreign:
                self.add_error(
                    "programmes",
                    _("%(organisation)s does not run: %(titles)s.")
                    % {"organisation": organisation.name, "titles": ", ".join(foreign)},
                )
        starts_on, target_on = cleaned.get("starts_on"), cleaned.get("target_on")
        if starts_on and target_on and target_on < starts_on:
            self.add_error("target_on", _("The target date cannot be before the start."))
        return cleaned


@transaction.atomic
def save_cohort(form, by):
    """Save a valid `CohortForm`; members are enrolled in any programme the cohort gained."""
    cohort = form.save(commit=False)
    before = set(cohort.programmes.values_list("pk", flat=True)) if cohort.pk else set()
    if cohort.created_by_id is None:
        cohort.created_by = by
    cohort.save()
    form.save_m2m()
    gained = [p for p in cohort.programmes.live() if p.pk not in before]
    if gained:
        enrol_in_programmes(list(cohort.members.all()), gained)
    return cohort

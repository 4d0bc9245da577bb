"""Demo content for organisations running their own people: roles, cohorts, invitations, awards on
recognition of prior learning, and a year of sessions for the impact report.

- Riverside and Northside each have a coordinator (who sees *People* in the admin) and a
  safeguarding lead, both run the Foundations programme, and each has a cohort of new volunteers
  part-way through it: some well ahead, one who has not been seen for three weeks (the coach view
  marks them stuck), one who has not started.
- Each has pending invitations (people asked to join its cohort who have not answered yet).
- Each brought in two facilitators certified before PeerPath, awarded on recognition of prior
  learning with a note of the evidence.
- Each ran sessions every month for the past year (Riverside's Saturday workshop, Northside's online
  carers' group and its mentoring), with attendance, debriefs and anonymous feedback, so the impact
  report has a year to show. Bookings from more than the retention period ago have had their
  contact details removed, as the retention rule does.

Roles, cohorts, enrolments and awards go through the services; the history is the record of what
happened, made up as `home.demo_quality` explains. Idempotent: each part is made only when
missing.
"""

import datetime
import zoneinfo

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from home.demo import ensure_person
from home.demo_meetings import (
    COMMUNITY_CENTRE,
    QUIET_EMAIL_BACKEND,
    demo_workshop,
    ensure_facilitator,
    one_off_session,
)
from home.demo_quality import answer_feedback, book_history
from home.demo_training import complete_module
from peerpath.certificates.awards import award
from peerpath.certificates.models import PriorLearningAward
from peerpath.coordination.models import Cohort, CohortMember, Invitation
from peerpath.meetings import attendance, debriefs, record, roster
from peerpath.meetings.choices import HowItWent, Mode, Role
from peerpath.meetings.models import Session
from peerpath.meetings.privacy import anonymise_past_bookings
from peerpath.meetings.signposting import categories_for
from peerpath.organisations.models import Organisation, OrganisationMembership
from peerpath.organisations.roles import Role as StaffRole
from peerpath.organisations.roles import grant
from peerpath.training import progress
from peerpath.training.models import Enrolment, ModulePage, ProgrammePage

PEOPLE = {
    "riverside": {
        "coordinator": {"email": "coordinator@riverside.example", "name": "Priya Shah"},
        "safeguarding": {"email": "safeguarding@riverside.example", "name": "Helen Moss"},
        "cohort": "Autumn 2026 volunteers",
        # (name, modules completed, days since last activity)
        "volunteers": [
            ("Nadia Brooks", 6, 1),
            ("Callum Reid", 4, 3),
            ("Ruth Adeyemi", 2, 22),
            ("Imran Qureshi", 0, None),
        ],
        "invited": [
            ("Beth Lawson", "beth.lawson@example.org"),
            ("Kwame Mensah", "kwame.mensah@example.org"),
        ],
        "prior": [
            ("Diane Foster", 18, "Completed the county peer-support facilitator course in 2025."),
            ("Owen Price", 14, "Certified by the Riverside Mind peer programme; certificate seen."),
        ],
    },
    "northside": {
        "coordinator": {"email": "coordinator@northside.example", "name": "Tom Brennan"},
        "safeguarding": {"email": "safeguarding@northside.example", "name": "Sara Lindqvist"},
        "cohort": "Carers' facilitators 2026",
        "volunteers": [
            ("Grace Obi", 5, 2),
            ("Leon Hart", 3, 18),
            ("Mina Patel", 1, 6),
        ],
        "invited": [("Joe Fraser", "joe.fraser@example.org")],
        "prior": [
            (
                "Elena Rossi",
                20,
                "Ran the carers' group for three years; trained with Carers Trust.",
            ),
            ("Patrick Doyle", 8, "Holds the regional peer mentor certificate (2025)."),
        ],
    },
}

#: Sessions each month for the past year, by workshop slug: (day of month, start hour, how many
#: came, feedback answers). Northside's mentoring meets one person at a time.
MONTHLY = {
    "boundaries-and-self-care": {"mode": Mode.IN_PERSON, "days": [(13, 10, 8)], "place": True},
    "thursday-online-group": {"mode": Mode.ONLINE, "days": [(8, 19, 5), (22, 19, 6)]},
    "one-to-one-mentoring": {"mode": Mode.ONLINE, "days": [(4, 17, 1), (18, 17, 1)]},
}
FIRST_NAMES = ["Ada", "Ben", "Cleo", "Dan", "Eve", "Femi", "Gus", "Hana", "Ivo"]
FEEDBACK = [(5, 5, 5, ""), (4, 5, 4, ""), (5, 4, 5, ""), (4, 4, 4, ""), (5, 5, 4, "")]
NOTES = "A steady session; the plan worked and the check-out round ran to time."


def load(stdout=None):
    """Roles, programmes run, cohorts, invitations, awards, then the year of sessions."""
    with override_settings(EMAIL_BACKEND=QUIET_EMAIL_BACKEND), transaction.atomic():
        programme = ProgrammePage.objects.filter(credential_code="PSGF").first()
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=PEOPLE)}
        if programme is None or not organisations:
            return None
        ensure_programme_run_by(programme, organisations.values())
        admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        for slug, organisation in organisations.items():
            spec = PEOPLE[slug]
            coordinator = ensure_staff(organisation, spec)
            ensure_cohort(organisation, spec, programme, coordinator)
            ensure_invitations(organisation, spec, coordinator)
            ensure_prior_learning(organisation, spec, programme, coordinator or admin)
        sessions = ensure_year_of_sessions()
    if stdout is not None:
        stdout.write(
            "  organisations: coordinators, cohorts, invitations, awards on prior learning and "
            f"{len(sessions)} past sessions for the impact report (admin: People)"
        )
    return organisations


def ensure_programme_run_by(programme, organisations):
    """Both organisations run the Foundations programme (published, so editing keeps it)."""
    wanted = {organisation.pk for organisation in organisations}
    if wanted <= set(programme.organisations.values_list("pk", flat=True)):
        return
    programme.organisations.add(*organisations)
    programme.save_revision().publish()


def ensure_staff(organisation, spec):
    """The organisation's coordinator and safeguarding lead; returns the coordinator."""
    coordinator = ensure_person(spec["coordinator"])
    grant(organisation, coordinator, StaffRole.COORDINATOR)
    grant(organisation, ensure_person(spec["safeguarding"]), StaffRole.SAFEGUARDING_LEAD)
    return coordinator


def person_email(name, organisation):
    return f"{name.lower().replace(' ', '.')}@{organisation.slug}.example"


def ensure_member(name, organisation):
    user = ensure_person({"email": person_email(name, organisation), "name": name})
    OrganisationMembership.objects.get_or_create(user=user, organisation=organisation)
    return user


def ensure_cohort(organisation, spec, programme, coordinator):
    """A cohort that started nine weeks ago, its volunteers part-way through the programme."""
    if Cohort.objects.filter(organisation=organisation, name=spec["cohort"]).exists():
        return None
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        organisation=organisation,
        name=spec["cohort"],
        starts_on=today - datetime.timedelta(weeks=9),
        target_on=today + datetime.timedelta(weeks=8),
        notes="Meets for a catch-up on the first Monday of the month.",
        created_by=coordinator,
    )
    cohort.programmes.add(programme)
    modules = list(ModulePage.objects.child_of(programme).live().specific().order_by("path"))
    now = timezone.now()
    for name, done, idle_days in spec["volunteers"]:
        user = ensure_member(name, organisation)
        CohortMember.objects.get_or_create(cohort=cohort, user=user)
        progress.enrol(user, programme)
        for module in modules[:done]:
            complete_module(user, module)
        if idle_days is not None:
            Enrolment.objects.filter(user=user, programme=programme).update(
                last_activity_at=now - datetime.timedelta(days=idle_days)
            )
    return cohort


def ensure_invitations(organisation, spec, coordinator):
    """Invitations sent a few days ago to people who have not answered yet."""
    cohort = Cohort.objects.filter(organisation=organisation, name=spec["cohort"]).first()
    now = timezone.now()
    for name, email in spec["invited"]:
        if Invitation.objects.filter(organisation=organisation, email=email).exists():
            continue
        Invitation.objects.create(
            organisation=organisation,
            cohort=cohort,
            email=email,
            name=name,
            invited_by=coordinator,
            created_at=now - datetime.timedelta(days=3),
            sent_at=now - datetime.timedelta(days=3),
            send_count=1,
            expires_at=now + datetime.timedelta(days=11),
        )


def ensure_prior_learning(organisation, spec, programme, by):
    """Two facilitators certified before PeerPath, awarded on recognition of prior learning."""
    today = timezone.localdate()
    for name, months_ago, evidence in spec["prior"]:
        holder = ensure_member(name, organisation)
        if PriorLearningAward.objects.filter(certificate__holder=holder).exists():
            continue
        issued = today - datetime.timedelta(days=months_ago * 30)
        award(
            holder,
            programme,
            organisation=organisation,
            original_issued_on=issued,
            expires_on=issued + datetime.timedelta(days=730),
            evidence_note=evidence,
            by=by,
        )


def ensure_year_of_sessions():
    """Monthly sessions of three workshops over the past year, led by the demo facilitator, with
    attendance, a debrief and feedback; made once (when a workshop has no session a year ago)."""
    sessions = []
    for slug, plan in MONTHLY.items():
        workshop = demo_workshop(slug)
        if workshop is None:
            continue
        facilitator = ensure_facilitator([workshop])
        if facilitator is None:
            continue
        zone = zoneinfo.ZoneInfo(workshop.organisation.time_zone)
        today = timezone.localdate(timezone=zone)
        history_starts = today.replace(day=1) - relativedelta(months=12)
        if Session.objects.filter(
            workshop=workshop, starts_at__date__lt=today.replace(day=1) - relativedelta(months=2)
        ).exists():
            continue
        categories = list(categories_for(workshop.organisation))
        confirmer = coordinator_of(workshop.organisation)
        for months_back in range(12, 0, -1):
            first = history_starts + relativedelta(months=12 - months_back)
            for index, (day, hour, came) in enumerate(plan["days"]):
                spec = {
                    "start_time": datetime.time(hour, 0),
                    "duration_minutes": 90 if came > 1 else 60,
                    "mode": plan["mode"],
                    "capacity": max(came + 2, 1) if came > 1 else 1,
                }
                if plan["mode"] == Mode.IN_PERSON:
                    spec.update(COMMUNITY_CENTRE)
                else:
                    spec["joining_link"] = "https://meet.example.org/peerpath-demo"
                session = one_off_session(spec, workshop, first.replace(day=day))
                sessions.append(
                    run_session(session, facilitator, came, months_back + index, categories)
                )
                if confirmer is not None:
                    for row in session.records.select_related("entry"):
                        record.staff_confirm(confirmer, row.entry, now=session.ends_at)
    anonymise_past_bookings()
    return sessions


def coordinator_of(organisation):
    spec = PEOPLE.get(organisation.slug)
    if spec is None:
        return None
    return get_user_model().objects.filter(username=spec["coordinator"]["email"]).first()


def run_session(session, facilitator, came, seed, categories):
    """The session took place: register, debrief (now and then some signposting), feedback."""
    roster.assign(session, facilitator, Role.LEAD)
    names = [FIRST_NAMES[(seed + i) % len(FIRST_NAMES)] for i in range(came)]
    booked = book_history(session, names)
    ended = session.ends_at
    attendance.mark_attendance(session, booked, 0, now=ended)
    debriefs.file_debrief(
        session,
        facilitator,
        attendance=came,
        how_it_went=HowItWent.WELL if seed % 4 else HowItWent.MIXED,
        notes=NOTES,
        signposting=[categories[seed % len(categories)]] if categories and seed % 3 == 0 else [],
        fidelity=list(session.workshop.fidelity_checks),
        now=ended + datetime.timedelta(hours=1),
    )
    if came > 1:
        answer_feedback(session, FEEDBACK[: min(came, 4)], timezone.localdate(ended))
    return session

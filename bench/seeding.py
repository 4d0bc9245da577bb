"""Bulk seeding for benchmarks and query-count tests: `seed_learners(N)`, called directly by the
bench scripts (bench/admin_listings.py, bench/steps.py, bench/coordination.py) and the report
tests. Bench tooling, not part of the installable apps (it uses every app, workshops and
organisations included).

Creates realistic learners quickly with `bulk_create`: a programme of 12 modules (10 required),
organisations (three by default, the named ones first; `organisations=200` for the coordination
benchmark) with their learners as members, an enrolment and 12 progress rows per learner, and
certificates for 60% of them (valid, expiring soon, expired, revoked), each with its "issued"
(and "revoked") audit entry. No PDFs are rendered: certificates have no stored file, so their
download page offers to render one on demand, as after any failed render.

`seed_cohorts()` then gives the organisations what a coordinator works with: they run the
programme, each has cohorts of its members, and the first few have a coordinator.
"""

import datetime
import itertools
import random

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from wagtail.models import Site

from peerpath.certificates import audit
from peerpath.certificates.codes import generate_code
from peerpath.certificates.models import Certificate, CertificateLogEntry, CertificateNumberSequence
from peerpath.coordination.models import Cohort, CohortMember
from peerpath.organisations import roles
from peerpath.organisations.models import Organisation, OrganisationMembership
from peerpath.organisations.setup import set_up_organisation
from peerpath.training.models import (
    Enrolment,
    ModulePage,
    ModuleProgress,
    ProgrammePage,
    TrainingIndexPage,
)
from peerpath.training.progress import refresh_summaries

MODULES = 12
REQUIRED_MODULES = 10
BATCH = 2000
FIRST_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Efua", "Finn", "Grace", "Hassan", "Iris", "Jon"]
LAST_NAMES = ["Okafor", "Smith", "Nguyen", "Patel", "Kowalski", "Evans", "Ali", "Murphy", "Khan"]
ORGANISATIONS = ["Riverside Peer Network", "Northgate Recovery Hub", "Hearing Voices Circle"]
#: Certificates take these kinds in turn (10% expired, 10% expiring within 60 days, 5% revoked,
#: the rest valid), so any 20 consecutive certificates include every kind.
CERTIFICATE_KINDS = ["expired"] * 2 + ["expiring"] * 2 + ["revoked"] + ["valid"] * 15


def _programme():
    """The load-test programme and its live modules, created once."""
    programme = ProgrammePage.objects.filter(slug="load-test-programme").first()
    if programme is None:
        root = Site.objects.get(is_default_site=True).root_page
        index = TrainingIndexPage.objects.child_of(root).first()
        if index is None:
            index = root.add_child(instance=TrainingIndexPage(title="Training", slug="training"))
        programme = index.add_child(
            instance=ProgrammePage(
                title="Load-test Facilitator Programme",
                slug="load-test-programme",
                credential_name="Peer Support Group Facilitator",
                credential_code="LOAD",
                summary="Generated for benchmarks.",
                validity_months=24,
                code_of_conduct="<p>I keep what is shared in the group confidential.</p>",
            )
        )
        for number in range(1, MODULES + 1):
            programme.add_child(
                instance=ModulePage(
                    title=f"Module {number}",
                    slug=f"module-{number}",
                    summary="Generated for benchmarks.",
                    estimated_minutes=30,
                    is_required=number <= REQUIRED_MODULES,
                )
            )
    return programme, list(ModulePage.objects.child_of(programme).live())


def organisation_names(count):
    """The named organisations first, then numbered ones: `count` names in all."""
    numbered = (f"Peer Network {number:03d}" for number in range(len(ORGANISATIONS) + 1, count + 1))
    return [*ORGANISATIONS[:count], *numbered]


def _organisations(count=3):
    organisations = []
    for name in organisation_names(count):
        organisation, created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "slug": name.lower().replace(" ", "-"),
                "safeguarding_email": "safeguarding@example.org",
            },
        )
        if created:
            set_up_organisation(organisation)
            organisation.refresh_from_db()  # the set-up stores its groups' ids
        organisations.append(organisation)
    return organisations


def _batched(iterable):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def _chooser(organisations, rng, largest_share):
    """Picks each learner's organisation: evenly, or with the first one taking `largest_share` of
    the learners (a large organisation among small ones, as the coordination benchmark wants)."""
    if largest_share is None or len(organisations) == 1:
        return lambda: rng.choice(organisations)
    others = organisations[1:]
    return lambda: organisations[0] if rng.random() < largest_share else rng.choice(others)


@transaction.atomic
def seed_learners(count, *, seed=0, certified_share=0.6, organisations=3, largest_share=None):
    """Create `count` learners with progress and certificates, members of `organisations`
    organisations (evenly, or the first taking `largest_share`); returns a summary dict."""
    rng = random.Random(seed)
    programme, modules = _programme()
    organisations = _organisations(organisations)
    choose = _chooser(organisations, rng, largest_share)
    now = timezone.now()
    today = timezone.localdate()
    user_model = get_user_model()
    run = user_model.objects.filter(username__startswith="load-").count()

    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"load-{run + i}@example.org",
                email=f"load-{run + i}@example.org",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                password="!",  # unusable: seeded learners never log in
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    OrganisationMembership.objects.bulk_create(
        [OrganisationMembership(user=u, organisation=choose()) for u in users],
        batch_size=BATCH,
    )

    certified = set(rng.sample(range(count), int(count * certified_share)))
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(user=u, programme=programme) for u in users],
        batch_size=BATCH,
    )
    # enrolled_at is set on insert (auto_now_add); completion cannot come before it.
    completed_pks = [enrolments[i].pk for i in sorted(certified)]
    for batch in _batched(completed_pks):
        Enrolment.objects.filter(pk__in=batch).update(completed_at=F("enrolled_at"))

    def progress_rows():
        for i, enrolment in enumerate(enrolments):
            done = MODULES if i in certified else rng.randint(0, MODULES - 1)
            for position, module in enumerate(modules):
                yield ModuleProgress(
                    user_id=enrolment.user_id,
                    module=module,
                    enrolment=enrolment,
                    best_score=rng.randint(75, 100) if position < done else None,
                )

    progress = 0
    for batch in _batched(progress_rows()):
        ModuleProgress.objects.bulk_create(batch)
        progress += len(batch)
    # started_at is set on insert (auto_now_add); a scored module was completed when started.
    ModuleProgress.objects.filter(
        enrolment__programme=programme, best_score__isnull=False, completed_at__isnull=True
    ).update(completed_at=F("started_at"))
    # Progress written in bulk bypasses the tracker: let it summarise the enrolments.
    refresh_summaries(programme)

    year = today.year
    start = (
        CertificateNumberSequence.objects.filter(
            credential_code=programme.credential_code, year=year
        ).aggregate(last=Max("last_number"))["last"]
        or 0
    )
    certificates = []
    for n, i in enumerate(sorted(certified), start=start + 1):
        user = users[i]
        kind = CERTIFICATE_KINDS[n % len(CERTIFICATE_KINDS)]
        if kind == "expired":
            issued = now - datetime.timedelta(days=rng.randint(740, 1000))
            expires = today - datetime.timedelta(days=rng.randint(1, 200))
        elif kind == "expiring":
            issued = now - datetime.timedelta(days=700)
            expires = today + datetime.timedelta(days=rng.randint(1, 60))
        else:
            issued = now - datetime.timedelta(days=rng.randint(1, 600))
            expires = today + datetime.timedelta(days=rng.randint(61, 730))
        revoked = kind == "revoked"
        certificates.append(
            Certificate(
                holder=user,
                programme=programme,
                holder_name=f"{user.first_name} {user.last_name}",
                credential_name=programme.credential_name,
                credential_code=programme.credential_code,
                programme_title=programme.title,
                hours=6,
                issuer_name="PeerPath",
                number=f"{programme.credential_code}-{year}-{n:06d}",
                verification_code=generate_code(),
                issued_at=issued,
                expires_on=expires,
                revoked_at=now if revoked else None,
                revocation_reason="Seeded revocation for benchmarks." if revoked else "",
            )
        )
    certificates = Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    CertificateNumberSequence.objects.update_or_create(
        credential_code=programme.credential_code,
        year=year,
        defaults={"last_number": start + len(certificates)},
    )

    content_type = ContentType.objects.get_for_model(Certificate)
    entries = []
    for certificate in certificates:
        entries.append(
            CertificateLogEntry(
                content_type=content_type,
                certificate=certificate,
                label=str(certificate),
                action=audit.ISSUE,
                timestamp=certificate.issued_at,
                data={"reason": "Completed the programme."},
            )
        )
        if certificate.revoked_at:
            entries.append(
                CertificateLogEntry(
                    content_type=content_type,
                    certificate=certificate,
                    label=str(certificate),
                    action=audit.REVOKE,
                    timestamp=certificate.revoked_at,
                    data={"reason": certificate.revocation_reason},
                )
            )
    CertificateLogEntry.objects.bulk_create(entries, batch_size=BATCH)
    return {
        "learners": len(users),
        "progress": progress,
        "certificates": len(certificates),
        "programme": programme,
        "organisations": organisations,
    }


def run_programme(programme, organisations):
    """Every organisation runs `programme` (written in bulk: saving the page per organisation
    would make a revision each time)."""
    through = ProgrammePage.organisations.through
    through.objects.bulk_create(
        [through(programmepage=programme, organisation=o) for o in organisations],
        ignore_conflicts=True,
    )


@transaction.atomic
def seed_cohorts(organisations, *, per_organisation=2, members=200, coordinators=3, seed=0):
    """For each of `organisations` (e.g. `seed_learners(...)["organisations"]`): it runs the
    load-test programme and gets `per_organisation` more cohorts following it ("Cohort <n>",
    numbered on from its existing ones), each with up to `members` of its members (the first
    cohort of each call is the fullest, the next half as full, and so on). The first
    `coordinators` organisations get a coordinator (`coordinator-<slug>@example.org`, granted by
    `roles.grant`, audited as in the admin; once). Returns a summary dict, with the cohorts made
    by organisation pk and the coordinators by organisation pk."""
    rng = random.Random(seed)
    programme, _modules = _programme()
    run_programme(programme, organisations)
    user_model = get_user_model()
    today = timezone.localdate()
    cohort_members = []
    made = {}
    for organisation in organisations:
        existing = Cohort.objects.filter(organisation=organisation).count()
        people = list(
            OrganisationMembership.objects.filter(organisation=organisation)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        for number in range(1, per_organisation + 1):
            cohort = Cohort.objects.create(
                organisation=organisation,
                name=f"Cohort {existing + number}",
                starts_on=today - datetime.timedelta(days=30 * number),
                target_on=today + datetime.timedelta(days=90),
                notes="Generated for benchmarks.",
            )
            cohort.programmes.add(programme)
            made.setdefault(organisation.pk, []).append(cohort)
            size = min(len(people), max(1, members // number))
            cohort_members.extend(
                CohortMember(cohort=cohort, user_id=user_id) for user_id in rng.sample(people, size)
            )
    CohortMember.objects.bulk_create(cohort_members, batch_size=BATCH)

    granted = {}
    for organisation in organisations[:coordinators]:
        user, _created = user_model.objects.get_or_create(
            username=f"coordinator-{organisation.slug}@example.org",
            defaults={
                "email": f"coordinator-{organisation.slug}@example.org",
                "first_name": "Coordinator",
                "password": "!",
            },
        )
        roles.grant(organisation, user, roles.Role.COORDINATOR)
        granted[organisation.pk] = user
    return {
        "organisations": len(organisations),
        "cohorts": made,
        "members": len(cohort_members),
        "coordinators": granted,
        "programme": programme,
    }

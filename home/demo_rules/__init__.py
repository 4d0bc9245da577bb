"""Demo content for certification rules: three more programmes, each modelled on a real public
scheme (under names of our own), and demo people at every stage of them.

- **Recovery Peer Specialist** (RPS), modelled on Pennsylvania's Certified Peer Specialist: 75 hours
  of training ending in a final knowledge check, a code of conduct, valid 24 months with a 60-day
  grace period; each renewal needs 36 continuing-education (CE) hours, at least 3 in Ethics and 24
  in Peer support and recovery. Its optional ethics refresher counts as CE.
- **Peer Wellness Facilitator** (PWF), modelled on Georgia's Certified Peer Specialist: three
  attempts at each knowledge check, all to be passed within 365 days of enrolling; valid 12 months,
  then 90 days "inactive" (lapsed); each renewal needs 12 CE hours (1 in Ethics) and, as for Mental
  Health First Aid instructors, 3 sessions led in the year.
- **Community Peer Practitioner** (CPP), modelled on Texas's Peer Specialist: completing the
  training earns a provisional certificate for 6 months; full certification needs 250 hours of
  supervised practice signed off and, as for WRAP facilitators, 3 co-facilitated sessions; the full
  certificate is valid 24 months, and each renewal needs 20 CE hours (3 in Ethics).

Demo people (password: the demo password, `home.demo.DEMO_PASSWORD`; all e-mail addresses
confirmed). Learners are set up here; certificate holders by `home.demo_certificates`, from `HOLDERS`.

| e-mail | name | stage |
| --- | --- | --- |
| rps.learner@peerpath.example | Dana Whitlock | RPS: enrolled, 2 of 5 required modules done |
| rps.holder@peerpath.example | Priya Castellano | RPS valid, 10 months in: 17 of 36 CE hours |
| rps.renewal@peerpath.example | Tomás Lindqvist | RPS valid, expires within a month: renewal requirements met (can renew) |
| rps.lapsed@peerpath.example | Harper Quinlan | RPS lapsed: expired 20 days ago, in the grace period |
| pwf.learner@peerpath.example | Eli Marchetti | PWF: enrolled, one check passed, one failed once |
| pwf.restart@peerpath.example | Noor Haddad | PWF: enrolled 400 days ago, check window closed (must restart) |
| pwf.holder@peerpath.example | Kai Brennan | PWF valid, 5 months in: 4.5 of 12 CE hours, 1 of 3 sessions led |
| pwf.suspended@peerpath.example | Sasha Novak | PWF suspended, with a reason |
| pwf.expired@peerpath.example | Rowan Achebe | PWF expired: past the 90-day grace period |
| cpp.provisional@peerpath.example | Jordan Ferreira | CPP provisional: 60 of 250 hours signed off, one entry pending, one sent back; 1 of 3 co-facilitated sessions |
| cpp.full@peerpath.example | Leigh Okonkwo | CPP full: 250 hours and 3 co-facilitated sessions done, so the provisional certificate was replaced |
| supervisor@peerpath.example | Marisol Vance | supervises the two CPP people (signs off their practice) |

All dates are relative to the day the demo is first loaded; loading it again changes nothing.
"""

from decimal import Decimal

from django.db import transaction
from wagtail.models import Site

from home.demo_rules.common import (
    SUPERVISOR,
    WINDOW_CLOSED_DAYS,
    ensure_categories,
    ensure_learner,
    record_completed_training,
    record_holder_activity,
)
from home.demo_rules.cpp import CPP, CPP_HOLDERS, CPP_MODULES, CPP_REQUIREMENTS
from home.demo_rules.pwf import PWF, PWF_HOLDERS, PWF_LEARNERS, PWF_MODULES, PWF_REQUIREMENTS
from home.demo_rules.rps import RPS, RPS_HOLDERS, RPS_LEARNERS, RPS_MODULES, RPS_REQUIREMENTS
from home.demo_training import ensure_index, sync_programme
from peerpath.training.models import ProgrammePage, ProgrammeRequirement

__all__ = [
    "HOLDERS",
    "LEARNERS",
    "PROGRAMMES",
    "SUPERVISOR",
    "ensure_programmes",
    "load",
    "programmes_by_code",
    "record_completed_training",
    "record_holder_activity",
]

PROGRAMMES = [
    (RPS, RPS_MODULES, RPS_REQUIREMENTS),
    (PWF, PWF_MODULES, PWF_REQUIREMENTS),
    (CPP, CPP_MODULES, CPP_REQUIREMENTS),
]

# --- Demo people ---------------------------------------------------------------------------------

# Learners: (person, programme code, required modules completed in order, then what else).
LEARNERS = [*RPS_LEARNERS, *PWF_LEARNERS]

# Certificate holders, set up by `home.demo_certificates` (it issues the certificates; the records
# come from `record_holder_activity`). `issued`: (months, days) before today. `ce`: (days ago,
# category, hours, activity, provider). `sessions`: (days ago, co-facilitator or "" if led,
# minutes, participants, group). `practice`: signed-off entries (count, hours each, from days ago,
# to days ago), then single pending and sent-back entries. `refresher`: days ago. `then`: a
# lifecycle step after issue.
HOLDERS = [*RPS_HOLDERS, *PWF_HOLDERS, *CPP_HOLDERS]


def ensure_programmes(index):
    """The three programmes with their modules and requirements; returns them by credential code."""
    categories = ensure_categories()
    programmes = {}
    for spec, module_specs, requirement_specs in PROGRAMMES:
        module_specs = [
            {**module, "ce_category": categories[module["ce_category"]]}
            if module.get("ce_category")
            else module
            for module in module_specs
        ]
        requirements = [
            ProgrammeRequirement(
                stage=stage,
                kind=kind,
                minimum=Decimal(minimum),
                session_role=role,
                # The demo people's logged sessions were groups run outside PeerPath
                # (self-reported); their programmes let those count.
                count_self_reported=kind == ProgrammeRequirement.Kind.SESSIONS,
                category=categories[category] if category else None,
                sort_order=position,
            )
            for position, (stage, kind, minimum, role, category) in enumerate(requirement_specs)
        ]
        programme, _modules = sync_programme(index, spec, module_specs, requirements)
        programmes[spec["credential_code"]] = programme
    return programmes


def programmes_by_code():
    return {
        programme.credential_code: programme
        for programme in ProgrammePage.objects.filter(
            credential_code__in=[spec["credential_code"] for spec, _m, _r in PROGRAMMES]
        ).specific()
    }


@transaction.atomic
def load(stdout=None):
    """Create or refresh the three rules programmes and their learners. Safe to run repeatedly;
    certificate holders are `home.demo_certificates`'s."""
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    programmes = ensure_programmes(ensure_index(site.root_page.specific))
    for person, code, done, then in LEARNERS:
        ensure_learner(person, programmes[code], done, then)
    if stdout is not None:
        for person, code, done, then in LEARNERS:
            stage = {
                None: f"{done} required modules done",
                "fail next": f"{done} required module done, the next check failed once",
                "window closed": f"enrolled {WINDOW_CLOSED_DAYS} days ago: check window closed",
            }[then]
            stdout.write(f"  learner ({code}, {stage}): {person['email']}")
    return programmes

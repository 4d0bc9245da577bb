"""How a training programme is built and what PeerPath records as learners work through it.

- `pages`: `TrainingIndexPage` → `ProgrammePage` → `ModulePage`, and the versions of each
  programme's code of conduct;
- `records`: enrolments, module progress, knowledge-check attempts, reflections, attestations;
- `requirements`: certification requirements and continuing-education categories;
- `practice`: supervisors and supervised practice entries;
- `continuing`: continuing-education activities and their private evidence files.

Every model is importable from here (`from training.models import ModulePage`).
"""

from peerpath.storage import fallback_private_storage, private_storage

from .continuing import ContinuingEducationActivity, evidence_upload_to
from .pages import (
    PERCENT,
    CodeOfConductVersion,
    ModulePage,
    PageView,
    ProgrammePage,
    TrainingIndexPage,
    VisitorPage,
    minutes_to_hours,
    register_page_view,
)
from .practice import SignedOffEntryError, SupervisedPracticeEntry, SupervisorAssignment
from .records import Attestation, CheckAttempt, Enrolment, ModuleProgress, Reflection
from .requirements import ContinuingEducationCategory, ProgrammeRequirement

__all__ = [
    "PERCENT",
    "Attestation",
    "CheckAttempt",
    "CodeOfConductVersion",
    "ContinuingEducationActivity",
    "ContinuingEducationCategory",
    "Enrolment",
    "ModulePage",
    "ModuleProgress",
    "PageView",
    "ProgrammePage",
    "ProgrammeRequirement",
    "Reflection",
    "SignedOffEntryError",
    "SupervisedPracticeEntry",
    "SupervisorAssignment",
    "TrainingIndexPage",
    "VisitorPage",
    "evidence_upload_to",
    "fallback_private_storage",
    "minutes_to_hours",
    "private_storage",
    "register_page_view",
]

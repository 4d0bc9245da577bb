"""The certificates app's models: certificates and their templates (`certificates.py`), and awards
on recognition of prior learning (`awards.py`)."""

from .awards import PriorLearningAward
from .certificates import (
    Certificate,
    CertificateLogEntry,
    CertificateNumberSequence,
    CertificateQuerySet,
    CertificateStatus,
    CertificateTemplate,
    ExpiryReminder,
)

__all__ = [
    "Certificate",
    "CertificateLogEntry",
    "CertificateNumberSequence",
    "CertificateQuerySet",
    "CertificateStatus",
    "CertificateTemplate",
    "ExpiryReminder",
    "PriorLearningAward",
]

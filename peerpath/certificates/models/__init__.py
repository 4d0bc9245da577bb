"""The certificates app's models: certificates and their templates (`certificates.py`), and awards
on recognition of prior learning (`awards.py`), and the issuers whose credentials it may check
(`credentials.py`)."""

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
from .credentials import TrustedIssuerHost

__all__ = [
    "Certificate",
    "CertificateLogEntry",
    "CertificateNumberSequence",
    "CertificateQuerySet",
    "CertificateStatus",
    "CertificateTemplate",
    "ExpiryReminder",
    "PriorLearningAward",
    "TrustedIssuerHost",
]

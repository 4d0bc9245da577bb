"""The answer to a credential check: its outcome, the reason when it is not valid, one finding
per check, and what the credential says. Plain data, shared by the checks (`credential_check.py`,
`credential_status.py`) and the screens that show it."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy


class Outcome(models.TextChoices):
    """What the check concluded, overall."""

    VALID = "valid", gettext_lazy("Valid")
    REVOKED = "revoked", gettext_lazy("Revoked")
    SUSPENDED = "suspended", gettext_lazy("Suspended")
    EXPIRED = "expired", gettext_lazy("Expired")
    NOT_YET_VALID = "not_yet_valid", gettext_lazy("Not yet valid")
    INVALID = "invalid", gettext_lazy("Not valid")
    UNVERIFIED = "unverified", gettext_lazy("Could not be checked")


class Reason(models.TextChoices):
    """Why a credential is not valid, or could not be checked; the label is the headline."""

    MALFORMED = "malformed", gettext_lazy("Not a readable credential")
    TOO_LARGE = "too_large", gettext_lazy("Too large to check")
    UNSIGNED = "unsigned", gettext_lazy("Not signed")
    UNSUPPORTED_ALG = "unsupported_alg", gettext_lazy("Signed in a way this site does not accept")
    BAD_SIGNATURE = "bad_signature", gettext_lazy("Signature does not match")
    UNKNOWN_KEY = "unknown_key", gettext_lazy("Signed with an unknown key")
    UNTRUSTED_ISSUER = "untrusted_issuer", gettext_lazy("Issuer not on the trusted list")
    FETCH_FAILED = "fetch_failed", gettext_lazy("The issuer's keys could not be fetched")
    STATUS_UNAVAILABLE = "status_unavailable", gettext_lazy("Status could not be checked")
    INDEX_OUT_OF_RANGE = "index_out_of_range", gettext_lazy("Status could not be checked")
    NOT_A_CREDENTIAL = "not_a_credential", gettext_lazy("Not an Open Badges credential")
    CLAIMS_MISMATCH = "claims_mismatch", gettext_lazy("The credential contradicts itself")


#: Reasons that leave the question open (the credential may be fine) rather than answer "no".
UNVERIFIED_REASONS = {
    Reason.UNTRUSTED_ISSUER,
    Reason.FETCH_FAILED,
    Reason.STATUS_UNAVAILABLE,
    Reason.INDEX_OUT_OF_RANGE,
}


class Check(models.TextChoices):
    """The checks, in the order they run."""

    FORMAT = "format", gettext_lazy("Format")
    ALGORITHM = "algorithm", gettext_lazy("Signature algorithm")
    KEY = "key", gettext_lazy("Signing key")
    SIGNATURE = "signature", gettext_lazy("Signature")
    CREDENTIAL = "credential", gettext_lazy("Open Badges credential")
    DATES = "dates", gettext_lazy("Validity dates")
    REVOCATION = "revocation", gettext_lazy("Revocation")
    SUSPENSION = "suspension", gettext_lazy("Suspension")
    HOLDER = "holder", gettext_lazy("Holder")


class State(models.TextChoices):
    PASSED = "passed", gettext_lazy("Passed")
    FAILED = "failed", gettext_lazy("Failed")
    NOT_CHECKED = "not_checked", gettext_lazy("Not checked")


#: What each outcome means, beside its headline (not valid and not checked say why instead).
SUMMARIES = {
    Outcome.VALID: gettext_lazy(
        "It is signed with its issuer's published key, it is within its dates, and its issuer "
        "has not revoked or suspended it."
    ),
    Outcome.REVOKED: gettext_lazy("Its issuer has revoked it. It is no longer valid."),
    Outcome.SUSPENDED: gettext_lazy(
        "Its issuer has suspended it. It is not valid while the suspension lasts."
    ),
    Outcome.EXPIRED: gettext_lazy("It is genuine, but the time it was valid for has ended."),
    Outcome.NOT_YET_VALID: gettext_lazy("It is genuine, but it is not valid yet."),
}


UNCHECKED_STATUS_SUMMARY = gettext_lazy(
    "It is signed with its issuer's published key and it is within its dates. It does not say "
    "where its issuer publishes revocations and suspensions, so those could not be checked."
)


@dataclass
class Finding:
    """One check: its name, whether it passed, and what was found, in plain words."""

    check: str
    state: str
    message: str

    @property
    def label(self):
        return Check(self.check).label

    @property
    def state_label(self):
        return State(self.state).label


@dataclass
class CheckResult:
    """The answer: the outcome (`Outcome`), the reason when not valid (`Reason`), one finding per
    check, and what the credential says (filled in only once its signature has been checked)."""

    outcome: str = Outcome.INVALID
    reason: str = ""
    findings: list = field(default_factory=list)
    credential_name: str = ""
    achievement_name: str = ""
    issuer_name: str = ""
    issuer_id: str = ""
    #: The host whose keys signed it (or would have): what an administrator may choose to trust.
    issuer_host: str = ""
    is_own: bool = False
    valid_from: datetime.datetime | None = None
    valid_until: datetime.datetime | None = None
    #: True or False when an e-mail address was given and the credential names its holder by
    #: one; None otherwise.
    holder_matches: bool | None = None

    @property
    def is_valid(self):
        return self.outcome == Outcome.VALID

    @property
    def headline(self):
        if self.outcome in (Outcome.INVALID, Outcome.UNVERIFIED) and self.reason:
            return Reason(self.reason).label
        return Outcome(self.outcome).label

    @property
    def tone(self):
        """The look of the answer: valid (green), revoked (red) or expired (amber)."""
        if self.outcome == Outcome.VALID:
            return "valid"
        if self.outcome in (Outcome.REVOKED, Outcome.SUSPENDED, Outcome.INVALID):
            return "revoked"
        return "expired"

    @property
    def summary(self):
        """The answer in a sentence or two."""
        if self.outcome in (Outcome.INVALID, Outcome.UNVERIFIED):
            failed = next((item for item in self.findings if item.state == State.FAILED), None)
            return failed.message if failed else ""
        if self.outcome == Outcome.VALID and self.status_unchecked:
            return UNCHECKED_STATUS_SUMMARY
        return SUMMARIES[self.outcome]

    @property
    def status_unchecked(self):
        """Whether revocation or suspension could not be checked (no status entry for it)."""
        return any(
            item.check in (Check.REVOCATION, Check.SUSPENSION) and item.state != State.PASSED
            for item in self.findings
        )

    @property
    def says_something(self):
        """Whether there is a verified credential to describe."""
        return bool(self.issuer_id)

    def finding(self, check):
        """The first finding for `check`, or None."""
        return next((item for item in self.findings if item.check == check), None)


#: Dates outside these years are refused: nothing real is dated there, and at the edges of the
#: calendar converting between time zones overflows.
YEARS = range(1900, 9000)


def parse_time(value):
    """An XML Schema dateTime (no zone means UTC) as an aware datetime in UTC, or None."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        parsed = parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.year in YEARS else None


def day(value):
    """A date as people read it: 2 March 2026."""
    return date_format(timezone.localtime(value), "j F Y")


class CheckFailed(Exception):
    """A check that failed and stops the checks after it."""

    def __init__(self, reason, check, message):
        super().__init__(message)
        self.reason, self.check, self.message = reason, check, message

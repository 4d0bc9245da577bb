"""The audit trail of certificates: Wagtail log entries, so it shows in the admin's history views.

`certificates/issuing.py` (and the privacy erasure) call `record()` for every issue, revocation,
suspension, reinstatement, renewal, reissue, confirmation of a provisional certificate and
relinquishment, and `awards.py` for every award on prior learning; `register()` tells Wagtail how
to describe each action, and that certificates keep their entries in `CertificateLogEntry`, whose
manager scopes them by organisation.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

from .models import Certificate, CertificateLogEntry

ISSUE = "certificates.issue"
REVOKE = "certificates.revoke"
RENEW = "certificates.renew"
REISSUE = "certificates.reissue"
RELINQUISH = "certificates.relinquish"
SUSPEND = "certificates.suspend"
REINSTATE = "certificates.reinstate"
CONFIRM = "certificates.confirm_full"
AWARD = "certificates.award"

ACTIONS = {
    ISSUE: (_("Issue"), _("Issued")),
    REVOKE: (_("Revoke"), _("Revoked")),
    RENEW: (_("Renew"), _("Renewed")),
    REISSUE: (_("Reissue"), _("Reissued")),
    RELINQUISH: (_("Relinquish"), _("No longer held")),
    SUSPEND: (_("Suspend"), _("Suspended")),
    REINSTATE: (_("Reinstate"), _("Reinstated")),
    CONFIRM: (_("Confirm full certification"), _("Full certification confirmed")),
    AWARD: (_("Award"), _("Awarded on recognition of prior learning")),
}

#: Actions whose reason is staff's free text about the holder (personal data, erased with the
#: account: an award's reason is its evidence note); the other reasons are the system's own words.
FREE_TEXT_REASONS = (SUSPEND, REINSTATE, REVOKE, AWARD)


def record(certificate, action, *, by=None, reason="", **data):
    """Log `action` on `certificate`: who (None for automatic), when (now) and why (`reason`)."""
    if reason:
        data["reason"] = reason
    return log(certificate, action, user=by, data=data)


def formatter_for(action):
    """A LogFormatter whose comment is the recorded reason, and whose message names the other
    certificate involved (the one renewed, or the replacement)."""
    label, message = ACTIONS[action]

    class CertificateLogFormatter(LogFormatter):
        def format_message(self, log_entry):
            data = log_entry.data or {}
            if data.get("successor"):
                return _("%(message)s: replaced by %(number)s") % {
                    "message": message,
                    "number": data["successor"],
                }
            if data.get("replaces"):
                return _("%(message)s to replace %(number)s") % {
                    "message": message,
                    "number": data["replaces"],
                }
            return message

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("reason", "")

    CertificateLogFormatter.label = label
    return CertificateLogFormatter


def register(actions):
    """Body of the `register_log_actions` hook."""
    actions.register_model(Certificate, CertificateLogEntry)
    for action in ACTIONS:
        actions.register_action(action)(formatter_for(action))

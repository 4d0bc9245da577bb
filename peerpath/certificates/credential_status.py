"""The status part of a credential check: its Bitstring Status List entries, for revocation and
for suspension.

This site's own lists are built here, by the rule that publishes them (`status_list.py`), with no
request. Another issuer's list is fetched (`remote.py`, under the same rules as its keys) and
believed only when it is signed with that issuer's published key, names the same issuer, is the
list the entry points at, is for the purpose the entry says, and has not run out.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from joserfc.errors import BadSignatureError, JoseError

from . import status_list
from .credential_jose import (
    KeyProblem,
    algorithm_problem,
    credential_body,
    issuer_id,
    split_compact,
    verify_signature,
)
from .credential_result import Check, Reason, State, day, parse_time
from .hosts import url_host
from .links import absolute_url
from .ob3 import STATUS_ENTRY_TYPE, STATUS_LIST_TYPE
from .remote import RemoteError, fetch
from .status_list import REVOCATION, SUSPENSION, StatusListError

#: At most this many entries per purpose are read, so a credential cannot ask for many fetches.
MAX_ENTRIES = 2
#: The views that publish this site's lists (signed, and readable).
OWN_LIST_VIEWS = {"certificates:status_list", "certificates:status_list_json"}
STATUS_LIST = gettext_lazy("status list")
CHECKS = {REVOCATION: Check.REVOCATION, SUSPENSION: Check.SUSPENSION}


class StatusProblem(Exception):
    """A status entry that could not be read; `reason` is a credential check `Reason`."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason, self.message = reason, message


@dataclass
class Status:
    """What the status lists said: revoked, suspended, and the first problem reading them."""

    revoked: bool = False
    suspended: bool = False
    problem: str = ""


def _position(value):
    """A status list index (a string of digits, as the specification has it, or a number)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    raise StatusProblem(
        Reason.STATUS_UNAVAILABLE, _("Its status entry's index is not a whole number.")
    )


class StatusChecker:
    """Reads a verified credential's status entries for `checker` (a `credential_check.Checker`,
    whose findings, clock, network permission and key sets it shares)."""

    def __init__(self, checker, credential):
        self.checker = checker
        self.credential = credential
        self.status = Status()
        self.lists = {}

    def run(self):
        entries = self.credential.get("credentialStatus")
        entries = entries if isinstance(entries, list) else [entries]
        entries = [item for item in entries if isinstance(item, dict)]
        for purpose, check in CHECKS.items():
            found = [
                item
                for item in entries
                if item.get("type") == STATUS_ENTRY_TYPE and item.get("statusPurpose") == purpose
            ]
            if not found:
                self.checker.add(check, State.NOT_CHECKED, self.no_entry(purpose))
            for entry in found[:MAX_ENTRIES]:
                self.check_entry(entry, purpose, check)
        return self.status

    @staticmethod
    def no_entry(purpose):
        if purpose == REVOCATION:
            return _("It has no status list for revocation, so that cannot be checked.")
        return _("It has no status list for suspension, so that cannot be checked.")

    def check_entry(self, entry, purpose, check):
        try:
            is_set = self.bit(entry, purpose)
        except StatusProblem as problem:
            self.checker.add(check, State.FAILED, problem.message)
            self.status.problem = self.status.problem or problem.reason
            return
        if purpose == REVOCATION:
            self.status.revoked |= is_set
            message = (
                _("Its issuer has revoked it.")
                if is_set
                else _("Not revoked, according to its issuer's status list.")
            )
        else:
            self.status.suspended |= is_set
            message = (
                _("Its issuer has suspended it.")
                if is_set
                else _("Not suspended, according to its issuer's status list.")
            )
        self.checker.add(check, State.FAILED if is_set else State.PASSED, message)

    def bit(self, entry, purpose):
        position = _position(entry.get("statusListIndex"))
        if entry.get("statusSize", 1) not in (1, "1"):
            # Several bits per entry carry a message status, not revocation or suspension.
            raise StatusProblem(
                Reason.STATUS_UNAVAILABLE,
                _("Its status entry uses several bits per credential, which is not read here."),
            )
        url = entry.get("statusListCredential")
        if not isinstance(url, str) or not url:
            raise StatusProblem(
                Reason.STATUS_UNAVAILABLE, _("Its status entry does not say where its list is.")
            )
        if self.checker.result.is_own:
            bits = self.own_bits(url, purpose)
        else:
            bits = self.remote_bits(url.partition("#")[0], purpose)
        try:
            return status_list.bit_is_set(bits, position)
        except StatusListError as error:
            raise StatusProblem(Reason.INDEX_OUT_OF_RANGE, str(error)) from error

    def own_bits(self, url, purpose):
        """This site's list, as it would publish it now, built here without a request."""
        missing = StatusProblem(
            Reason.STATUS_UNAVAILABLE,
            _("This site publishes no status list at the address its status entry gives."),
        )
        if not url.startswith(absolute_url("/")):
            raise missing
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            raise missing from None
        if match.view_name not in OWN_LIST_VIEWS:
            raise missing
        number = match.kwargs.get("number")
        if match.kwargs.get("purpose") != purpose:
            raise StatusProblem(
                Reason.STATUS_UNAVAILABLE,
                _("Its %(purpose)s status entry points at a list for another purpose.")
                % {"purpose": purpose},
            )
        if not status_list.exists(number):
            raise missing
        key = (purpose, number)
        if key not in self.lists:
            today = timezone.localdate(self.checker.now)
            self.lists[key] = status_list.bits(purpose, number, today)
        return self.lists[key]

    def remote_bits(self, url, purpose):
        """Another issuer's list: fetched, its signature and claims checked, then decoded."""
        if not self.checker.allow_network:
            raise StatusProblem(
                Reason.STATUS_UNAVAILABLE,
                _("Fetching other sites' status lists is turned off here."),
            )
        key = (purpose, url)
        if key not in self.lists:
            self.lists[key] = self.fetch_list(url, purpose)
        found = self.lists[key]
        if isinstance(found, StatusProblem):
            raise found
        return found

    def fetch_list(self, url, purpose):
        try:
            return self.read_list(url, purpose)
        except StatusProblem as problem:
            return problem

    def read_list(self, url, purpose):
        host = url_host(url) or ""
        if host != url_host(self.checker.result.issuer_id):
            raise StatusProblem(
                Reason.STATUS_UNAVAILABLE,
                _(
                    "Its status list is published on %(host)s, not on its issuer's site, so it "
                    "was not fetched."
                )
                % {"host": host or "?"},
            )
        try:
            token = fetch(url, purpose=STATUS_LIST).strip()
        except RemoteError as error:
            raise StatusProblem(Reason.STATUS_UNAVAILABLE, error.message) from error
        payload = self.verified_list(token, host)
        data = credential_body(payload)

        def refuse(message):
            return StatusProblem(
                Reason.STATUS_UNAVAILABLE,
                _("The status list from %(host)s cannot be used: %(detail)s.")
                % {"host": host, "detail": message},
            )

        types = data.get("type") if isinstance(data.get("type"), list) else [data.get("type")]
        subject = data.get("credentialSubject")
        if STATUS_LIST_TYPE not in types or not isinstance(subject, dict):
            raise refuse(_("it is not a Bitstring Status List"))
        if issuer_id(data) != self.checker.result.issuer_id:
            raise refuse(_("it names another issuer"))
        if data.get("id", url) != url:
            raise refuse(_("it is not the list the credential points at"))
        purposes = subject.get("statusPurpose")
        if purpose not in (purposes if isinstance(purposes, list) else [purposes]):
            raise refuse(_("it is for another purpose"))
        valid_until = parse_time(data.get("validUntil"))
        if valid_until is not None and valid_until <= self.checker.now:
            raise refuse(
                _("it was valid until %(date)s, and its issuer has published no newer one")
                % {"date": day(valid_until)}
            )
        try:
            return status_list.decode(subject.get("encodedList"))
        except StatusListError as error:
            raise refuse(str(error).rstrip(".")) from error

    def verified_list(self, token, host):
        """The payload of a fetched status list, once it is shown to be signed by the
        credential's issuer."""

        def refuse(message):
            return StatusProblem(
                Reason.STATUS_UNAVAILABLE,
                _("The status list from %(host)s cannot be trusted: %(detail)s")
                % {"host": host, "detail": message},
            )

        try:
            header, _payload = split_compact(token)
        except ValueError as error:
            raise refuse(_("%(detail)s.") % {"detail": error}) from error
        if algorithm_problem(header):
            raise refuse(_("it is not signed with ES256 or Ed25519."))
        alg, kid = header["alg"], header.get("kid")
        keys = self.checker.remote_keys
        try:
            keys.host_for(kid, issuer=self.checker.result.issuer_id)
            key = keys.key(kid, alg)
        except KeyProblem as problem:
            raise refuse(problem.message) from problem
        try:
            payload = verify_signature(token, key, alg)
        except (BadSignatureError, JoseError, ValueError, TypeError, RecursionError) as error:
            raise refuse(_("its signature does not match its issuer's key.")) from error
        if not isinstance(payload, dict):
            raise refuse(_("its body is not a JSON object."))
        return payload

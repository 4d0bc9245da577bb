"""Checking an Open Badges 3.0 credential (a VC-JWT): this site's own, or another PeerPath site's.

`check_credential()` reads what a person pasted or uploaded (the signed `.jwt`, a JSON document,
or a baked badge PNG), then checks, in order, and stops at the first check that fails:

1. format: a compact JWS of reasonable size whose header and body are JSON;
2. algorithm: ES256 or Ed25519 only (never `none`, never a shared-secret HMAC);
3. key: the header's `kid` is a URL into the issuer's published key set. This site's own keys
   are looked up locally; another issuer's are fetched (`remote.py`) only when its host is on the
   trusted list and is the host of the issuer the credential names;
4. signature, verified with joserfc;
5. credential: an OpenBadgeCredential (VC 2.0 and OB 3.0 contexts, types, issuer,
   credentialSubject.achievement, validFrom) whose JWT claims agree with its body.

Then, for a genuine credential: its dates, its status entries (`credential_status.py`) and,
when asked, whether it was issued to a given e-mail address. The answer is a `CheckResult`: an
overall outcome, the reason when it is not valid, one finding per check and what the credential
says. Nothing here logs the credential or anything about its holder.
"""

import datetime
import hmac

from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc.errors import BadSignatureError, JoseError

from . import keys
from .credential_input import read_input
from .credential_jose import (
    KeyProblem,
    RemoteKeys,
    algorithm_problem,
    credential_body,
    issuer_id,
    verify_signature,
)
from .credential_result import (
    UNVERIFIED_REASONS,
    Check,
    CheckFailed,
    CheckResult,
    Finding,
    Outcome,
    Reason,
    State,
    day,
    parse_time,
)
from .credential_status import StatusChecker
from .hosts import url_host
from .links import issuer_urls
from .ob3 import OB_CONTEXT_PREFIX, OB_TYPES, VC_CONTEXT
from .snapshot import recipient_identity

__all__ = ["Check", "CheckResult", "Finding", "Outcome", "Reason", "State", "check_credential"]


def _fail(reason, check, message):
    raise CheckFailed(reason, check, message)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _text(value, limit=300):
    return value[:limit] if isinstance(value, str) else ""


class Checker:
    """One run of the checks; `check_credential()` is the way in."""

    def __init__(self, *, holder_email=None, allow_network=True, now=None):
        self.holder_email = (holder_email or "").strip()
        self.allow_network = allow_network
        now = now or timezone.now()
        self.now = timezone.make_aware(now, datetime.UTC) if timezone.is_naive(now) else now
        self.result = CheckResult()
        self.remote_keys = RemoteKeys()

    def add(self, check, state, message):
        self.result.findings.append(Finding(check, state, message))

    def run(self, data):
        try:
            token = read_input(data)
            self.add(
                Check.FORMAT,
                State.PASSED,
                _("A signed credential (VC-JWT) was read from the badge image.")
                if token.from_image
                else _("A signed credential (VC-JWT) was read."),
            )
            alg = self.check_algorithm(token.header)
            key = self.find_key(token.header, token.payload, alg)
            payload = self.check_signature(token.text, key, alg)
            credential = self.check_credential(payload)
        except CheckFailed as failure:
            self.add(failure.check, State.FAILED, failure.message)
            self.result.reason = failure.reason
            self.result.outcome = (
                Outcome.UNVERIFIED if failure.reason in UNVERIFIED_REASONS else Outcome.INVALID
            )
            self.skip_the_rest(failure.check)
            return self.result
        dates = self.check_dates()
        status = StatusChecker(self, credential).run()
        self.check_holder(credential)
        self.decide(dates, status)
        return self.result

    def skip_the_rest(self, failed):
        checks = list(Check)
        for check in checks[checks.index(failed) + 1 :]:
            self.add(check, State.NOT_CHECKED, _("An earlier check failed."))

    # Algorithm, key and signature.

    def check_algorithm(self, header):
        alg = header.get("alg")
        problem = algorithm_problem(header)
        if problem == "unsigned":
            _fail(
                Reason.UNSIGNED,
                Check.ALGORITHM,
                _("The credential says it is not signed (algorithm “none”), so it proves nothing."),
            )
        if problem == "unsupported":
            _fail(
                Reason.UNSUPPORTED_ALG,
                Check.ALGORITHM,
                _(
                    "The credential is signed with %(alg)s; only ES256 and Ed25519 signatures are "
                    "accepted."
                )
                % {"alg": _text(alg, 20) or _("an unnamed algorithm")},
            )
        if problem == "critical":
            _fail(
                Reason.UNSUPPORTED_ALG,
                Check.ALGORITHM,
                _("The credential's header asks for extensions this site does not understand."),
            )
        self.add(Check.ALGORITHM, State.PASSED, _("Signed with %(alg)s.") % {"alg": alg})
        return alg

    def find_key(self, header, payload, alg):
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            _fail(
                Reason.UNKNOWN_KEY,
                Check.KEY,
                _(
                    "The credential does not name the key it was signed with (no “kid”), so its "
                    "signature cannot be checked."
                ),
            )
        jwks_url, _hash, fragment = kid.partition("#")
        own_jwks = issuer_urls()["jwks"]
        if jwks_url == own_jwks:
            return self.own_key(fragment, alg, own_jwks)
        return self.issuer_key(kid, payload, alg)

    def own_key(self, kid, alg, own_jwks):
        self.result.is_own = True
        self.result.issuer_host = url_host(own_jwks) or ""
        key = keys.find_key(kid) if kid else None
        if key is None:
            _fail(
                Reason.UNKNOWN_KEY,
                Check.KEY,
                _(
                    "The credential names a key of this site that is not published: it was "
                    "retired, or never existed."
                ),
            )
        if key.alg != alg:
            _fail(
                Reason.BAD_SIGNATURE,
                Check.KEY,
                _("This site's key %(kid)s signs with %(key_alg)s, not %(alg)s.")
                % {"kid": kid, "key_alg": key.alg, "alg": alg},
            )
        self.add(
            Check.KEY,
            State.PASSED,
            _("One of this site's own published keys (%(kid)s).") % {"kid": kid},
        )
        return key.key

    def issuer_key(self, kid, payload, alg):
        """Another issuer's key: from its own host, trusted here, fetched over HTTPS."""
        credential = credential_body(payload)
        named_issuer = payload.get("iss") if isinstance(payload.get("iss"), str) else ""
        named_issuer = named_issuer or issuer_id(credential)
        key_host = url_host(kid.partition("#")[0])
        if key_host and key_host == url_host(named_issuer):
            self.result.issuer_host = key_host  # the host an administrator might trust
        try:
            host = self.remote_keys.host_for(kid, issuer=named_issuer)
            if not self.allow_network:
                raise KeyProblem(
                    "fetch_failed", _("Fetching another issuer's keys is turned off here.")
                )
            key = self.remote_keys.key(kid, alg)
        except KeyProblem as problem:
            _fail(Reason(problem.reason), Check.KEY, problem.message)
        self.add(
            Check.KEY,
            State.PASSED,
            _("The issuer's published key, fetched from %(host)s (a trusted issuer).")
            % {"host": host},
        )
        return key

    def check_signature(self, token, key, alg):
        try:
            payload = verify_signature(token, key, alg)
        except BadSignatureError:
            _fail(
                Reason.BAD_SIGNATURE,
                Check.SIGNATURE,
                _(
                    "The signature does not match: the credential was changed after it was "
                    "signed, or was signed with a different key."
                ),
            )
        except (JoseError, ValueError, TypeError, RecursionError):
            _fail(
                Reason.BAD_SIGNATURE,
                Check.SIGNATURE,
                _("The signature could not be checked with the issuer's key."),
            )
        if not isinstance(payload, dict):
            _fail(Reason.MALFORMED, Check.SIGNATURE, _("The signed body is not a JSON object."))
        self.add(
            Check.SIGNATURE,
            State.PASSED,
            _("The signature matches: the credential is exactly as its issuer signed it."),
        )
        return payload

    # What the credential says.

    def check_credential(self, payload):
        credential = credential_body(payload)
        problems = self.shape_problems(credential)
        if problems:
            _fail(
                Reason.NOT_A_CREDENTIAL,
                Check.CREDENTIAL,
                _("This is not a complete Open Badges 3.0 credential: %(problems)s.")
                % {"problems": "; ".join(problems)},
            )
        self.describe(credential)
        mismatches = self.claim_mismatches(payload, credential)
        if mismatches:
            _fail(
                Reason.CLAIMS_MISMATCH,
                Check.CREDENTIAL,
                _("The signed claims and the credential disagree: %(problems)s.")
                % {"problems": "; ".join(mismatches)},
            )
        self.add(
            Check.CREDENTIAL,
            State.PASSED,
            _("An Open Badges 3.0 credential, and its signed claims agree with it."),
        )
        return credential

    def shape_problems(self, credential):
        problems = []
        contexts = _as_list(credential.get("@context"))
        if not contexts or contexts[0] != VC_CONTEXT:
            problems.append(_("it does not start with the Verifiable Credentials 2.0 context"))
        if not any(
            isinstance(item, str) and item.startswith(OB_CONTEXT_PREFIX) for item in contexts
        ):
            problems.append(_("it lacks the Open Badges 3.0 context"))
        types = _as_list(credential.get("type"))
        if "VerifiableCredential" not in types or not any(kind in OB_TYPES for kind in types):
            problems.append(_("its type is not OpenBadgeCredential"))
        if not issuer_id(credential):
            problems.append(_("it names no issuer"))
        subject = credential.get("credentialSubject")
        if not isinstance(subject, dict) or not isinstance(subject.get("achievement"), dict):
            problems.append(_("it names no achievement"))
        if parse_time(credential.get("validFrom")) is None:
            problems.append(_("its validFrom is missing or not a date and time"))
        if "validUntil" in credential and parse_time(credential.get("validUntil")) is None:
            problems.append(_("its validUntil is not a date and time"))
        return problems

    def describe(self, credential):
        issuer = credential.get("issuer")
        achievement = credential["credentialSubject"]["achievement"]
        self.result.issuer_id = _text(issuer_id(credential))
        self.result.issuer_name = _text(issuer.get("name")) if isinstance(issuer, dict) else ""
        self.result.achievement_name = _text(achievement.get("name"))
        self.result.credential_name = _text(credential.get("name")) or self.result.achievement_name
        self.result.valid_from = parse_time(credential.get("validFrom"))
        self.result.valid_until = parse_time(credential.get("validUntil"))

    def claim_mismatches(self, payload, credential):
        """What the JWT's registered claims say that the credential's body does not."""
        mismatches = []
        result = self.result
        if payload.get("iss") != result.issuer_id:
            mismatches.append(_("the JWT's issuer (iss) is not the credential's issuer"))
        if result.is_own and result.issuer_id != issuer_urls()["profile"]:
            mismatches.append(_("it is signed with this site's key but names another issuer"))
        if result.issuer_host and url_host(result.issuer_id) != result.issuer_host:
            mismatches.append(_("its issuer is not on the host whose key signed it"))
        checks = [
            ("nbf", result.valid_from, _("its not-before time (nbf) is not its validFrom")),
            ("exp", result.valid_until, _("its expiry time (exp) is not its validUntil")),
        ]
        for claim, moment, message in checks:
            value = payload.get(claim)
            if value is None and moment is None:
                continue
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not number or moment is None or value != int(moment.timestamp()):
                mismatches.append(message)
        jti = payload.get("jti")
        if jti is not None and credential.get("id") is not None and jti != credential.get("id"):
            mismatches.append(_("its JWT id (jti) is not the credential's id"))
        return mismatches

    # Dates, holder and the overall answer.

    def check_dates(self):
        """Whether the credential is within its dates now: "valid", "expired" or
        "not_yet_valid"."""
        start, end = self.result.valid_from, self.result.valid_until
        if start > self.now:
            self.add(
                Check.DATES,
                State.FAILED,
                _("It is valid from %(start)s, which is still to come.") % {"start": day(start)},
            )
            return Outcome.NOT_YET_VALID
        if end is not None and end <= self.now:
            self.add(
                Check.DATES,
                State.FAILED,
                _("It was valid from %(start)s until %(end)s.")
                % {"start": day(start), "end": day(end)},
            )
            return Outcome.EXPIRED
        if end is None:
            message = _("Valid from %(start)s, with no end date.") % {"start": day(start)}
        else:
            message = _("Valid from %(start)s until %(end)s.") % {
                "start": day(start),
                "end": day(end),
            }
        self.add(Check.DATES, State.PASSED, message)
        return Outcome.VALID

    def check_holder(self, credential):
        if not self.holder_email:
            self.add(
                Check.HOLDER,
                State.NOT_CHECKED,
                _("No e-mail address was given to compare with the holder's."),
            )
            return
        subject = credential["credentialSubject"]
        identities = [
            item
            for item in _as_list(subject.get("identifier"))
            if isinstance(item, dict) and item.get("identityType") == "emailAddress"
        ]
        if not identities:
            self.add(
                Check.HOLDER,
                State.NOT_CHECKED,
                _(
                    "The credential does not name its holder by e-mail address, so the address "
                    "given cannot be compared."
                ),
            )
            return
        matches = any(self.is_holder(identity) for identity in identities)
        self.result.holder_matches = matches
        if matches:
            self.add(
                Check.HOLDER,
                State.PASSED,
                _("It was issued to the e-mail address given."),
            )
        else:
            self.add(
                Check.HOLDER,
                State.FAILED,
                _("It was not issued to the e-mail address given."),
            )

    def is_holder(self, identity):
        expected = identity.get("identityHash")
        if not isinstance(expected, str):
            return False
        if identity.get("hashed") is False:
            return hmac.compare_digest(
                expected.strip().lower().encode(), self.holder_email.lower().encode()
            )
        salt = identity.get("salt") if isinstance(identity.get("salt"), str) else ""
        computed = recipient_identity(self.holder_email, salt)
        if not expected.startswith("sha256$"):
            computed = computed.removeprefix("sha256$")
        return hmac.compare_digest(computed.encode(), expected.strip().lower().encode())

    def decide(self, dates, status):
        """The overall answer: revoked or suspended first, then the dates, then whether the
        status could be read at all."""
        result = self.result
        if status.revoked:
            result.outcome = Outcome.REVOKED
        elif status.suspended:
            result.outcome = Outcome.SUSPENDED
        elif dates != Outcome.VALID:
            result.outcome = dates
        elif status.problem:
            result.outcome, result.reason = Outcome.UNVERIFIED, status.problem
        else:
            result.outcome = Outcome.VALID


def check_credential(data, *, holder_email=None, allow_network=True, now=None):
    """Check an Open Badges 3.0 credential: `data` is the pasted text, or the bytes of an
    uploaded `.jwt`, `.json` or baked `.png`. `holder_email`, when given, is compared with the
    holder's hashed identity. With `allow_network` False, nothing is fetched from other sites.
    Returns a `CheckResult`; never raises for bad input."""
    checker = Checker(holder_email=holder_email, allow_network=allow_network, now=now)
    return checker.run(data)

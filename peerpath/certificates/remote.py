"""Fetching another issuer's published keys or status list, and nothing else.

Checking a credential from another PeerPath site needs that site's key set and status lists. A
pasted credential chooses the address, so every fetch is held to what an administrator allowed:
HTTPS only, to a host on the trusted list (`TrustedIssuerHost`), no redirects (a redirect could
lead anywhere), one deadline for the whole answer (not per read, so a slow trickle cannot hold a
worker) and a cap on its size, checked before and while reading. Nothing about the credential or
its holder is logged: only the host and what went wrong.
"""

import logging
import time
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext as _
from urllib3.exceptions import HTTPError as TransportError

from peerpath.conf import setting

from .hosts import url_host
from .models import TrustedIssuerHost

logger = logging.getLogger(__name__)

CHUNK_SIZE = 16 * 1024
ACCEPT = "application/jwk-set+json, application/vc+jwt, application/json;q=0.9, */*;q=0.1"


class RemoteError(Exception):
    """A fetch that was refused or failed; its message says why, plainly, for the person
    checking. `refused` is True when the address was never contacted (not HTTPS, not trusted)."""

    def __init__(self, message, *, refused=False):
        super().__init__(message)
        self.message = message
        self.refused = refused


def is_trusted(host):
    """Whether an administrator allows fetching from `host` (normalised, as `hosts.url_host`)."""
    return bool(host) and TrustedIssuerHost.objects.filter(host=host).exists()


def check_address(url, *, purpose):
    """The URL's host if this site may fetch `purpose` from it; RemoteError (refused) if not."""
    host = url_host(url) if isinstance(url, str) else None
    if host is None:
        raise RemoteError(
            _("The address given for the %(purpose)s is not a web address.") % {"purpose": purpose},
            refused=True,
        )
    if not url.lower().startswith("https://"):
        raise RemoteError(
            _(
                "Nothing was fetched from %(host)s: the address of the %(purpose)s does not use "
                "HTTPS, and only HTTPS addresses are used."
            )
            % {"purpose": purpose, "host": host},
            refused=True,
        )
    if not is_trusted(host):
        raise RemoteError(
            _(
                "Nothing was fetched from %(host)s: it is not on this site's list of trusted issuers."
            )
            % {"host": host},
            refused=True,
        )
    return host


def fetch(url, *, purpose):
    """The text at `url` (a key set or a signed status list), fetched under the rules above.
    `purpose` names what is fetched in messages ("issuer's key set", "status list").
    RemoteError otherwise."""
    host = check_address(url, purpose=purpose)
    timeout = float(setting("CREDENTIAL_FETCH", "TIMEOUT_SECONDS"))
    max_bytes = int(setting("CREDENTIAL_FETCH", "MAX_BYTES"))
    deadline = time.monotonic() + timeout
    try:
        response = requests.get(
            urlsplit(url).geturl(),  # what was checked: urlsplit drops tabs and line breaks
            stream=True,
            allow_redirects=False,
            timeout=(timeout, timeout),
            headers={"Accept": ACCEPT, "Accept-Encoding": "identity"},
        )
    except requests.RequestException as error:
        logger.info("Credential check: fetching from %s failed (%s)", host, type(error).__name__)
        raise RemoteError(
            _("Could not reach %(host)s to fetch the %(purpose)s.")
            % {"host": host, "purpose": purpose}
        ) from error
    try:
        return _read(
            response,
            host=host,
            purpose=purpose,
            timeout=timeout,
            limit=max_bytes,
            deadline=deadline,
        )
    finally:
        response.close()


def _arriving(response):
    """The body in pieces as they arrive: each is one read from the network (`read1`), so the
    deadline is checked however slowly the answer trickles in."""
    while chunk := response.raw.read1(CHUNK_SIZE, decode_content=True):
        yield chunk


def _read(response, *, host, purpose, timeout, deadline, limit):
    seconds = f"{timeout:g}"
    if 300 <= response.status_code < 400:
        raise RemoteError(
            _("%(host)s redirected the request for the %(purpose)s; redirects are not followed.")
            % {"host": host, "purpose": purpose}
        )
    if response.status_code != 200:
        raise RemoteError(
            _("%(host)s answered the request for the %(purpose)s with HTTP %(code)s.")
            % {"host": host, "purpose": purpose, "code": response.status_code}
        )
    too_large = RemoteError(
        _("The %(purpose)s from %(host)s is larger than %(limit)s KB, so it was not read.")
        % {"host": host, "purpose": purpose, "limit": limit // 1024}
    )
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    try:
        for chunk in _arriving(response):
            body.extend(chunk)
            if len(body) > limit:
                raise too_large
            if time.monotonic() > deadline:
                raise RemoteError(
                    _("%(host)s took more than %(seconds)s seconds to send the %(purpose)s.")
                    % {"host": host, "purpose": purpose, "seconds": seconds}
                )
    except (requests.RequestException, TransportError, OSError) as error:
        logger.info("Credential check: reading from %s failed (%s)", host, type(error).__name__)
        raise RemoteError(
            _("The %(purpose)s from %(host)s could not be read in full.")
            % {"host": host, "purpose": purpose}
        ) from error
    try:
        return bytes(body).decode("utf-8")
    except UnicodeDecodeError as error:
        raise RemoteError(
            _("The %(purpose)s from %(host)s is not text.") % {"host": host, "purpose": purpose}
        ) from error

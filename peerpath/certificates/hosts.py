"""Host names as an administrator types them and as URLs carry them, in one comparable form."""

import re
from urllib.parse import urlsplit

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def normalise_host(value):
    """`value` (a host name, optionally with a port, or pasted as a URL) in lower case without a
    trailing dot; None when it is not a host name."""
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).netloc
    value = value.rstrip(".")
    host, _sep, port = value.partition(":")
    if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        return None
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return f"{host}:{port}" if port else host


def url_host(url):
    """The normalised host (with port, if any) of an absolute URL, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return normalise_host(parts.netloc) if parts.netloc else None

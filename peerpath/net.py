"""Who is asking: the client address that rate limits and login throttling count by.

Behind N reverse proxies (`PEERPATH_TRUSTED_PROXY_COUNT = N`), REMOTE_ADDR is the nearest proxy's
address, the same for every visitor, so counting by it would put the whole world in one bucket.
Each proxy appends the address it received the request from to X-Forwarded-For, so the real
client is the Nth entry from the right; anything further left was written by the client itself
and cannot be trusted.
"""

import ipaddress

from django.core.exceptions import ImproperlyConfigured

from peerpath.conf import setting

UNKNOWN = "unknown"


def trusted_proxy_count():
    """`PEERPATH_TRUSTED_PROXY_COUNT`, checked: a whole number ≥ 0 (default 0)."""
    value = setting("TRUSTED_PROXY_COUNT")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ImproperlyConfigured(
            "PEERPATH_TRUSTED_PROXY_COUNT must be a whole number: the reverse proxies in front "
            "of the site (0 when clients connect directly, 1 behind one load balancer or nginx)."
        )
    return value


def _host(entry):
    """The address of one X-Forwarded-For entry, without a port ('1.2.3.4:5678', '[::1]:80')."""
    entry = entry.strip()
    if entry.startswith("["):
        return entry[1:].partition("]")[0]
    if entry.count(":") == 1:
        return entry.partition(":")[0]
    return entry


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind N trusted proxies the Nth address from the
    right of X-Forwarded-For. IPv6 addresses count by their /64, which one user usually has."""
    proxies = trusted_proxy_count()
    address = request.META.get("REMOTE_ADDR", "")
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
        # Fewer entries than proxies: the request did not come through all of them (a direct
        # connection), so the address that connected is the client's.
        if len(forwarded) >= proxies:
            address = _host(forwarded[-proxies])
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)

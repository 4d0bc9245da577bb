"""Who is asking: the client address that rate limits and login throttling count by."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's address. Behind N trusted proxies, the Nth address from the right of
    X-Forwarded-For (`PEERPATH_TRUSTED_PROXY_COUNT`, default 0: use REMOTE_ADDR)."""
    proxies = getattr(settings, "PEERPATH_TRUSTED_PROXY_COUNT", 0)
    address = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        # One IPv6 user usually has a whole /64.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)

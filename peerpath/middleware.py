"""PeerPath's middleware: security headers, and the route cache for its Wagtail pages."""

from django.conf import settings
from wagtail.views import serve as wagtail_serve

from .routing import prime_route, remember_route

DEFAULT_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    # Training videos are embedded from these hosts only.
    "frame-src": [
        "https://www.youtube-nocookie.com",
        "https://www.youtube.com",
        "https://player.vimeo.com",
    ],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


class SecurityHeadersMiddleware:
    """Adds a Content Security Policy (no inline scripts or styles), a Permissions Policy, and
    `Cache-Control: private, no-store` on per-user downloads.

    The Wagtail admin is left to its own headers: it relies on inline scripts the site does not.
    Configure with PEERPATH_CSP (a dict of directive → list of sources) and PEERPATH_CSP_EXEMPT
    (path prefixes).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "PEERPATH_CSP", DEFAULT_CSP)
        self.csp = "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())
        self.exempt = tuple(getattr(settings, "PEERPATH_CSP_EXEMPT", ["/admin/"]))
        # Downloads that depend on who is asking (facilitator documents) must not be cached by
        # shared caches or proxies.
        self.private = tuple(getattr(settings, "PEERPATH_PRIVATE_PATHS", ["/documents/"]))

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.exempt):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if request.path.startswith(self.private):
            response.headers["Cache-Control"] = "private, no-store"
        return response


class RouteCacheMiddleware:
    """Serves PeerPath's Wagtail pages through the route cache (see `peerpath.routing`).

    Only requests that Django resolved to Wagtail's `serve` view are touched: a remembered route is
    primed before the view runs, and the route Wagtail found is remembered afterwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_peerpath_serving_path", None) is not None:
            remember_route(request, request._peerpath_serving_path)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve:
            return
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        request._peerpath_serving_path = path
        prime_route(request, path)

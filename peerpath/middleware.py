"""PeerPath's middleware: security headers, and the route cache for its Wagtail pages."""

from wagtail.views import serve as wagtail_serve

from .conf import setting
from .routing import remember_route, remembered_route, serve_route


class SecurityHeadersMiddleware:
    """Adds a Content Security Policy (no inline scripts or styles), a Permissions Policy, and
    `Cache-Control: private, no-store` on per-user downloads.

    The Wagtail admin is left to its own headers: it relies on inline scripts the site does not.
    Configure with PEERPATH_CSP (a dict of directive → list of sources) and PEERPATH_CSP_EXEMPT
    (path prefixes).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        policy = setting("CSP")
        self.csp = "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())
        self.exempt = tuple(setting("CSP_EXEMPT"))
        # Downloads that depend on who is asking (facilitator documents) must not be cached by
        # shared caches or proxies.
        self.private = tuple(setting("PRIVATE_PATHS"))

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
    served at once; otherwise Wagtail's view routes and serves the request, and the route it found
    is remembered afterwards.
    """

    # Where a request routed by Wagtail keeps its path until the response (named as ours).
    REQUEST_ATTRIBUTE = "peerpath_routed_path"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = getattr(request, self.REQUEST_ATTRIBUTE, None)
        if path is not None and response.status_code < 400:
            remember_route(request, path)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve:
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        route = remembered_route(request, path)
        if route is not None:
            return serve_route(request, route)
        setattr(request, self.REQUEST_ATTRIBUTE, path)
        return None

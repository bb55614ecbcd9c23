"""The security headers every response carries: a strict Content-Security-Policy and a
Permissions-Policy (settings ``KEYPLAN_CSP`` and ``KEYPLAN_PERMISSIONS_POLICY``).

The policy allows scripts, styles, fonts and connections from keyplan's own origin only
and no inline script at all, so that a name that slipped into a page as markup still runs
nothing. A view that needs more (the API's Swagger UI, which is third-party code) says so
with ``csp_update``; every other page gets the strict policy.
"""

from functools import wraps

from django.conf import settings


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *values]) for name, values in policy.items())


def _merged(policy: dict[str, list[str]], extra: dict[str, list[str]]) -> dict[str, list[str]]:
    merged = {name: list(values) for name, values in policy.items()}
    for name, values in extra.items():
        base = merged.get(name, merged.get("default-src", []))
        merged[name] = [*base, *(v for v in values if v not in base)]
    return merged


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.KEYPLAN_CSP
        self.header = policy_header(self.policy)
        self.permissions = settings.KEYPLAN_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        extra = getattr(response, "csp_update", None)
        header = policy_header(_merged(self.policy, extra)) if extra else self.header
        response.headers.setdefault("Content-Security-Policy", header)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


def csp_update(**directives: list[str]):
    """Add sources to directives for one view's responses: ``style_src=["'unsafe-inline'"]``
    adds to ``style-src`` (starting from ``default-src`` when the policy has none)."""
    extra = {name.replace("_", "-"): values for name, values in directives.items()}

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.csp_update = extra
            return response

        return wrapped

    return decorator

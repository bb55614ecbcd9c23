"""Who is acting and from where, for audit events recorded far from the request (a user
saved by a form, a service called by a view): set per request by ``AuditContextMiddleware``,
and "command line" when there is no request."""

from contextvars import ContextVar

_current: ContextVar[tuple | None] = ContextVar("keyplan_audit_actor", default=None)

COMMAND_LINE = "command line"


def client_address(request) -> str:
    """Where a request came from, as the sign-in lockout sees it (behind trusted proxies,
    the address they forwarded): one rule for both."""
    from keyplan.people.lockout import client_address as sign_in_address

    return (sign_in_address(request) or "")[:80]


def current() -> tuple:
    """(user or None, source) of the request being served, else (None, "command line")."""
    return _current.get() or (None, COMMAND_LINE)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _current.set(
            (user if getattr(user, "is_authenticated", False) else None, client_address(request))
        )
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)

"""``/healthz``: is this keyplan server able to answer? For a load balancer, a container
orchestrator or a monitoring probe.

200 ``{"status": "ok"}`` when the database answers a query; 503 with a short reason when it
does not, logged once at WARNING with the database's error (not at ERROR by Django's
request logger: an unavailable database is a state to watch, not a fault of keyplan's
code). No sign-in, and nothing else is revealed (no version, no error text: those may
name hosts). Probes talk plain HTTP to an address, not the public host name, so the
middleware answers before Django's host check and before the HTTPS redirect of
``KEYPLAN_HTTPS``; it is first in ``MIDDLEWARE`` for that reason. The URL is also routed
normally (``health``), so it has a name and appears in the authorization matrix.
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponseNotAllowed, JsonResponse

logger = logging.getLogger("keyplan.health")

PATH = "/healthz"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # A broken connection is closed at the end of the request (Django's
        # close_old_connections), so the next probe connects afresh.
        logger.warning("Health check: the database does not answer (%s).", error)
        return False
    return True


@login_not_required
def health(request):
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if database_answers():
        response = JsonResponse({"status": "ok"})
    else:
        response = JsonResponse(
            {"status": "unavailable", "reason": "the database does not answer"}, status=503
        )
        # Logged once, at WARNING with the reason, by ``database_answers``: a probe
        # every few seconds must not also fill the log with Django's ERROR line.
        response._has_been_logged = True
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` before any other middleware: no host check, no HTTPS
    redirect, no session, no sign-in, no audit context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return health(request)
        return self.get_response(request)

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
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from keyplan.operations.models import WorkerHeartbeat

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


def worker_away() -> dict | None:
    """Is no background worker (``keyplan db_worker``) running? A running worker writes
    its heartbeat every ``KEYPLAN_WORKER_HEARTBEAT`` seconds, idle or busy: None when one
    did within three beats (one or two missed beats are not taken for a stop, as in
    ``keyplan.operations.recovery``). Otherwise ``{"last_seen": ...}``: when a worker was
    last heard from (its last beat, or the end of the last task a worker ran; a worker
    that stops cleanly removes its heartbeat), None if never. For a page to say why queued
    work waits."""
    cutoff = timezone.now() - timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)
    last_beat = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    if last_beat is not None and last_beat >= cutoff:
        return None
    last_task = DBTaskResult.objects.aggregate(last=Max("finished_at"))["last"]
    seen = [moment for moment in (last_beat, last_task) if moment is not None]
    return {"last_seen": max(seen) if seen else None}

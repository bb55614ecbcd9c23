"""Sessions that end: after ``KEYPLAN_SESSION_IDLE_MINUTES`` without a request, and in any
case ``KEYPLAN_SESSION_MAX_HOURS`` after signing in.

Signing in stamps the session with when it started and when it was last used; the
middleware ends a session past either limit, and the person lands on the sign-in page
with a message saying why (the sign-in requirement then redirects as for anyone signed
out). The last-use stamp is rewritten at most once a minute, so a busy user does not turn
every page view into a session write.
"""

import time
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connections, router
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import urlencode

from keyplan.core.words import plural

SIGNED_IN_AT = "keyplan_signed_in_at"
SEEN_AT = "keyplan_seen_at"
# How stale the last-use stamp may get before it is rewritten (seconds).
SEEN_GRANULARITY = 60


def stamp_session(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the session starts now."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[SIGNED_IN_AT] = now
        session[SEEN_AT] = now


def session_end_reason(session, *, now: float) -> str | None:
    """Why this session is over, in words, or None while it is still good."""
    idle = settings.KEYPLAN_SESSION_IDLE_MINUTES * 60
    longest = settings.KEYPLAN_SESSION_MAX_HOURS * 3600
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    if signed_in_at is not None and now - signed_in_at >= longest:
        hours = plural(settings.KEYPLAN_SESSION_MAX_HOURS, "hour")
        return f"Your session ended: sessions last at most {hours}. Please sign in again."
    if seen_at is not None and now - seen_at >= idle:
        minutes = plural(settings.KEYPLAN_SESSION_IDLE_MINUTES, "minute")
        return f"Your session ended after {minutes} without activity. Please sign in again."
    return None


def stamp_seen(request, seen_at: int) -> None:
    """Record that the session was used, without ever failing the page for it.

    When the view changed the session anyway, the stamp is saved with it, as any session
    change is. Otherwise the stamp alone is a bookkeeping write on a page that only
    reads: it waits at most a moment for the database and is skipped when the database
    is busy (a large import holding SQLite's write lock), to be written by a later
    request. Left to Django's session middleware, it would wait out the whole busy
    timeout (20 s) and then answer 400, "the session was deleted", on a page that only
    reads.
    """
    session = request.session
    if SIGNED_IN_AT not in session:
        return  # signed out by the view
    changed = session.modified
    session[SEEN_AT] = seen_at
    if changed:
        return  # saved with the view's change, by the session middleware
    try:
        with brief_lock_wait(session):
            session.save()
    except (DatabaseError, UpdateError):
        pass
    session.modified = False  # nothing left for the session middleware to write


@contextmanager
def brief_lock_wait(session, milliseconds: int = 250):
    """On SQLite, wait at most ``milliseconds`` for the write lock (not the busy timeout
    every other write waits); other databases lock rows, not the whole file."""
    model = getattr(type(session), "get_model_class", None)
    connection = connections[router.db_for_write(model())] if model else None
    with brief_write_wait(connection, milliseconds):
        yield


@contextmanager
def brief_write_wait(connection, milliseconds: int = 250):
    """``brief_lock_wait`` for a database connection (bookkeeping writes other than the
    session's: an API token's last use)."""
    if connection is None or connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        usual = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")


class SessionTimeoutMiddleware:
    """Ends signed-in sessions past their idle or absolute limit (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            ended = self._check(request)
            if ended is not None:
                return ended
        response = self.get_response(request)
        seen_at = getattr(request, "_keyplan_seen_at", None)
        if seen_at is not None:
            stamp_seen(request, seen_at)
        return response

    def _check(self, request):
        session = request.session
        now = time.time()
        if SIGNED_IN_AT not in session:
            # A session from before limits existed (or signed in some other way): its
            # clock starts now rather than it being cut off unannounced.
            session[SIGNED_IN_AT] = session[SEEN_AT] = int(now)
            return None
        reason = session_end_reason(session, now=now)
        if reason is None:
            if now - session.get(SEEN_AT, 0) >= SEEN_GRANULARITY:
                request._keyplan_seen_at = int(now)  # written once the page is ready
            return None
        logout(request)
        if request.path_info.startswith("/api/"):
            return None  # the API answers 401 itself, now that nobody is signed in
        messages.info(request, reason)
        if request.headers.get("HX-Request") == "true":
            # An htmx fragment must not swap the sign-in page into a part of the page:
            # send the whole window there, coming back to the page it was on.
            current = request.headers.get("HX-Current-URL", "")
            target = resolve_url(settings.LOGIN_URL)
            parts = urlsplit(current)
            if parts.path:
                back = parts.path + (f"?{parts.query}" if parts.query else "")
                target += "?" + urlencode({"next": back})
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return None  # the sign-in requirement sends the person to the sign-in page

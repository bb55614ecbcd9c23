"""Error pages: a plain message, JSON under /api/, never a stack trace.

A write that could not get the database's write lock in time (SQLite's busy timeout ran
out while a big import was being written, or PostgreSQL's lock timeout) is not a fault:
it answers 503 with ``Retry-After`` and says that nothing was saved and to try again."""

import logging
import sys

from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render

logger = logging.getLogger("keyplan.busy")

RETRY_AFTER_SECONDS = 5
BUSY_TITLE = "The database is busy"
BUSY_MESSAGE = (
    "Another change, such as a large import, was being written and yours could not wait "
    "any longer, so nothing was saved. Try again in a few seconds."
)
BUSY_FORM_ADVICE = (
    "Go back to the form with your browser's Back button: what you typed is still there. "
    "Then save again."
)
# The SQLite and PostgreSQL messages of a lock that could not be had in time.
_BUSY_WORDS = ("database is locked", "database table is locked", "lock timeout")


def _respond(request, status: int, title: str, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def bad_request(request, exception=None):
    return _respond(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request, exception=None):
    """The refusal's own words when it has some ("The team board is for managers …": every
    PermissionDenied keyplan raises is written for the person refused), else a plain one."""
    reason = str(exception or "").strip()
    return _respond(request, 403, "Not allowed", reason or "You are not allowed to do this.")


def page_not_found(request, exception=None):
    return _respond(
        request, 404, "Not found", "There is nothing here, or it is not visible to you."
    )


def database_busy(error: BaseException | None) -> bool:
    """Whether ``error`` is a write that gave up waiting for the database's lock."""
    if not isinstance(error, OperationalError):
        return False
    text = str(error).lower()
    return any(words in text for words in _BUSY_WORDS)


def busy_response(request):
    """503 with ``Retry-After``: JSON under /api/, else a page that says the typed text
    is kept (the form's own page still holds it; htmx forms are not replaced at all).

    Logged once at WARNING (not as Django's ERROR with a traceback): a write that waited
    its time out behind a large import is expected under load, not a fault."""
    logger.warning(
        "The database was busy: %s %s answered 503 with Retry-After %s s (nothing saved).",
        request.method,
        request.path,
        RETRY_AFTER_SECONDS,
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": f"{BUSY_TITLE}. {BUSY_MESSAGE}"}, status=503)
    else:
        from django.http import HttpResponse

        advice = BUSY_FORM_ADVICE if request.method == "POST" else ""
        context = {
            "title": BUSY_TITLE,
            "message": BUSY_MESSAGE,
            "advice": advice,
            "go_back": bool(advice),
            "status": 503,
        }
        response = HttpResponse(_busy_page(request, context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["X-Keyplan-Busy"] = "1"
    response._has_been_logged = True
    return response


def _busy_page(request, context: dict) -> str:
    """The busy page in the full layout (the signed-in menu, the person's name, sign out)
    when that is safe: the database still answers reads while another write holds the
    lock, so the context processors can run — unless the request's transaction is broken
    (PostgreSQL refuses every query after an error until it is rolled back), or rendering
    them fails for any reason. Then the plain layout, as the 500 page: the message is what
    matters."""
    from django.db import connection
    from django.template import loader

    template = loader.get_template("error.html")
    if hasattr(request, "user") and not connection.needs_rollback:
        try:
            return template.render(context, request)
        except Exception:  # noqa: BLE001 — whatever failed, the plain page still says it
            logger.warning("The busy page was shown without the menu.", exc_info=True)
    return template.render(context)


def server_error(request):
    # Called while the exception is handled: a lock that could not be had is "busy".
    if database_busy(sys.exc_info()[1]):
        return busy_response(request)
    # No template context processors here: the failure may be in one of them.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    from django.http import HttpResponseServerError
    from django.template import loader

    html = loader.get_template("error.html").render(
        {"title": "Something went wrong", "message": "The error was logged.", "status": 500}
    )
    return HttpResponseServerError(html)

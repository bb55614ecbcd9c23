"""Locking out repeated wrong passwords, on the sign-in form and the API token endpoint.

django-axes counts failed sign-ins per username and address (``AXES_*`` settings, from
``KEYPLAN_LOGIN_*``); this module is keyplan's side of it: the backend that refuses a
locked pair, the page or JSON a locked-out person gets, when a lock ends, and the
administrator's unlock.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from keyplan.core.words import moment, plural


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a username and address that failed too often, before the password is
    checked. A sign-in with no request (the command line, a script calling
    ``authenticate``) comes from no address and is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    """The address a sign-in came from. Behind ``KEYPLAN_TRUSTED_PROXIES`` reverse proxies,
    each appending to ``X-Forwarded-For``, it is the entry the outermost of them added;
    entries further left are whatever the client claimed and are not trusted."""
    proxies = settings.KEYPLAN_TRUSTED_PROXIES
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


@dataclass(frozen=True)
class Lock:
    """A username locked out from one address until a moment."""

    username: str
    ip_address: str
    until: datetime


def _failure_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def active_locks(*, usernames=None) -> list[Lock]:
    """The locks in force now (optionally only for some usernames), latest first. Failures
    are counted per username and address over the lock period, as the lockout counts
    them (one record per browser, so the records are summed)."""
    since = timezone.now() - get_cool_off()
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since)
    if usernames is not None:
        attempts = attempts.filter(username__in=list(usernames))
    pairs = (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=_failure_limit())
        .order_by("-last")
    )
    return [
        Lock(pair["username"] or "", pair["ip_address"] or "", pair["last"] + get_cool_off())
        for pair in pairs
    ]


def lock_message(*, username: str, until: datetime | None) -> str:
    minutes = int(get_cool_off().total_seconds() // 60)
    when = f", until {moment(until)}" if until else ""
    return (
        f"Too many wrong passwords for “{username}” from this address "
        f"({plural(_failure_limit(), 'attempt')}): signing in is locked for "
        f"{plural(minutes, 'minute')}{when}. An administrator can unlock it sooner "
        "on the People page."
    )


def _until(request, username: str) -> datetime | None:
    attempt = (
        AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .first()
    )
    return attempt.attempt_time + get_cool_off() if attempt else None


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets: JSON under /api/, else the sign-in page again with
    the reason; 429 Too Many Requests either way."""
    username = get_client_username(request, credentials) or ""
    message = lock_message(username=username, until=_until(request, username))
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "ui/login.html",
        {"form": form, "locked_message": message, "next": request.POST.get("next", "")},
        status=429,
    )


def unlock_sign_in(*, username: str) -> int:
    """Lifts every lock and forgets the failed attempts of a username, from any address.
    Returns how many attempt records were cleared."""
    return AxesProxyHandler.reset_attempts(username=username)

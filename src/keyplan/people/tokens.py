"""API tokens that are stored hashed, expire, can be revoked, and die with a password change.

A token is a random key (``secrets.token_urlsafe(32)``, 256 bits) shown once, in the answer
of ``POST /api/v1/auth/token/``. keyplan keeps only its SHA-256 digest and its first
``PREFIX_LENGTH`` characters (``ApiToken``): the prefix finds the candidates by index, the
digests are compared in constant time. A salted slow hash is not needed for a key of this
entropy (it cannot be guessed from its digest), and a fast one keeps every API request cheap.

Each request for a token issues a new one (a person may run several scripts); the others
keep working, up to ``TOKENS_KEPT`` per person: past that the oldest is removed (a script
that asks for a token on every run leaves a trail of tokens it no longer uses). Every
token expires ``KEYPLAN_API_TOKEN_DAYS`` after it was issued; expired ones are removed when
the person next asks for one. ``DELETE /api/v1/auth/token/`` revokes
the token it is sent with, the person sees, makes (with a name saying what it is for) and
revokes their own on ``/me/api-tokens/``, an administrator revokes all of a person's
tokens on the People page, and any change of the password (see ``User.save``) deletes
them all.

When a token signs a request in, its ``last_used`` is stamped — at most once a minute, and
never at the cost of the request: on SQLite the stamp waits at most a moment for the
write lock and is skipped while the database is busy (a large import), as a session's
last-use stamp is (``sessions.stamp_seen``).
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from keyplan.audit.choices import AuditAction
from keyplan.audit.events import audit_record
from keyplan.core.words import moment
from keyplan.people.models import ApiToken
from keyplan.people.sessions import brief_write_wait

PREFIX_LENGTH = 8
TOKENS_KEPT = 10
# Longer than any key keyplan issued (43 characters now, 40 for DRF's former tokens): a
# longer one is refused before it is hashed.
MAX_KEY_LENGTH = 100
NAME_LENGTH = 100
# How stale a token's last-use stamp may get before a request rewrites it.
USE_GRANULARITY = timedelta(minutes=1)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=settings.KEYPLAN_API_TOKEN_DAYS)


def token_expires(token: ApiToken) -> datetime:
    return token.created + token_lifetime()


def token_expired(token: ApiToken, *, at: datetime | None = None) -> bool:
    return token_expires(token) <= (at or timezone.now())


def token_issue(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user, with its key: the only time the key is known. ``name``
    says what it is for (the person's own words, optional).

    Two requests at the same instant each get their own token (nothing to race for).
    """
    now = timezone.now()
    ApiToken.objects.filter(user=user, created__lte=now - token_lifetime()).delete()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        prefix=key[:PREFIX_LENGTH],
        digest=token_digest(key),
        created=now,
        name=name.strip()[:NAME_LENGTH],
    )
    oldest = ApiToken.objects.filter(user=user).order_by("-created", "-pk")[TOKENS_KEPT:]
    ended = list(oldest.values_list("prefix", flat=True))
    ApiToken.objects.filter(pk__in=list(oldest.values_list("pk", flat=True))).delete()
    summary = f"API token {token_label(token)} made for {user.get_full_name() or user}."
    if ended:
        oldest = ", ".join(f"{prefix}…" for prefix in ended)
        summary += f" It ended the oldest, {oldest} (at most {TOKENS_KEPT} are kept)."
    audit_record(action=AuditAction.API_TOKEN_MADE, obj=user, summary=summary)
    return token, key


def token_find(key: str) -> ApiToken | None:
    """The stored token whose key is ``key`` (expired or not), or None."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    digest = token_digest(key)
    for token in ApiToken.objects.select_related("user").filter(prefix=key[:PREFIX_LENGTH]):
        if hmac.compare_digest(token.digest, digest):
            return token
    return None


def token_revoke(*, user, token: ApiToken | None = None) -> int:
    """Deletes one token of the user, or all of them; how many there were."""
    tokens = ApiToken.objects.filter(user=user)
    if token is not None:
        tokens = tokens.filter(pk=token.pk)
    labels = [token_label(t) for t in tokens.only("prefix", "name")]
    deleted, _ = tokens.delete()
    if deleted:
        whose = user.get_full_name() or str(user)
        audit_record(
            action=AuditAction.API_TOKEN_REVOKED,
            obj=user,
            summary=f"{'API tokens' if deleted > 1 else 'API token'} {', '.join(labels)} "
            f"of {whose} revoked.",
        )
    return deleted


def token_label(token: ApiToken) -> str:
    """The first characters of a token and its name: enough to tell it apart, never the key."""
    return f"{token.prefix}…" + (f" (“{token.name}”)" if token.name else "")


def tokens_of(*, user) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created", "-pk"))


def token_oldest_ended_by_next(tokens: list[ApiToken]) -> ApiToken | None:
    """The token a new one would end (``tokens`` newest first, as ``tokens_of`` gives
    them): the oldest, once the person holds ``TOKENS_KEPT`` that have not expired."""
    now = timezone.now()
    live = [t for t in tokens if not token_expired(t, at=now)]
    return live[-1] if len(live) >= TOKENS_KEPT else None


def _ago(value: datetime, now: datetime) -> str:
    if now - value < timedelta(minutes=1):
        return "just now"
    return f"{timesince(value, now, depth=1)} ago"


def token_words(token: ApiToken, *, now: datetime | None = None) -> dict:
    """A token as its holder's list shows it: dates in the installation's format, each
    with how long ago or ahead in words."""
    now = now or timezone.now()
    expires = token_expires(token)
    expired = expires <= now
    return {
        "token": token,
        "created": moment(token.created),
        "created_ago": _ago(token.created, now),
        "last_used": moment(token.last_used) if token.last_used else None,
        "last_used_ago": _ago(token.last_used, now) if token.last_used else None,
        "expires": moment(expires),
        "expired": expired,
        "expires_words": (
            _ago(expires, now) if expired else f"in {timeuntil(expires, now, depth=2)}"
        ),
    }


def token_used(token: ApiToken, *, at: datetime | None = None) -> None:
    """Stamp the token's last use (see the module: at most once a minute, never failing
    or holding up the request that used it)."""
    now = at or timezone.now()
    if token.last_used is not None and now - token.last_used < USE_GRANULARITY:
        return
    connection = connections[router.db_for_write(ApiToken)]
    try:
        with brief_write_wait(connection), transaction.atomic(using=connection.alias):
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    except DatabaseError:
        return  # the database is busy: a later request stamps it
    token.last_used = now


class ExpiringTokenAuthentication(TokenAuthentication):
    """Signs in with ``Authorization: Token <key>`` against the stored digests, refusing a
    token past its expiry with a message that says so and how to get a new one (401, as
    for any token that does not sign in)."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = token_find(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                f"This token expired on {moment(token_expires(token))}. "
                "Ask for a new one with POST /api/v1/auth/token/."
            )
        token_used(token)
        return token.user, token

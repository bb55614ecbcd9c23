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
the token it is sent with, an administrator revokes all of a person's tokens on the People
page, and any change of the password (see ``User.save``) deletes them all.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from keyplan.core.words import moment
from keyplan.people.models import ApiToken

PREFIX_LENGTH = 8
TOKENS_KEPT = 10
# Longer than any key keyplan issued (43 characters now, 40 for DRF's former tokens): a
# longer one is refused before it is hashed.
MAX_KEY_LENGTH = 100


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=settings.KEYPLAN_API_TOKEN_DAYS)


def token_expires(token: ApiToken) -> datetime:
    return token.created + token_lifetime()


def token_expired(token: ApiToken, *, at: datetime | None = None) -> bool:
    return token_expires(token) <= (at or timezone.now())


def token_issue(*, user) -> tuple[ApiToken, str]:
    """A new token for the user, with its key: the only time the key is known.

    Two requests at the same instant each get their own token (nothing to race for).
    """
    now = timezone.now()
    ApiToken.objects.filter(user=user, created__lte=now - token_lifetime()).delete()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, prefix=key[:PREFIX_LENGTH], digest=token_digest(key), created=now
    )
    oldest = ApiToken.objects.filter(user=user).order_by("-created", "-pk")[TOKENS_KEPT:]
    ApiToken.objects.filter(pk__in=list(oldest.values_list("pk", flat=True))).delete()
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
    deleted, _ = tokens.delete()
    return deleted


def tokens_of(*, user) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created"))


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
        return token.user, token

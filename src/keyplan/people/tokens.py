"""API tokens that expire, can be revoked, and die with a password change.

A person has at most one token (DRF's ``authtoken`` table). It expires
``KEYPLAN_API_TOKEN_DAYS`` after it was issued; asking again with the password gives the
same token while it is valid and a new one after. The person revokes it through
``DELETE /api/v1/auth/token/``, an administrator on the People page, and any change of the
password (see ``User.save``) deletes it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from keyplan.core.words import moment


def token_lifetime() -> timedelta:
    return timedelta(days=settings.KEYPLAN_API_TOKEN_DAYS)


def token_expires(token: Token) -> datetime:
    return token.created + token_lifetime()


def token_expired(token: Token, *, at: datetime | None = None) -> bool:
    return token_expires(token) <= (at or timezone.now())


@transaction.atomic
def token_issue(*, user) -> Token:
    """The user's valid token, or a new one in place of an expired one."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_expired(token):
        return token
    if token is not None:
        token.delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    """Deletes the user's token; True when there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


def token_of(*, user) -> Token | None:
    return Token.objects.filter(user=user).first()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token past its expiry with a message that
    says so and how to get a new one (401, as for any token that does not sign in)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                f"This token expired on {moment(token_expires(token))}. "
                "Ask for a new one with POST /api/v1/auth/token/."
            )
        return user, token

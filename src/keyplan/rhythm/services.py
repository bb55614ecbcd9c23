"""Writes of the rhythm app: a person's settings and their calendar feed's secret URL."""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.rhythm.choices import Delivery, EmailKind
from keyplan.rhythm.models import PersonalSettings


def settings_for(user) -> PersonalSettings:
    """The person's settings, their defaults when they never saved any (nothing is
    written: a page that only reads must not)."""
    try:
        return user.rhythm_settings
    except PersonalSettings.DoesNotExist:
        return PersonalSettings(user=user)


def _fresh(user) -> PersonalSettings:
    """The stored settings, read again and locked for a write (the copy cached on the
    user is left alone until the write succeeds)."""
    found = PersonalSettings.objects.select_for_update().filter(user=user).first()
    return found or PersonalSettings(user=user)


def _saved(user, current: PersonalSettings) -> PersonalSettings:
    current.save()
    user.rhythm_settings = current
    return current


@transaction.atomic
def settings_save(*, user, time_zone: str, deliveries: dict[str, str]) -> PersonalSettings:
    """Save the person's time zone and their choice per kind of email; a bad value is
    refused with a message per field and nothing is saved."""
    current = _fresh(user)
    current.time_zone = (time_zone or "").strip()
    errors = {}
    for kind in EmailKind:
        value = deliveries.get(kind.value, current.delivery(kind))
        if value not in Delivery.values:
            errors[kind.value] = [
                f"Choose immediately, in the daily digest or off for “{kind.label}”."
            ]
            continue
        setattr(current, kind.value, value)
    try:
        current.full_clean(exclude=["user", *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return _saved(user, current)


def _token(nonce: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"calendar:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_regenerate(*, user) -> str:
    """A new secret URL token for the person's calendar feed; the old URL stops working
    at once (it no longer matches the stored hash)."""
    current = _fresh(user)
    current.calendar_nonce = secrets.token_hex(32)
    token = _token(current.calendar_nonce)
    current.calendar_token_hash = _hash(token)
    current.calendar_created_at = timezone.now()
    _saved(user, current)
    return token


@transaction.atomic
def calendar_revoke(*, user) -> None:
    """No calendar feed for the person any more: the URL answers 404."""
    current = _fresh(user)
    if current.pk is None or current.calendar_token_hash is None:
        return
    current.calendar_nonce = ""
    current.calendar_token_hash = None
    current.calendar_created_at = None
    _saved(user, current)


def calendar_token(user) -> str | None:
    """The token of the person's feed URL, to show them, or None when they have none
    (or it can no longer be shown because the secret key changed: they regenerate it)."""
    current = settings_for(user)
    if not current.calendar_token_hash or not current.calendar_nonce:
        return None
    token = _token(current.calendar_nonce)
    return token if hmac.compare_digest(_hash(token), current.calendar_token_hash) else None


def calendar_owner(token: str):
    """The active person whose feed ``token`` opens, or None."""
    if not token or len(token) > 100:
        return None
    found = (
        PersonalSettings.objects.select_related("user")
        .filter(calendar_token_hash=_hash(token), user__is_active=True)
        .first()
    )
    return found.user if found else None

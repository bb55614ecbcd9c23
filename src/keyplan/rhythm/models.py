"""A person's rhythm settings (time zone, email choices, calendar feed) and the record
of what was emailed, so sending is safe to repeat."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from keyplan.rhythm.choices import DEFAULT_DELIVERY, Delivery, EmailKind


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"“{value}” is not a time zone keyplan knows; choose one such as Europe/Berlin."
        )


def _delivery_field(kind: EmailKind):
    return models.CharField(
        kind.label, max_length=12, choices=Delivery.choices, default=DEFAULT_DELIVERY[kind]
    )


class PersonalSettings(models.Model):
    """One of our people's own settings for the rhythm of their work: the time zone their
    morning digest and calendar are in, how they want each kind of email, and their
    personal calendar feed (its secret URL is never stored, only its hash)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rhythm_settings",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Empty: the installation's time zone",
    )
    decisions = _delivery_field(EmailKind.DECISIONS)
    help = _delivery_field(EmailKind.HELP)
    actions = _delivery_field(EmailKind.ACTIONS)
    reviews = _delivery_field(EmailKind.REVIEWS)
    mentions = _delivery_field(EmailKind.MENTIONS)
    meetings = _delivery_field(EmailKind.MEETINGS)
    # The feed's URL is an HMAC of this nonce under the secret key; only its SHA-256 is
    # stored, so the database alone does not give anyone's calendar away.
    calendar_nonce = models.CharField(max_length=64, blank=True)
    calendar_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    calendar_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "personal settings"

    def __str__(self) -> str:
        return f"Settings of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)

    def delivery(self, kind: str) -> str:
        return getattr(self, str(kind))


class NotificationEmail(models.Model):
    """The email side of one inbox notification: its kind (which the recipient's choice
    follows) and, once dealt with, when — sent alone, in a digest, or dropped because the
    recipient turned that kind off or may no longer see the plan it is about."""

    notification = models.OneToOneField(
        "plans.Notification", on_delete=models.CASCADE, primary_key=True, related_name="email"
    )
    kind = models.CharField(max_length=12, choices=EmailKind.choices)
    plan = models.ForeignKey(
        "plans.AccountPlan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, blank=True)

    class Meta:
        indexes = [models.Index(fields=["done_at", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.notification}"


class SentEmail(models.Model):
    """One email keyplan sent (or decided to send nothing for) under a key that names
    what it was — ``digest-2027-03-01``, ``actions-2027-03-01`` — so a task run twice, or
    two workers at once, never send it twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=80)
    at = models.DateTimeField(auto_now_add=True)
    items = models.PositiveIntegerField(default=0, help_text="0: there was nothing to send")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="sent_email_once")]

    def __str__(self) -> str:
        return f"{self.key} to {self.recipient}"

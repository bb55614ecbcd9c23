from django.db import models


class SittingStatus(models.TextChoices):
    """A review sitting is scheduled, then held (closed in review mode) or cancelled by
    the manager. Missed is never stored: it is what a scheduled sitting whose time passed
    without being held reads as (``ReviewSitting.state``), so holding it late still works."""

    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class Outcome(models.TextChoices):
    """The manager's verdict on one plan at its quarterly review."""

    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"

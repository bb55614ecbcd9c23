from django.db import models


class Delivery(models.TextChoices):
    """How a person wants to hear about one kind of thing by email (the in-app inbox
    always holds it)."""

    IMMEDIATELY = "immediately", "Immediately"
    DAILY = "daily", "In the daily digest"
    OFF = "off", "Off"


class EmailKind(models.TextChoices):
    """The kinds of things keyplan emails about; each person chooses a ``Delivery`` per
    kind. The value is also the name of the field on ``PersonalSettings``."""

    DECISIONS = "decisions", "Decisions waiting (investment cases to decide, decisions on yours)"
    HELP = "help", "Requests for help"
    ACTIONS = "actions", "Actions due and overdue"
    REVIEWS = "reviews", "Review invitations"
    MENTIONS = "mentions", "Mentions"
    MEETINGS = "meetings", "Executive meeting requests (asked of you, answers to yours)"


DEFAULT_DELIVERY = {
    EmailKind.DECISIONS: Delivery.IMMEDIATELY,
    EmailKind.HELP: Delivery.IMMEDIATELY,
    EmailKind.ACTIONS: Delivery.DAILY,
    EmailKind.REVIEWS: Delivery.IMMEDIATELY,
    EmailKind.MENTIONS: Delivery.DAILY,
    EmailKind.MEETINGS: Delivery.IMMEDIATELY,
}

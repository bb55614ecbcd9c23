from django.db import models


class ShareState(models.TextChoices):
    """Whether a shared link still opens the plan."""

    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class AccessEvent(models.TextChoices):
    """What a visitor of a shared link did, for the owner's access log."""

    OPENED = "opened", "opened the plan"
    CODE_SENT = "code_sent", "was sent a one-time code"
    CODE_ACCEPTED = "code_accepted", "signed in with a one-time code"
    CODE_REFUSED = "code_refused", "entered a wrong or expired code"
    CONFIRMED = "confirmed", "confirmed a goal"
    COMMENTED = "commented", "commented on a goal"
    ACTION_DONE = "action_done", "marked an action done"
    ACTION_ADDED = "action_added", "added an action"


# The parts of a plan a link can show. Nothing else of the plan ever reaches the
# customer's page: investments, attitudes, relationship strength, internal notes,
# competitors and value perception are not parts, so no choice can show them.
PART_LABELS = {
    "show_goals": "Their goals",
    "show_proposal": "The proposal and the agreed ideas",
    "show_actions": "Joint actions",
    "show_milestones": "Milestones",
}

"""The mutual plan: the part of an account plan its owner shares with the customer
through a signed, expiring, revocable link, and what the customer's people do there."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from keyplan.mutual.choices import AccessEvent, ShareState


class PlanShare(models.Model):
    """One link through which the customer sees the mutual plan: which parts it shows,
    which items are left out as internal, until when it opens, whether a one-time code
    sent by email to the named customer contacts is asked first, and whether it was
    revoked. The link itself is signed (``mutual.links``); nothing secret is stored."""

    plan = models.ForeignKey("plans.AccountPlan", on_delete=models.CASCADE, related_name="shares")
    # Signed into the link with the id, so that a link stays unique to this share even
    # if ids are reused (a database restored or regenerated).
    link_key = models.CharField(max_length=32, editable=False)
    note = models.CharField(
        "for whom (only you see this)",
        max_length=200,
        blank=True,
        help_text="E.g. “Steering committee, Q1 review”",
    )
    show_goals = models.BooleanField("their goals", default=True)
    show_proposal = models.BooleanField("the proposal and the agreed ideas", default=True)
    show_actions = models.BooleanField("joint actions", default=True)
    show_milestones = models.BooleanField("milestones", default=True)
    hidden_goals = models.ManyToManyField(
        "plans.CustomerGoal", blank=True, related_name="+", help_text="Goals kept internal"
    )
    hidden_ideas = models.ManyToManyField(
        "plans.Idea", blank=True, related_name="+", help_text="Agreed ideas kept internal"
    )
    hidden_actions = models.ManyToManyField(
        "plans.Action", blank=True, related_name="+", help_text="Joint actions kept internal"
    )
    hidden_milestones = models.ManyToManyField(
        "plans.Milestone", blank=True, related_name="+", help_text="Milestones kept internal"
    )
    recipients = models.ManyToManyField(
        "accounts.Contact",
        related_name="plan_shares",
        help_text="The customer's people it is shared with",
    )
    requires_code = models.BooleanField("ask for a one-time code sent by email", default=False)
    expires_at = models.DateTimeField("open until")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.note or f"Link of {self.created_at:%Y-%m-%d}"

    def state(self, now=None) -> str:
        if self.revoked_at is not None:
            return ShareState.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return ShareState.EXPIRED
        return ShareState.ACTIVE

    @property
    def last_day(self):
        """The last day the link opens (it closes at the end of it)."""
        return timezone.localdate(self.expires_at - timedelta(seconds=1))

    @property
    def state_label(self) -> str:
        return ShareState(self.state()).label

    @property
    def is_active(self) -> bool:
        return self.state() == ShareState.ACTIVE


class ShareCode(models.Model):
    """A one-time code emailed to one named contact: stored hashed, good for a few
    minutes and for one sign-in, refused after too many wrong tries."""

    share = models.ForeignKey(PlanShare, on_delete=models.CASCADE, related_name="codes")
    contact = models.ForeignKey("accounts.Contact", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["share", "-created_at", "-pk"]
        indexes = [models.Index(fields=["share", "contact", "-created_at"])]

    def __str__(self) -> str:
        return f"Code for {self.contact} ({self.created_at:%Y-%m-%d %H:%M})"


class ShareAccess(models.Model):
    """One visit or action through a shared link: who (the contact signed in with a
    code or named on a form, else "the link"), when, from which address and browser."""

    share = models.ForeignKey(PlanShare, on_delete=models.CASCADE, related_name="accesses")
    event = models.CharField(max_length=20, choices=AccessEvent.choices)
    contact = models.ForeignKey(
        "accounts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip = models.CharField("address", max_length=80, blank=True)
    user_agent = models.CharField("browser", max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["share", "-at"])]
        verbose_name_plural = "share accesses"

    def __str__(self) -> str:
        return f"{self.contact_name or 'link'} {self.get_event_display()}"

    @property
    def who(self) -> str:
        return self.contact_name or "the link"


class GoalResponse(models.Model):
    """The customer's word on one of their goals as the plan states it: confirmed, or
    a comment (a correction, a nuance)."""

    goal = models.ForeignKey(
        "plans.CustomerGoal", on_delete=models.CASCADE, related_name="customer_responses"
    )
    share = models.ForeignKey(
        PlanShare, null=True, on_delete=models.SET_NULL, related_name="goal_responses"
    )
    contact = models.ForeignKey(
        "accounts.Contact", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(max_length=200)
    confirmed = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["goal", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.contact_name} on {self.goal}"


class CustomerAction(models.Model):
    """An action the customer's people add to the mutual plan for themselves ("send the
    plant's downtime figures"): theirs to do, shown to them and in our plan's feed."""

    plan = models.ForeignKey(
        "plans.AccountPlan", on_delete=models.CASCADE, related_name="customer_actions"
    )
    share = models.ForeignKey(
        PlanShare, null=True, on_delete=models.SET_NULL, related_name="customer_actions"
    )
    title = models.CharField("what", max_length=255)
    due_date = models.DateField("by when", null=True, blank=True)
    added_by = models.ForeignKey(
        "accounts.Contact", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "done_at", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from keyplan.core import words
from keyplan.plans.choices import (
    ActionStatus,
    CompanyFunction,
    HelpKind,
    HelpStatus,
    ObjectiveCategory,
    ProgressSource,
    VersionReason,
)
from keyplan.plans.models.plan import AccountPlan, PlanElementQuerySet

NUMBER = {"max_digits": 16, "decimal_places": 2}


class Objective(models.Model):
    """A measurable, time-bound objective of the plan ("sell 2M by Q4"): metric,
    baseline, target, due date and owner. Progress comes from keyplan's facts where it
    has them (``progress_source``), otherwise from whoever updates it by hand."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="objectives")
    category = models.CharField(max_length=30, choices=ObjectiveCategory.choices)
    title = models.CharField(max_length=255)
    metric = models.CharField(max_length=120, help_text="What is measured, e.g. revenue, contacts")
    baseline = models.DecimalField(**NUMBER, default=0)
    target = models.DecimalField(**NUMBER)
    due_date = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    progress_source = models.CharField(
        max_length=20, choices=ProgressSource.choices, default=ProgressSource.MANUAL
    )
    manual_value = models.DecimalField("current value (by hand)", **NUMBER, null=True, blank=True)
    manual_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manual_updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class QualitativeGoal(models.Model):
    """A qualitative goal of ours for the account ("build a repeatable business"), kept
    apart from the measurable objectives."""

    plan = models.ForeignKey(
        AccountPlan, on_delete=models.CASCADE, related_name="qualitative_goals"
    )
    text = models.CharField(max_length=255)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.text


class StrategyQuerySet(PlanElementQuerySet):
    account_field = "objective__plan__account"


class Strategy(models.Model):
    """How an objective will be reached, and the resources it needs (one to five per
    objective)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="strategies")
    description = models.TextField("how")
    resources = models.TextField("resources it needs", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "pk"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return words.shortened(self.description, 80)

    @property
    def plan(self) -> AccountPlan:
        return self.objective.plan


class Action(models.Model):
    """Who does what by when, with the effort it takes (so the plan can be checked
    against the time people have), linked to a strategy and to the customer's people."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="actions")
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField("what", max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_actions"
    )
    due_date = models.DateField(db_index=True)
    # Bounds (more than 0, at most a month of hours) are checked by plans.services with
    # plainer messages than a validator's.
    effort_hours = models.DecimalField("effort (hours)", max_digits=6, decimal_places=1)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED, db_index=True
    )
    contacts = models.ManyToManyField("accounts.Contact", blank=True, related_name="plan_actions")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A dated point the plan must reach (e.g. "pilot signed")."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="milestones")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    title = models.CharField(max_length=255)
    date = models.DateField()
    reached = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title


class HelpRequest(models.Model):
    """Selling internally: help the account team asks of another person or team, by
    when, how many hours of their time it takes, and whether it was committed or
    declined. Committed help counts in the person's capacity in the month it is needed.

    A *cross-functional commitment* is the same request made of delivery, manufacturing
    or finance for a scope and the dates it holds (from/to): once committed, the plan
    records what the rest of the company agreed to, who committed and when."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="help_requests")
    help_kind = models.CharField(
        "kind", max_length=10, choices=HelpKind.choices, default=HelpKind.HELP
    )
    function = models.CharField(
        "from",
        max_length=15,
        choices=CompanyFunction.choices,
        blank=True,
        help_text="The part of the company that commits (cross-functional commitments)",
    )
    scope = models.TextField(
        "committed scope",
        blank=True,
        help_text="What they agree to do for the account (cross-functional commitments)",
    )
    committed_from = models.DateField("holds from", null=True, blank=True)
    committed_to = models.DateField("holds until", null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who committed it (the person asked or their manager)",
    )
    what = models.CharField(max_length=255)
    asked_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_requests"
    )
    needed_by = models.DateField()
    hours = models.DecimalField(
        "hours of their time",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Once committed, counted in their capacity in the month it is needed",
    )
    status = models.CharField(
        max_length=10, choices=HelpStatus.choices, default=HelpStatus.REQUESTED, db_index=True
    )
    response = models.CharField(max_length=255, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["needed_by", "pk"]

    def __str__(self) -> str:
        return self.what


class ExecutivePairing(models.Model):
    """Leader-to-leader: one of our executives paired with one of the customer's, with
    the agreed cadence of executive meetings (default quarterly)."""

    plan = models.ForeignKey(
        AccountPlan, on_delete=models.CASCADE, related_name="executive_pairings"
    )
    our_executive = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    their_executive = models.ForeignKey(
        "accounts.Contact", on_delete=models.CASCADE, related_name="+"
    )
    cadence_days = models.PositiveSmallIntegerField(
        "cadence (days)", default=91, validators=[MinValueValidator(7), MaxValueValidator(366)]
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "our_executive", "their_executive"], name="pairing_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.our_executive} ↔ {self.their_executive}"


class PlanVersion(models.Model):
    """A snapshot of the whole plan (numbers, goals, ideas, objectives, actions) taken
    when it is activated, at each review and on demand; versions are never edited, so
    history cannot be rewritten."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=10, choices=VersionReason.choices)
    note = models.CharField(max_length=255, blank=True)
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField()

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

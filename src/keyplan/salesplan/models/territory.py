"""The territory plan: one per rep per fiscal year, built in Conti's order — the facts
of the rep's accounts, then one to five strategies with the time and people they need,
then dated activities per strategy, then objectives (revenue by tier, product line,
channel and segment; new logos; activity counts), then qualitative goals."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from keyplan.plans.choices import ActionStatus, ChangeAction
from keyplan.salesplan.choices import (
    ActivityCadence,
    ObjectiveKind,
    TerritoryPlanStatus,
)
from keyplan.salesplan.models.quotas import MONEY
from keyplan.salesplan.periods import Period


class TerritoryPlanQuerySet(models.QuerySet):
    """Territory plans (or their parts, through ``plan_field``) a user may see, by
    keyplan's one visibility rule (people.scope): those who see everything see every plan;
    a manager their people's; a rep their own."""

    plan_field = ""  # the path from this model to TerritoryPlan ("" on the plan itself)

    def visible_to(self, user):
        from keyplan.people.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if not scope.user_ids:
            return self.none()
        prefix = f"{self.plan_field}__" if self.plan_field else ""
        return self.filter(**{f"{prefix}rep_id__in": scope.user_ids})


def _part_queryset(path: str):
    return type(
        f"TerritoryPart{path.title().replace('_', '')}QuerySet",
        (TerritoryPlanQuerySet,),
        {"plan_field": path},
    )


PlanPartQuerySet = _part_queryset("plan")
StrategyPartQuerySet = _part_queryset("strategy__plan")


class TerritoryPlan(models.Model):
    """One rep's plan for their territory in one fiscal year. ``facts_reviewed_at`` is
    set when the rep has read the facts step (their accounts ranked A/B/C with the revenue
    one might expect, the opportunity against the quota); the later steps open from what
    the plan holds (see ``salesplan.territory.steps``)."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="territory_plans"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1901), MaxValueValidator(2999)]
    )
    status = models.CharField(
        max_length=10,
        choices=TerritoryPlanStatus.choices,
        default=TerritoryPlanStatus.DRAFT,
        db_index=True,
    )
    facts_reviewed_at = models.DateTimeField(null=True, blank=True)
    facts_note = models.TextField(
        "what the facts say", blank=True, help_text="The rep's reading of the facts step"
    )
    no_plan_reasons = models.JSONField(
        "why an A account has no account plan",
        default=dict,
        blank=True,
        help_text="A accounts are worked proactively: each has an account plan or a reason "
        'here, {"<account id>": "reason"}',
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TerritoryPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "fiscal_year"], name="territory_plan_one_per_rep_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rep} · {self.period.name}"

    @property
    def period(self) -> Period:
        return Period(self.fiscal_year, 0)


class TerritoryStrategy(models.Model):
    """How the rep will reach the number in their territory (one to five per plan): what
    it leverages (marketing, partners, SDRs, executives …), which tiers or accounts it
    aims at, and the hours per month it needs from named people (``resources``)."""

    plan = models.ForeignKey(TerritoryPlan, on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(max_length=200)
    description = models.TextField("how", blank=True)
    leverages = models.JSONField(
        default=list, blank=True, help_text="Leverage values (salesplan.choices.Leverage)"
    )
    target_tiers = models.JSONField(default=list, blank=True, help_text='e.g. ["A", "B"]')
    target_accounts = models.ManyToManyField(
        "accounts.Account", blank=True, related_name="territory_strategies"
    )
    first_month = models.DateField(help_text="First day of the first month it runs")
    last_month = models.DateField(help_text="First day of the last month it runs")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name_plural = "territory strategies"
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__gte=models.F("first_month")),
                name="territory_strategy_months_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class StrategyResource(models.Model):
    """Time one named person gives a strategy, in hours per month over the months the
    strategy runs. Counted in that person's capacity beside their actions and activities
    (per month, the larger of these hours and their activities' effort in the strategy,
    so the same hours are not counted twice)."""

    strategy = models.ForeignKey(
        TerritoryStrategy, on_delete=models.CASCADE, related_name="resources"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="strategy_resources"
    )
    hours_per_month = models.DecimalField(
        max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    role = models.CharField("what they do", max_length=120, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = StrategyPartQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "person"], name="strategy_resource_one_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.hours_per_month} h/month"


class TerritoryActivity(models.Model):
    """A dated, owned piece of work of one strategy, with its effort: it is in the
    owner's My work and calendar and counts in their capacity, like an account plan's
    action."""

    plan = models.ForeignKey(TerritoryPlan, on_delete=models.CASCADE, related_name="activities")
    strategy = models.ForeignKey(
        TerritoryStrategy, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField("what", max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="territory_activities"
    )
    due_date = models.DateField(db_index=True)
    effort_hours = models.DecimalField("effort (hours)", max_digits=6, decimal_places=1)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED, db_index=True
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name_plural = "territory activities"
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title


class TerritoryObjective(models.Model):
    """A measurable objective of the territory plan: revenue from a tier, a product
    line, a channel or a segment (customer base vs prospects); a number of new logos; or
    an activity count (campaigns per quarter, meetings with key stakeholders per month).
    Each serves one or more strategies; every strategy needs at least one."""

    plan = models.ForeignKey(TerritoryPlan, on_delete=models.CASCADE, related_name="objectives")
    kind = models.CharField(max_length=20, choices=ObjectiveKind.choices)
    # Which tier (A/B/C), channel (Channel) or segment (Segment) a revenue objective is
    # about; the product line is its own field.
    dimension = models.CharField(max_length=20, blank=True)
    product_line = models.ForeignKey(
        "catalog.ProductLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=255)
    target = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    cadence = models.CharField(
        max_length=10,
        choices=ActivityCadence.choices,
        default=ActivityCadence.PER_PERIOD,
        help_text="For activity objectives: how the target is counted",
    )
    strategies = models.ManyToManyField(TerritoryStrategy, blank=True, related_name="objectives")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "kind", "dimension", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_revenue(self) -> bool:
        from keyplan.salesplan.choices import REVENUE_KINDS

        return self.kind in REVENUE_KINDS


class TerritoryGoal(models.Model):
    """A qualitative goal of the rep for the year ("become the partner of record in the
    north"), kept apart from the measurable objectives."""

    plan = models.ForeignKey(TerritoryPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=255)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.text


class TerritoryPlanChange(models.Model):
    """One recorded change to a territory plan or one of its parts: who, when, what,
    each changed field before and after. The territory plan's activity feed."""

    plan = models.ForeignKey(TerritoryPlan, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    subject = models.CharField(max_length=30, help_text="What kind of thing changed")
    object_id = models.PositiveBigIntegerField(null=True)
    label = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["plan", "-at"]),
            models.Index(fields=["subject", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.subject} {self.label}"


class TerritoryPlanVersion(models.Model):
    """A snapshot of the whole territory plan, taken when it is activated and on
    demand; never edited."""

    plan = models.ForeignKey(TerritoryPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=10)
    note = models.CharField(max_length=255, blank=True)
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField()

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="territory_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

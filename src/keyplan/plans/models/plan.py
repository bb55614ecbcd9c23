from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from keyplan.accounts.querysets import AccountDataQuerySet
from keyplan.plans.choices import PlanStatus

MONEY = {"max_digits": 16, "decimal_places": 2}


class PlanQuerySet(AccountDataQuerySet):
    account_field = "account"


class PlanElementQuerySet(AccountDataQuerySet):
    """For the parts of a plan (goals, ideas, ...): visible when the plan's account is."""

    account_field = "plan__account"


class AccountPlan(models.Model):
    """The plan for one strategic account over a period (default the next 12 months), with
    a 3-5 year aspiration: the customer's goals, our insights, research, the idea pipeline
    that can reach the revenue goal, investments and the proposal to the customer.

    It covers ``account`` and, optionally, chosen accounts under it (a plan for a whole
    group or for one division). One *active* plan per account and period; a new plan for
    an account can carry forward the open parts of the previous one."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="plans")
    covered_accounts = models.ManyToManyField(
        "accounts.Account",
        blank=True,
        related_name="+",
        help_text="Accounts under this one that the plan also covers",
    )
    period_start = models.DateField()
    period_end = models.DateField()
    aspiration_years = models.PositiveSmallIntegerField(
        "aspiration horizon (years)",
        default=3,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="owned_plans",
        help_text="The account manager accountable for the plan",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="plan_teams", help_text="Account team"
    )
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    revenue_goal = models.DecimalField(
        "revenue goal", **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    stretch_goal = models.DecimalField(
        "stretch goal", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    aspiration_statement = models.TextField(
        "3-5 year aspiration", blank=True, help_text="Where we want to be with this customer"
    )
    aspiration_value = models.DecimalField(
        "aspiration (annual revenue)",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Step 1: our insights and beliefs.
    value_perception = models.TextField("how we think the customer sees our value", blank=True)
    our_aspirations = models.TextField("our aspirations for the account", blank=True)
    # Step 3: research, the Three Cs (competitors are their own records).
    customer_business = models.TextField("customer: business", blank=True)
    customer_trends = models.TextField("customer: trends", blank=True)
    customer_challenges = models.TextField("customer: challenges", blank=True)
    our_capabilities = models.TextField("our company: capabilities", blank=True)
    our_references = models.TextField("our company: references", blank=True)
    our_offers = models.TextField("our company: offers that fit", blank=True)
    # Step 6: the proposal to the customer.
    proposal_vision = models.TextField("vision for the next three years", blank=True)
    proposal_presented_on = models.DateField("presented on", null=True, blank=True)
    proposal_presented_to = models.ForeignKey(
        "accounts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="presented to",
    )
    proposal_response = models.TextField("the customer's response", blank=True)

    opportunities = models.ManyToManyField(
        "sales.Opportunity",
        blank=True,
        related_name="plans",
        help_text="Opportunities counted in the plan's pipeline",
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(
        "last confirmed current",
        null=True,
        blank=True,
        help_text="When someone last said the plan is current",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "account__name", "pk"]
        indexes = [
            models.Index(fields=["account", "status"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="plan_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("plan_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%b %Y} – {self.period_end:%b %Y}"

    @property
    def is_archived(self) -> bool:
        return self.status == PlanStatus.ARCHIVED


class ValueStatement(models.Model):
    """The value we deliver to the customer, quantified: a metric and an amount
    ("Downtime avoided per year", 1.2M), part of our insights and beliefs."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="values")
    metric = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.metric

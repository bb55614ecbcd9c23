from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from keyplan.plans.choices import Delivery, IdeaStage, InvestmentStatus
from keyplan.plans.models.plan import MONEY, AccountPlan, PlanElementQuerySet


class Idea(models.Model):
    """An idea in the plan's aspiration design: it answers a problem statement (often one
    of the customer's goals) with a root cause, is delivered by us, jointly with the
    customer or with a partner, and carries an estimated annual value. It moves
    idea → qualified → opportunity (a real opportunity record) → won, or is dropped."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(max_length=255)
    problem_statement = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    goal = models.ForeignKey(
        "plans.CustomerGoal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name="customer goal",
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIRECT)
    partner_name = models.CharField("partner company", max_length=200, blank=True)
    annual_value = models.DecimalField(
        "estimated annual value", **MONEY, validators=[MinValueValidator(0)]
    )
    expected_date = models.DateField("expected by", null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(
        "confidence (%)", default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    stage = models.CharField(
        max_length=12, choices=IdeaStage.choices, default=IdeaStage.IDEA, db_index=True
    )
    needs_investment = models.BooleanField(
        default=False, help_text="It cannot become an opportunity before an investment is approved"
    )
    in_proposal = models.BooleanField("part of the proposal to the customer", default=False)
    # A new-offering request: the idea needs something we do not sell yet. Product
    # management reads these rolled up across accounts by ``new_offering_category``.
    needs_new_offering = models.BooleanField("needs something we do not sell yet", default=False)
    new_offering_need = models.TextField("what the customer needs that we do not sell", blank=True)
    new_offering_category = models.CharField(
        "kind of need",
        max_length=80,
        blank=True,
        help_text="Pick a label others used or type a new one, so similar needs group together",
    )
    opportunity = models.ForeignKey(
        "sales.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_line = models.ForeignKey(
        "catalog.ProductLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-annual_value", "pk"]

    def __str__(self) -> str:
        return self.title


class InvestmentQuerySet(PlanElementQuerySet):
    account_field = "idea__plan__account"


class InvestmentCase(models.Model):
    """What we (and, when co-invested, the customer) would put into an idea: cost, shares,
    expected return, payback and risks. Submitted for approval; a manager or executive
    who is not the submitter approves or declines it with a comment."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="investments")
    title = models.CharField("what", max_length=255)
    description = models.TextField(blank=True)
    cost = models.DecimalField("total cost", **MONEY, validators=[MinValueValidator(0)])
    customer_share = models.DecimalField(
        "customer's share of the cost (%)",
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    expected_return = models.DecimalField(
        "expected return", **MONEY, validators=[MinValueValidator(0)]
    )
    payback_months = models.PositiveSmallIntegerField(
        "payback (months)", null=True, blank=True, validators=[MaxValueValidator(240)]
    )
    risks = models.TextField(blank=True)
    in_proposal = models.BooleanField("part of the proposal to the customer", default=False)
    status = models.CharField(
        max_length=10,
        choices=InvestmentStatus.choices,
        default=InvestmentStatus.DRAFT,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = InvestmentQuerySet.as_manager()

    class Meta:
        ordering = ["idea", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def plan(self) -> AccountPlan:
        return self.idea.plan

    @property
    def our_cost(self):
        return self.cost * (100 - self.customer_share) / 100


class InvestmentEvent(models.Model):
    """One step in an investment case's history: submitted, approved, declined."""

    case = models.ForeignKey(InvestmentCase, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=InvestmentStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.status}"

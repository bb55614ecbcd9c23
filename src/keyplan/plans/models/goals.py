from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from keyplan.plans.choices import GoalLevel, VendorKind
from keyplan.plans.models.plan import MONEY, AccountPlan, PlanElementQuerySet


class CustomerGoal(models.Model):
    """A goal the customer holds: of its leadership, of one organisation, or of one
    stakeholder, with the story behind it and how the customer measures our value.
    ``source_*`` says where we heard it, because the plan is made *with* the customer."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="goals")
    level = models.CharField(max_length=20, choices=GoalLevel.choices)
    title = models.CharField(max_length=255)
    organisation = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The business unit or department whose goal it is",
    )
    contacts = models.ManyToManyField(
        "accounts.Contact", blank=True, related_name="goals", help_text="Who holds this goal"
    )
    story = models.TextField("the story behind it", blank=True)
    customer_aspiration = models.TextField("their aspiration", blank=True)
    value_measure = models.TextField("how they measure our value", blank=True)
    target_value = models.DecimalField(
        "their target (amount)",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expectation_now = models.TextField("what they expect of the relationship now", blank=True)
    expectation_next_year = models.TextField("… and in a year", blank=True)
    source_contact = models.ForeignKey(
        "accounts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="heard from",
    )
    source_date = models.DateField("heard on", null=True, blank=True)
    source_note = models.CharField("where", max_length=255, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "level", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_source(self) -> bool:
        return bool(self.source_contact_id and self.source_date)


class Vendor(models.Model):
    """Another company the customer buys from (research, the Three Cs): a competitor of
    ours in the account, or a vendor who could introduce us."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="vendors")
    # Not "kind": element_save(kind=...) names the part of the plan being saved.
    relation = models.CharField(
        "relation to the customer",
        max_length=20,
        choices=VendorKind.choices,
        default=VendorKind.COMPETITOR,
    )
    name = models.CharField(max_length=200)
    product_lines = models.ManyToManyField(
        "catalog.ProductLine", blank=True, related_name="+", help_text="Where they sell"
    )
    estimated_spend = models.DecimalField(
        "estimated annual spend with them",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    estimated_share = models.DecimalField(
        "estimated share of the customer's spend (%)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    strengths = models.TextField(blank=True)
    weaknesses = models.TextField(blank=True)
    relationships = models.TextField("their relationships", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "relation", "name", "pk"]

    def __str__(self) -> str:
        return self.name

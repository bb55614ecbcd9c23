from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from keyplan.accounts.querysets import AccountDataQuerySet
from keyplan.sales.choices import OpportunityStatus, Stage


class SaleLine(models.Model):
    """One historical sale: what an account bought, which product, on which date, for how
    much (in the installation's currency). The facts every analysis starts from.
    ``amount`` may be negative for a credit note."""

    # No single-column indexes on account and product: the (account, date) and
    # (product, date) indexes serve those look-ups, and every index slows bulk loads.
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="sale_lines", db_index=False
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="sale_lines", db_index=False
    )
    date = models.DateField()
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    quantity = models.DecimalField(max_digits=14, decimal_places=2, default=1)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    opportunity = models.ForeignKey(
        "sales.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sale_lines",
        help_text="The won deal this sale delivers, when known (so it is not counted twice)",
    )

    # Optimistic locking: the version a client loaded; every write through the services
    # (and an import's change) adds one, and a write from an older version is refused.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    objects = AccountDataQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["account", "date"]),
            models.Index(fields=["product", "date"]),
            models.Index(fields=["date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.product} {self.amount}"


class Opportunity(models.Model):
    """A deal in the pipeline (or closed): an account, optionally a product, an amount,
    a stage with its win probability, and when it was created and is expected to close.
    ``stage`` is the source CRM's own stage name; ``status`` is open, won or lost.

    An open deal may not know its amount or close date yet (early stages in a real CRM):
    both are then None — counted among the open deals, never in pipeline value or
    coverage, shown as "—". A won or lost deal always has both (a sale needs a date and
    a value). A deal's products are its ``line_items`` when it has any (a Salesforce
    opportunity's line items), else its own ``product``."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="opportunities"
    )
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    name = models.CharField(max_length=255)
    stage = models.CharField(max_length=60, default=Stage.PROSPECTING)
    status = models.CharField(
        max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    amount = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="None: not known yet (an open deal only)",
    )
    probability = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Percent"
    )
    created_date = models.DateField()
    close_date = models.DateField(
        null=True, blank=True, help_text="None: not known yet (an open deal only)"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Optimistic locking: the version a client loaded; every write through the services
    # (and an import's change) adds one, and a write from an older version is refused.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    objects = AccountDataQuerySet.as_manager()

    class Meta:
        # Unknown close dates last on every database (SQLite sorts NULL first).
        ordering = [models.F("close_date").asc(nulls_last=True), "pk"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["account", "status", "close_date"]),
            models.Index(fields=["status", "close_date"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["close_date"]),
            # The open pipeline per account and product (white space, ICP tiers), read
            # from the index alone; the id finds the deals that have line items.
            models.Index(
                fields=["status", "account", "product", "stage", "amount", "id"],
                name="sales_opportunity_pipeline",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=0) & models.Q(probability__lte=100),
                name="opportunity_probability_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(close_date__gte=models.F("created_date")),
                name="opportunity_closes_after_created",
            ),
            models.CheckConstraint(
                condition=models.Q(status=OpportunityStatus.OPEN)
                | (models.Q(amount__isnull=False) & models.Q(close_date__isnull=False)),
                name="opportunity_closed_has_amount_and_date",
                violation_error_message=(
                    "A won or lost opportunity needs its amount and close date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opportunity_detail", args=[self.pk])

    @property
    def weighted_amount(self):
        """amount × probability / 100; None while the amount is not known."""
        if self.amount is None:
            return None
        return self.amount * self.probability / 100

    @property
    def is_overdue(self) -> bool:
        """Still open after its expected close date: the rep should close it or move the
        date. An unknown close date is never overdue."""
        return (
            self.status == OpportunityStatus.OPEN
            and self.close_date is not None
            and self.close_date < timezone.localdate()
        )


class OpportunityLineQuerySet(AccountDataQuerySet):
    account_field = "opportunity__account"


class OpportunityProduct(models.Model):
    """One product of a deal and its part of the deal's amount (a Salesforce opportunity
    line item). An open deal with line items is in the pipeline of each of their products
    for these amounts; a deal without any is in the pipeline of its own ``product``."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="line_items", db_index=False
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="opportunity_lines"
    )
    amount = models.DecimalField(max_digits=16, decimal_places=2, validators=[MinValueValidator(0)])
    quantity = models.DecimalField(max_digits=14, decimal_places=2, default=1)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = OpportunityLineQuerySet.as_manager()

    class Meta:
        ordering = ["opportunity", "-amount", "pk"]
        indexes = [
            # The open pipeline reads a deal's products and amounts from the index alone.
            models.Index(
                fields=["opportunity", "product", "amount"], name="sales_opportunity_lines"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} — {self.product} {self.amount}"


class RolledUpSales(models.Model):
    """What the roll-up tables share: net sales of one account and product (no product:
    sales not tied to one). Analyses group and sum either table the same way."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        abstract = True


class SalesMonth(RolledUpSales):
    """The sales roll-up: revenue per account, product and month, from sale lines plus won
    opportunities that have no sale lines of their own (a CRM that records only deals
    still has a sales history; a deal also imported as sale lines is not counted twice).
    Analyses read this table, never raw sale lines. Kept up to date by
    ``sales.rollup.rollup_refresh`` in the same transaction as every write to sales."""

    month = models.DateField(help_text="First day of the month")
    quantity = models.DecimalField(max_digits=16, decimal_places=2)
    from_opportunities = models.DecimalField(
        max_digits=18,
        decimal_places=2,
        default=0,
        help_text="Part of the amount that comes from won opportunities without sale lines",
    )

    objects = AccountDataQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["account", "month"]),
            models.Index(fields=["month", "account"]),
            models.Index(fields=["product", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.product_id} {self.month:%Y-%m} {self.amount}"


class SalesYear(RolledUpSales):
    """The default analysis window kept ready: revenue per account and product over the
    12 months ending with the latest month that has sales (``Window.default()``), summed
    from the roll-up. ``sales.rollup.rollup_refresh`` keeps it in the same transaction as
    the roll-up — the refreshed accounts' rows, or every row when the latest month moves —
    so analyses over the default window read one row per account and product bought
    instead of summing a year of monthly rows. Other windows read ``SalesMonth``."""

    class Meta:
        indexes = [models.Index(fields=["account", "product"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.product_id} {self.amount}"


class SalesYearWindow(models.Model):
    """One row: the last month ``SalesYear`` was summed up to (None: no sales yet)."""

    last_month = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"12 months to {self.last_month:%Y-%m}" if self.last_month else "no sales"


class OpportunityStageChange(models.Model):
    """One step of a deal's way through the stages: the stage it moved from (blank when the
    deal was created at ``to_stage``), the stage it moved to, when, and who moved it — a
    person (``changed_by``) or where it came from (``source``: the web, the API, an import,
    a CRM's stage history). Win rates by stage are learned from these: the share of the
    closed deals that *reached* a stage that were won."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes", db_index=False
    )
    from_stage = models.CharField(max_length=60, blank=True, default="")
    to_stage = models.CharField(max_length=60)
    probability = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The CRM's win probability at that stage, percent"
    )
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        max_length=80, blank=True, default="", help_text="Where the change came from, in words"
    )
    external_id = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text="The CRM's id of this history row (Salesforce OpportunityHistory.Id)",
    )

    objects = OpportunityLineQuerySet.as_manager()

    class Meta:
        verbose_name = "stage change"
        ordering = ["opportunity", "changed_at", "pk"]
        indexes = [
            models.Index(fields=["opportunity", "changed_at"]),
            # Win rates by stage: deals that reached a stage, read from the index alone.
            models.Index(fields=["to_stage", "opportunity"], name="sales_stage_reached"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_stage or '—'} → {self.to_stage}"

    @property
    def who(self) -> str:
        if self.changed_by_id:
            return str(self.changed_by)
        return self.source or "—"

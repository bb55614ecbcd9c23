from django.conf import settings
from django.db import models

from keyplan.accounts.querysets import AccountDataQuerySet
from keyplan.territory.choices import ProposalStatus, Tier, TierMethod


class IcpVersion(models.Model):
    """One version of the ideal customer profile: weighted criteria over account attributes
    and how scores become tiers. Every change makes a new version (who, when, why); the
    latest is the one in force, the earlier ones are the history."""

    number = models.PositiveIntegerField(unique=True)
    criteria = models.JSONField(
        default=list,
        help_text='[{"kind": "industry_in", "values": ["Energy"], "weight": 30, "label": …}]',
    )
    method = models.CharField(
        max_length=12, choices=TierMethod.choices, default=TierMethod.THRESHOLDS
    )
    a_threshold = models.PositiveSmallIntegerField(default=70, help_text="score for tier A")
    b_threshold = models.PositiveSmallIntegerField(default=40, help_text="score for tier B")
    a_share = models.PositiveSmallIntegerField(default=20, help_text="% of accounts in A")
    b_share = models.PositiveSmallIntegerField(default=30, help_text="% of accounts in B")
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"ICP v{self.number}"


class AccountTier(models.Model):
    """The accepted tier of an account — what the rest of keyplan uses — with the score
    and reasons that put it there, and who accepted it when."""

    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, related_name="tier"
    )
    tier = models.CharField(max_length=1, choices=Tier.choices)
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=dict)
    version = models.ForeignKey(IcpVersion, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField()

    objects = AccountDataQuerySet.as_manager()  # visible_to(user): who sees which tiers

    class Meta:
        indexes = [models.Index(fields=["tier"])]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.tier}"


class TierRun(models.Model):
    """One recomputation of tiers: parameters, who ran it, when, and the tier counts."""

    version = models.ForeignKey(IcpVersion, on_delete=models.PROTECT, related_name="runs")
    window_start = models.DateField()
    window_end = models.DateField()
    counts = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Tier run {self.pk} ({self.created_at:%Y-%m-%d})"


class TierProposal(models.Model):
    """A change of tier a run proposes (account, old tier, new tier, why), for sales ops
    to accept or reject."""

    run = models.ForeignKey(TierRun, on_delete=models.CASCADE, related_name="proposals")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="tier_proposals"
    )
    old_tier = models.CharField(max_length=1, choices=Tier.choices, blank=True)
    new_tier = models.CharField(max_length=1, choices=Tier.choices)
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        indexes = [models.Index(fields=["status", "run"])]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.old_tier or '—'} → {self.new_tier}"


class PotentialEstimate(models.Model):
    """What someone who knows the account estimates it could spend per year in our
    product lines, and where the estimate comes from. The latest one is used instead of
    the peer benchmark."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="potential_estimates"
    )
    annual_amount = models.DecimalField(max_digits=18, decimal_places=2)
    source = models.CharField(max_length=255, help_text="e.g. CIO interview, annual report")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-entered_at", "-pk"]
        indexes = [models.Index(fields=["account", "-entered_at"])]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.annual_amount} ({self.source})"


class StrategicStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"


class StrategicAccount(models.Model):
    """An account suggested as strategic for its rep (it gets a full plan), and the
    manager's decision on it: who confirmed or declined it, and when."""

    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, related_name="strategic"
    )
    status = models.CharField(
        max_length=10, choices=StrategicStatus.choices, default=StrategicStatus.SUGGESTED
    )
    reason = models.CharField(max_length=255, blank=True)
    suggested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = AccountDataQuerySet.as_manager()  # visible_to(user)

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.status}"


class StakeholderRole(models.Model):
    """A key stakeholder role for selling a product line ("CFO", "VP Finance", "Head of
    Procurement"), defined by sales ops: a contact fills it when their title contains one
    of the keywords, or when their function (and seniority, if given) match."""

    product_line = models.ForeignKey(
        "catalog.ProductLine", on_delete=models.CASCADE, related_name="stakeholder_roles"
    )
    name = models.CharField(max_length=120)
    title_keywords = models.CharField(
        max_length=255, blank=True, help_text="Comma-separated, e.g. CFO, Finance Director"
    )
    function = models.CharField(max_length=80, blank=True)
    seniority = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["product_line__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["product_line", "name"], name="role_unique_per_line")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.product_line})"

    @property
    def keywords(self) -> list[str]:
        return [k.strip().casefold() for k in self.title_keywords.split(",") if k.strip()]

    def matches(self, title: str, function: str, seniority: str) -> bool:
        lowered = (title or "").casefold()
        if any(k in lowered for k in self.keywords):
            return True
        if self.function and (function or "").casefold() == self.function.casefold():
            return not self.seniority or seniority == self.seniority
        return False


class AnalysisRun(models.Model):
    """One run of a territory analysis from the command line (``keyplan analyze``): which
    analysis, its parameters, its headline figures, who ran it and when — the record that
    lets a quarter be compared with the last."""

    kind = models.CharField(max_length=20)
    parameters = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} run {self.pk}"


class WalletSnapshot(models.Model):
    """An account's revenue, potential and share of wallet as a wallet run found them.

    Every wallet run writes one row per account (100,000 at a time), so the table only
    ever grows at its end: its one index is (run, account), which a new run appends to
    and which answers every read (a run's rows; one account in a run). An index led by
    the account would take 100,000 scattered inserts per run, costlier as history grows
    (0.61 s against 0.35 s at 5.6 million rows on SQLite). Without it the database could
    not check an account foreign key cheaply, so the account is not one: deleting an
    account deletes its snapshots through Django's cascade — one statement per batch of
    accounts, which reads the whole table (an administrator's occasional delete through
    the API pays that once; every wallet run would pay the scattered inserts).

    Nor is the run a database foreign key: PostgreSQL checks one row by row, 0.4 s for a
    run's 100,000 rows (a third of ``keyplan analyze wallet``), though the run is created
    in the same transaction by the one writer of snapshots (``keyplan analyze``).
    Deleting a run deletes its snapshots through Django's cascade, one statement on the
    (run, account) index."""

    run = models.ForeignKey(
        AnalysisRun,
        on_delete=models.CASCADE,
        related_name="wallets",
        db_index=False,  # the (run, account) index serves it
        db_constraint=False,
    )
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    revenue = models.DecimalField(max_digits=18, decimal_places=2)
    potential = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    share = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "account"], name="territory_walletsnapshot_once_per_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} in run {self.run_id}"

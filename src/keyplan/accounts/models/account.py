from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from keyplan.accounts.choices import AccountKind, TeamRole
from keyplan.accounts.querysets import AccountQuerySet


class Account(models.Model):
    """A customer organisation, or one part of one: a legal entity, business unit,
    division or budget centre. ``parent`` builds the customer's hierarchy to any depth;
    ``owner`` is the rep accountable for it. ``annual_revenue`` and ``employees`` are the
    customer's own size, not what it buys from us."""

    name = models.CharField(max_length=255)
    external_id = models.CharField(
        max_length=64, unique=True, null=True, blank=True, help_text="Id in the source system"
    )
    kind = models.CharField(
        "level", max_length=20, choices=AccountKind.choices, default=AccountKind.LEGAL_ENTITY
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    industry = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=80, blank=True)
    region = models.CharField(max_length=80, blank=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    annual_revenue = models.DecimalField(
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="The company's own yearly revenue (its size), not what it buys from us",
    )
    website = models.URLField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Optimistic locking: the version a client loaded; every write through the services
    # (and an import's change) adds one, and a write from an older version is refused.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["owner", "name"]),
            models.Index(fields=["industry"]),
            models.Index(fields=["country"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("account_detail", args=[self.pk])


class AccountLineage(models.Model):
    """Closure table of the account hierarchy: one row per (ancestor, descendant) pair,
    self included at depth 0. It answers "everything under X" and "everything above X"
    in one indexed query at any depth; maintained only by ``accounts.services``."""

    ancestor = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="lineage_unique_pair")
        ]
        indexes = [models.Index(fields=["descendant", "depth"])]

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id} (depth {self.depth})"


class AccountTeamMember(models.Model):
    """One of our people on an account's team, in a role (account manager, executive
    sponsor, solution engineer, ...). Being on the team lets them see the account."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_teams"
    )
    role = models.CharField(max_length=30, choices=TeamRole.choices)

    class Meta:
        ordering = ["account", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user", "role"], name="team_member_unique_role"
            )
        ]
        indexes = [models.Index(fields=["user", "account"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} on {self.account}"

"""Quotas (the number a rep, a team and the company carry for a period) and account
goals (a rep's quota distributed over their accounts)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from keyplan.accounts.querysets import AccountDataQuerySet
from keyplan.salesplan.choices import GoalBasis, QuotaLevel
from keyplan.salesplan.periods import Period

MONEY = {"max_digits": 16, "decimal_places": 2}


class QuotaQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Quotas ``user`` may see, by keyplan's one visibility rule (people.scope): those
        who see everything see every quota; anyone else their own and their people's rep
        quotas and the quotas of the teams they (or managers under them) lead. A rep sees
        only their own; the company's number is for those who see everything."""
        from keyplan.people.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if not scope.user_ids:
            return self.none()
        return self.filter(
            Q(level=QuotaLevel.REP, rep_id__in=scope.user_ids)
            | Q(level=QuotaLevel.TEAM, team__manager_id__in=scope.user_ids)
        )


class Quota(models.Model):
    """The number one rep, one team or the whole company carries for a sales period (a
    fiscal year, or one of its quarters), in the installation's currency. A team's quota
    is set on its own: it may differ from the sum of its reps' (over-assignment)."""

    level = models.CharField(max_length=10, choices=QuotaLevel.choices, db_index=True)
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="quotas"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1901), MaxValueValidator(2999)]
    )
    quarter = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(4)],
        help_text="0: the whole fiscal year; 1-4: that quarter",
    )
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = QuotaQuerySet.as_manager()

    class Meta:
        # No related fields: rows are locked with SELECT … FOR UPDATE, which PostgreSQL
        # refuses on the nullable side of the outer join an ordering by team or rep adds.
        ordering = ["-fiscal_year", "quarter", "level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "fiscal_year", "quarter"],
                condition=Q(level=QuotaLevel.REP),
                name="quota_one_per_rep_and_period",
            ),
            models.UniqueConstraint(
                fields=["team", "fiscal_year", "quarter"],
                condition=Q(level=QuotaLevel.TEAM),
                name="quota_one_per_team_and_period",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter"],
                condition=Q(level=QuotaLevel.COMPANY),
                name="quota_one_for_the_company_per_period",
            ),
            models.CheckConstraint(
                condition=(
                    Q(level=QuotaLevel.REP, rep__isnull=False, team__isnull=True)
                    | Q(level=QuotaLevel.TEAM, team__isnull=False, rep__isnull=True)
                    | Q(level=QuotaLevel.COMPANY, team__isnull=True, rep__isnull=True)
                ),
                name="quota_names_its_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} · {self.period.name}"

    @property
    def period(self) -> Period:
        return Period(self.fiscal_year, self.quarter)

    @property
    def holder(self) -> str:
        if self.level == QuotaLevel.REP:
            return str(self.rep)
        if self.level == QuotaLevel.TEAM:
            return str(self.team)
        return "The company"


class AccountGoal(models.Model):
    """What one account is expected to bring in a sales period: a share of its rep's
    quota, proposed from a basis (last period's revenue, the forecast, headroom, tier)
    with a stretch factor, or set by hand. For the period of an account plan it is the
    plan's revenue goal — the two follow each other unless ``apart_from_plan`` says they
    were set apart on purpose, with the reason in ``apart_note``."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="goals", db_index=False
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="account_goals",
        help_text="Whose quota the goal is a share of",
    )
    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(default=0)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])
    basis = models.CharField(max_length=12, choices=GoalBasis.choices, default=GoalBasis.HAND)
    stretch = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    apart_from_plan = models.BooleanField(
        "set apart from the plan on purpose",
        default=False,
        help_text="The plan's revenue goal and this goal no longer follow each other",
    )
    apart_note = models.CharField("why they differ", max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AccountDataQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "quarter", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "fiscal_year", "quarter"], name="goal_one_per_account_period"
            )
        ]
        indexes = [models.Index(fields=["rep", "fiscal_year", "quarter"])]

    def __str__(self) -> str:
        return f"{self.account} · {self.period.name}"

    @property
    def period(self) -> Period:
        return Period(self.fiscal_year, self.quarter)


class QuotaChange(models.Model):
    """One recorded change to a quota or an account goal: who, when, which, and the
    amount before and after — the trail sales ops and managers read back."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=10, help_text="quota or goal")
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user} {self.subject} {self.label}"

"""The demo's quotas: every rep carries a quota for the current fiscal year (and the
year of the demo rep's example plans, when that is the next) and its quarters (the last
twelve months' revenue of their accounts plus growth), each team a quota a little below
what its reps' add up to (over-assignment, as sales leaders set it), the company the sum
of its teams; and every rep's quota is distributed over their accounts by last year's
revenue with a stretch of 1.1 — an account with an example plan for the year keeps its
plan's revenue goal and the other accounts share the rest."""

import random
from decimal import Decimal

from django.db.models import Sum

from keyplan.people.choices import Role
from keyplan.salesplan.allocation import NothingToDistribute, allocate
from keyplan.salesplan.choices import GoalBasis, QuotaLevel
from keyplan.salesplan.models import Quota
from keyplan.salesplan.periods import Period, current_year
from keyplan.salesplan.selectors import TIER_WEIGHTS, account_lines
from keyplan.salesplan.services import goals_save, quota_save

SEASON = (Decimal("0.22"), Decimal("0.24"), Decimal("0.25"))  # Q4 takes the rest
ROUND = Decimal(10_000)
SMALLEST = Decimal(250_000)


def _round(value: Decimal) -> Decimal:
    return (value / ROUND).quantize(Decimal(1)) * ROUND


def demo_quotas(*, seed: int, period: Period | None = None, distribute_for: str = "rep"):
    """Quotas for the demo organisation (idempotent: set again, the same numbers)."""
    from keyplan.people.models import Team, User
    from keyplan.sales.models import SalesMonth

    year = period or current_year()
    r = random.Random(seed)
    # Twelve months of revenue before the year: the last full year when the history
    # reaches it, else the twelve months up to the history's end (a year still running
    # would make next year's quota smaller than this one's).
    history_end = SalesMonth.objects.filter(month__lt=year.start).order_by("-month")
    history_end = history_end.values_list("month", flat=True).first() or year.start
    first = _months_back(min(history_end, year.previous.end.replace(day=1)), 11)
    revenue = dict(
        SalesMonth.objects.filter(month__gte=first, month__lt=year.start)
        .order_by()
        .values_list("account__owner_id")
        .annotate(total=Sum("amount"))
        .values_list("account__owner_id", "total")
    )
    reps = list(User.objects.filter(role=Role.REP, is_active=True).order_by("pk"))
    by_team: dict[int, Decimal] = {}
    for rep in reps:
        growth = Decimal(100 + r.randint(5, 20)) / 100
        amount = max(_round((revenue.get(rep.pk) or Decimal(0)) * growth), SMALLEST)
        quota_save(
            user=None,
            check_permission=False,
            level=QuotaLevel.REP,
            rep=rep,
            period=year,
            amount=amount,
        )
        quarters = [_round(amount * share) for share in SEASON]
        quarters.append(amount - sum(quarters))
        for quarter, value in zip(year.quarters, quarters, strict=True):
            quota_save(
                user=None,
                check_permission=False,
                level=QuotaLevel.REP,
                rep=rep,
                period=quarter,
                amount=value,
            )
        if rep.team_id:
            by_team[rep.team_id] = by_team.get(rep.team_id, Decimal(0)) + amount
    company = Decimal(0)
    for team in Team.objects.filter(pk__in=list(by_team)).order_by("pk"):
        # Sales leaders assign their reps more than the team carries: ~110-115%.
        amount = _round(by_team[team.pk] / (Decimal(110 + r.randint(0, 5)) / 100))
        quota_save(
            user=None,
            check_permission=False,
            level=QuotaLevel.TEAM,
            team=team,
            period=year,
            amount=amount,
        )
        company += amount
    if company:
        quota_save(
            user=None,
            check_permission=False,
            level=QuotaLevel.COMPANY,
            period=year,
            amount=company,
        )
    # Every rep's quota is distributed over their accounts (the team board reads the
    # goals), the demo rep's too.
    for each in reps:
        _distribute(each, year)
    rep = User.objects.filter(username=distribute_for).first()
    if period is None and rep is not None:
        # The example plans run over the next twelve months, mostly the next fiscal
        # year: that year gets its quotas too, so the plans meet their account goals
        # (the goal line on the plan page, no "goal without a plan" on every account).
        for plan_year in sorted(_plan_years(rep) - {year}, key=lambda p: p.fiscal_year):
            demo_quotas(seed=seed, period=plan_year, distribute_for=distribute_for)


def _months_back(month, count: int):
    index = month.year * 12 + month.month - 1 - count
    return month.replace(year=index // 12, month=index % 12 + 1, day=1)


def _plan_years(rep) -> set[Period]:
    from keyplan.plans.choices import PlanStatus
    from keyplan.plans.models import AccountPlan
    from keyplan.salesplan.services import plan_period

    plans = AccountPlan.objects.filter(account__owner=rep).exclude(status=PlanStatus.ARCHIVED)
    return {plan_period(plan) for plan in plans.only("period_start", "period_end")}


def _distribute(rep, year: Period) -> None:
    quota = Quota.objects.filter(
        level=QuotaLevel.REP, rep=rep, fiscal_year=year.fiscal_year, quarter=0
    ).first()
    lines = account_lines(rep=rep, period=year)
    if quota is None or not lines:
        return
    stretch = Decimal("1.1")
    # An example plan for this year keeps its own revenue goal; the other accounts share
    # what is left of the quota × stretch, so the goals add up to it (not beyond).
    planned = {line.account_id: line.plan_goal for line in lines if line.plan_goal}
    rest = [line for line in lines if line.account_id not in planned]
    left = max(quota.amount * stretch - sum(planned.values(), Decimal(0)), Decimal(0))
    basis = GoalBasis.LAST_PERIOD
    values = {line.account_id: line.last_period for line in rest}
    amounts = {}
    if rest:
        try:
            amounts = allocate(quota=left, stretch=Decimal(1), basis=values)
        except NothingToDistribute:
            basis = GoalBasis.TIER
            values = {line.account_id: TIER_WEIGHTS.get(line.tier, Decimal(1)) for line in rest}
            amounts = allocate(quota=left, stretch=Decimal(1), basis=values)
    amounts.update(planned)
    goals_save(
        user=None,
        check_permission=False,
        rep=rep,
        period=year,
        amounts=amounts,
        basis=basis,
        stretch=stretch,
    )

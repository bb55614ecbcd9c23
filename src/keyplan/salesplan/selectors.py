"""Reads for quotas and account goals: the quota board of a fiscal year (company, teams
against the sum of their reps, reps with their quarters) and the bases a rep's quota is
distributed by. Every figure is one grouped query (or one pass over an analysis), never
a query per account or per rep."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from keyplan.salesplan.choices import GoalBasis, QuotaLevel
from keyplan.salesplan.models import AccountGoal, Quota
from keyplan.salesplan.periods import Period

TIER_WEIGHTS = {"A": Decimal(5), "B": Decimal(3), "C": Decimal(1)}


class BasisUnavailable(Exception):
    """The basis cannot be read now (the forecast not computed yet): the message says so
    and what to choose instead."""


@dataclass
class RepRow:
    rep: object
    year: Quota | None = None
    quarters: list = field(default_factory=lambda: [None, None, None, None])
    goals: Decimal = Decimal(0)


@dataclass
class TeamRow:
    team: object
    quota: Quota | None
    reps_sum: Decimal
    reps: list
    # False when the user does not see the team's quota (a rep, a manager of another
    # team): the page must not say the team has none, nor sum only the reps they see.
    sees_team: bool = True

    @property
    def assigned_percent(self) -> Decimal | None:
        """The reps' quotas as a percentage of the team's (over 100: over-assignment)."""
        if self.quota is None or not self.quota.amount:
            return None
        return (self.reps_sum * 100 / self.quota.amount).quantize(Decimal(1))


@dataclass
class Assignment:
    """How the company quota of a period is assigned: what the teams' and the reps'
    quotas add up to beside it. Sales leaders assign more than the company's number on
    purpose (over-assignment) so it is met even when some reps miss theirs; the page says
    so in words instead of leaving two different totals side by side."""

    period: Period
    company: Decimal | None
    teams: Decimal
    reps: Decimal

    def _sentence(self, whose: str, total: Decimal) -> str:
        from keyplan.core.words import amount

        company = self.company
        if total == company:
            return f"The {whose} quotas add up to exactly the company quota."
        gap = abs(total - company)
        share = f" ({gap * 100 / company:.0f}%)" if company else ""
        if total > company:
            return (
                f"The {whose} quotas add up to {amount(total)}, {amount(gap)}{share} more "
                f"than the company quota of {amount(company)}: that is over-assignment, "
                "set on purpose so the company meets its number even when some miss theirs."
            )
        return (
            f"The {whose} quotas add up to {amount(total)}, {amount(gap)}{share} less than "
            f"the company quota of {amount(company)}: {amount(gap)} of the company's "
            "number is assigned to no one."
        )

    @property
    def sentences(self) -> list[str]:
        if self.company is None:
            return []
        out = []
        if self.teams:
            out.append(self._sentence("teams'", self.teams))
        if self.reps:
            out.append(self._sentence("reps'", self.reps))
        else:
            out.append(f"No rep has a quota for {self.period.name} yet.")
        return out


def company_assignment(*, period: Period) -> Assignment:
    """The company quota of the period beside the sums of the teams' and the reps' (one
    grouped query). For those who see everything: the company view and the quota page."""
    sums = dict(
        Quota.objects.filter(fiscal_year=period.fiscal_year, quarter=period.quarter)
        .values_list("level")
        .annotate(total=Sum("amount"))
        .values_list("level", "total")
    )
    return Assignment(
        period=period,
        company=sums.get(QuotaLevel.COMPANY),
        teams=sums.get(QuotaLevel.TEAM) or Decimal(0),
        reps=sums.get(QuotaLevel.REP) or Decimal(0),
    )


@dataclass
class Board:
    period: Period
    company: Quota | None
    company_quarters: list
    teams: list
    teams_sum: Decimal
    unteamed: list
    sees_everything: bool = False  # an empty board then means none is set, not hidden


def quota_board(*, user, period: Period) -> Board:
    """The quotas ``user`` sees for a fiscal year: the company's, each team's with what its
    reps' quotas add up to, and each rep's year and quarters with their account goals."""
    from keyplan.people.models import Team, User
    from keyplan.people.scope import scope_for

    quotas = list(
        Quota.objects.visible_to(user)
        .filter(fiscal_year=period.fiscal_year)
        .select_related("rep", "team", "rep__team")
    )
    reps: dict[int, RepRow] = {}
    teams: dict[int, Quota] = {}
    company, company_quarters = None, [None] * 4
    for q in quotas:
        if q.level == QuotaLevel.REP:
            row = reps.setdefault(q.rep_id, RepRow(q.rep))
            if q.quarter:
                row.quarters[q.quarter - 1] = q
            else:
                row.year = q
        elif q.level == QuotaLevel.TEAM and not q.quarter:
            teams[q.team_id] = q
        elif q.level == QuotaLevel.COMPANY:
            if q.quarter:
                company_quarters[q.quarter - 1] = q
            else:
                company = q
    goal_sums = dict(
        AccountGoal.objects.filter(rep_id__in=list(reps), fiscal_year=period.fiscal_year, quarter=0)
        .values_list("rep_id")
        .annotate(total=Sum("amount"))
        .values_list("rep_id", "total")
    )
    for pk, row in reps.items():
        row.goals = goal_sums.get(pk) or Decimal(0)
    by_team = defaultdict(list)
    for row in sorted(reps.values(), key=lambda r: (str(r.rep), r.rep.pk)):
        by_team[row.rep.team_id].append(row)
    team_ids = set(teams) | {pk for pk in by_team if pk is not None}
    scope = scope_for(user)
    team_rows = []
    for team in Team.objects.filter(pk__in=team_ids).select_related("manager"):
        members = by_team.get(team.pk, [])
        total = sum((r.year.amount for r in members if r.year), Decimal(0))
        sees = scope.everything or team.manager_id in scope.user_ids
        team_rows.append(TeamRow(team, teams.get(team.pk), total, members, sees_team=sees))
    del User
    return Board(
        period=period,
        company=company,
        company_quarters=company_quarters,
        teams=team_rows,
        teams_sum=sum((t.quota.amount for t in team_rows if t.quota), Decimal(0)),
        unteamed=by_team.get(None, []),
        sees_everything=scope.everything,
    )


# -- distributing a rep's quota ------------------------------------------------------


@dataclass
class AccountLine:
    """One of the rep's accounts on the distribution page."""

    account_id: int
    name: str
    tier: str
    last_period: Decimal
    goal: AccountGoal | None
    plan_id: int | None
    plan_goal: Decimal | None
    proposed: Decimal | None = None
    typed: str | None = None  # what was typed, shown again when the save is refused

    @property
    def amount(self) -> Decimal:
        if self.proposed is not None:
            return self.proposed
        return self.goal.amount if self.goal else Decimal(0)

    @property
    def without_plan(self) -> bool:
        threshold = Decimal(settings.KEYPLAN_GOAL_WITHOUT_PLAN_THRESHOLD)
        return self.plan_id is None and self.amount > threshold

    @property
    def differs_from_plan(self) -> bool:
        return (
            self.plan_goal is not None
            and self.goal is not None
            and (self.plan_goal != self.goal.amount)
        )


def sales_in(account_ids, period: Period) -> dict[int, Decimal]:
    """Net revenue per account over ``period`` from the sales roll-up (one query)."""
    from keyplan.sales.models import SalesMonth

    rows = (
        SalesMonth.objects.filter(
            account_id__in=account_ids, month__gte=period.start, month__lte=period.end
        )
        .order_by()
        .values_list("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    return {pk: total for pk, total in rows}


def account_lines(*, rep, period: Period) -> list[AccountLine]:
    """The rep's accounts (those they own), each with its tier, last period's revenue,
    its goal for ``period`` and the account plan of the period, largest revenue first."""
    from keyplan.accounts.models import Account
    from keyplan.salesplan.services import _plans_for

    accounts = list(
        Account.objects.filter(owner=rep)
        .select_related("tier")
        .order_by("name", "pk")
        .values_list("pk", "name", "tier__tier")
    )
    ids = [a[0] for a in accounts]
    last = sales_in(ids, period.previous)
    goals = {
        g.account_id: g
        for g in AccountGoal.objects.filter(
            account_id__in=ids, fiscal_year=period.fiscal_year, quarter=period.quarter
        )
    }
    plans = _plans_for(ids, period) if not period.quarter else {}
    lines = []
    for pk, name, tier in accounts:
        plan = (plans.get(pk) or [None])[0]
        lines.append(
            AccountLine(
                account_id=pk,
                name=name,
                tier=tier or "",
                last_period=last.get(pk, Decimal(0)),
                goal=goals.get(pk),
                plan_id=plan.pk if plan else None,
                plan_goal=plan.revenue_goal if plan else None,
            )
        )
    lines.sort(key=lambda line: (-line.last_period, line.name, line.account_id))
    return lines


def basis_values(*, basis: str, rep, period: Period, lines, tier_weights=None) -> dict:
    """Per account id, the amount the quota is shared in proportion to."""
    ids = [line.account_id for line in lines]
    if basis == GoalBasis.LAST_PERIOD:
        return {line.account_id: line.last_period for line in lines}
    if basis == GoalBasis.TIER:
        weights = tier_weights or TIER_WEIGHTS
        return {line.account_id: weights.get(line.tier, Decimal(0)) for line in lines}
    if basis == GoalBasis.FORECAST:
        return _forecast_basis(rep, ids)
    if basis == GoalBasis.HEADROOM:
        return _headroom_basis(rep, ids)
    if basis == GoalBasis.PLAN:
        return {line.account_id: line.plan_goal or Decimal(0) for line in lines}
    raise BasisUnavailable(f"“{basis}” is not a basis to propose goals from.")


def _forecast_basis(rep, ids) -> dict:
    from keyplan.forecast.selectors import DEFAULT_HORIZON, cached_result, scope_forecast
    from keyplan.territory.analysis.params import Scope

    result = cached_result(DEFAULT_HORIZON)
    if result is None:
        raise BasisUnavailable(
            "The forecast has not been computed yet (it is computed in the background "
            "after the sales change, or with “keyplan forecast”). Propose by last "
            "period's revenue, headroom or tier weights instead, or enter goals by hand."
        )
    _, rows, _ = scope_forecast(
        user=None, scope=Scope("rep", rep.username), horizon=DEFAULT_HORIZON, result=result
    )
    wanted = set(ids)
    return {r.account_id: r.expected for r in rows if r.account_id in wanted}


def _headroom_basis(rep, ids) -> dict:
    from keyplan.territory.analysis.params import Scope, Window
    from keyplan.territory.analysis.wallet import wallets

    found = wallets(user=None, window=Window.default(), scope=Scope("rep", rep.username))
    wanted = set(ids)
    values = {w.account_id: w.untapped for w in found if w.account_id in wanted}
    if not any(values.values()):
        raise BasisUnavailable(
            "No account of this rep has a potential estimated (share of wallet), so there "
            "is no headroom to share the quota by. Propose by last period's revenue or "
            "tier weights, or enter goals by hand."
        )
    return {pk: v or Decimal(0) for pk, v in values.items()}


@dataclass
class TrailEntry:
    at: object
    user: object
    label: str
    before: str | None
    after: str | None
    note: str


def goal_trail(*, quota: Quota, lines, limit: int = 20) -> list[TrailEntry]:
    """The latest recorded changes to the quota and to the goals on the page, amounts in
    words (one query)."""
    from django.db.models import Q

    from keyplan.core import words
    from keyplan.salesplan.models import QuotaChange

    goal_ids = [line.goal.pk for line in lines if line.goal is not None]
    changes = QuotaChange.objects.filter(
        Q(subject="goal", object_id__in=goal_ids) | Q(subject="quota", object_id=quota.pk)
    ).select_related("user")[:limit]
    entries = []
    for c in changes:
        before, after = (c.changes.get("amount") or [None, None])[:2]
        entries.append(
            TrailEntry(
                at=c.at,
                user=c.user,
                label=c.label,
                before=None if before is None else words.amount(before),
                after=None if after is None else words.amount(after),
                note=c.note,
            )
        )
    return entries

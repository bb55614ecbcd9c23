"""Roll-ups: the sales plan's figures by rep, team, tier, product line or channel, as
the manager's team board, the executive's company view and ``/api/v1/rollups/`` show
them, and the list behind every figure (``rollup_drill``).

Per row: quota (reps and teams from their Quota; tiers, product lines and channels from
the territory plans' revenue objectives of that dimension, since quotas are not set by
tier), account goals, revenue objectives, won so far in the period (the sales roll-up),
forecast (``salesplan.forecasting.period_forecast``), open pipeline closing in the
period, coverage = pipeline / what is left to win, and the account plans' count,
average health, oldest confirmation, overdue actions and investments waiting.

Each measure is one query grouped by the row's key (the same path the drill-down filters
by, so a figure is always the sum or count of its list), over what the user sees
(``visible_to``): a fixed number of queries whatever the number of reps. Won so far, the
forecast and the open pipeline are the exception: each account's amounts of the period
come from ``salesplan.period_arrays`` (cached by sales version, computed in the
background) and are summed here by the same path, read live — the drill-down still
lists them from the data, account by account or deal by deal."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from keyplan.salesplan.choices import Channel, ObjectiveKind, QuotaLevel
from keyplan.salesplan.period_arrays import (
    PENDING_NOTE,
    account_keys,
    goal_sums,
    grouped,
    period_arrays,
)
from keyplan.salesplan.period_arrays import forecast_note as period_forecast_note
from keyplan.salesplan.periods import Period

BY = ("rep", "team", "tier", "product_line", "channel")
BY_LABELS = {
    "rep": "Rep",
    "team": "Team",
    "tier": "Tier",
    "product_line": "Product line",
    "channel": "Channel",
}
MEASURES = (
    "quota",
    "reps_quota",
    "goals",
    "objectives",
    "won",
    "forecast",
    "pipeline",
    "plans",
    "overdue",
    "investments",
)
MEASURE_LABELS = {
    "quota": "Quota",
    "reps_quota": "Reps' quotas",
    "goals": "Account goals",
    "objectives": "Revenue objectives",
    "won": "Won so far",
    "forecast": "Forecast",
    "pipeline": "Open pipeline closing in the period",
    "plans": "Account plans",
    "overdue": "Overdue actions",
    "investments": "Investments waiting for a decision",
}
COVERAGE_WANTED = Decimal("2.5")
STALE_DAYS = 60
NONE_KEY = "none"
ZERO = Decimal(0)
TIERS = ("A", "B", "C")

# The revenue objectives each dimension reads: a territory plan's split by tier is its
# revenue total (salesplan.choices.ObjectiveKind), so rep and team rows read that one.
OBJECTIVE_KIND = {
    "rep": ObjectiveKind.REVENUE_TIER,
    "team": ObjectiveKind.REVENUE_TIER,
    "tier": ObjectiveKind.REVENUE_TIER,
    "product_line": ObjectiveKind.REVENUE_LINE,
    "channel": ObjectiveKind.REVENUE_CHANNEL,
}

# From each source to the row's key, per dimension. None: that source is not kept by the
# dimension (an account goal has no product line; no sale records its channel), and the
# figure is shown as not kept, never as zero.
PATHS = {
    "rep": {
        "quota": "rep_id",
        "goal": "rep_id",
        "objective": "plan__rep_id",
        "sale": "account__owner_id",
        "opportunity": "account__owner_id",
        "account": "owner_id",
        "plan": "owner_id",
    },
    "team": {
        "quota": "team_id",
        "reps_quota": "rep__team_id",
        "goal": "rep__team_id",
        "objective": "plan__rep__team_id",
        "sale": "account__owner__team_id",
        "opportunity": "account__owner__team_id",
        "account": "owner__team_id",
        "plan": "owner__team_id",
    },
    "tier": {
        "goal": "account__tier__tier",
        "objective": "dimension",
        "sale": "account__tier__tier",
        "opportunity": "account__tier__tier",
        "account": "tier__tier",
        "plan": "account__tier__tier",
    },
    "product_line": {
        "objective": "product_line_id",
        "sale": "product__product_line_id",
        "opportunity": "product__product_line_id",
    },
    "channel": {"objective": "dimension"},
}


class RollupError(ValueError):
    """A roll-up asked for by something that is not a dimension or a measure: the message
    names the value and what is expected, as the API's parameters (``by=product_line``);
    ``in_words`` says the same for a page, in the words the page shows."""

    def __init__(self, message: str, *, in_words: str = ""):
        super().__init__(message)
        self.in_words = in_words or message


def _one_of(labels) -> str:
    """["Rep", "Team", "Tier"] → "rep, team or tier"."""
    labels = [label[:1].lower() + label[1:] for label in labels]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def parse_by(value) -> str:
    value = (value or "rep").strip()
    if value not in BY:
        raise RollupError(
            f"“{value}” is not a roll-up: choose by={', '.join(BY)} (rep is the default).",
            in_words=f"“{value}” is not a roll-up: choose by "
            f"{_one_of([BY_LABELS[b] for b in BY])}.",
        )
    return value


def at_risk_health() -> int:
    """Health below this is at risk. Health is scored 0-100 and called poor below 40
    (plans.health.Health.band): the default matches that band."""
    return int(getattr(settings, "KEYPLAN_AT_RISK_HEALTH", 40))


@dataclass
class Row:
    key: str
    label: str
    quota: Decimal | None = None
    reps_quota: Decimal | None = None
    goals: Decimal | None = None
    objectives: Decimal | None = None
    won: Decimal | None = None
    forecast: Decimal | None = None
    pipeline: Decimal | None = None
    plans: int | None = None
    health: int | None = None  # average over the plans, rounded
    confirmed: datetime.datetime | None = None  # the oldest last confirmation
    never_confirmed: int = 0  # plans nobody has confirmed (older than any date)
    overdue: int | None = None
    investments: int | None = None
    territory_plan: object = None  # rep rows: the rep's territory plan of the year
    person: object = None  # rep rows: the user; team rows: the team
    healths: list = field(default_factory=list, repr=False)

    @property
    def left_to_win(self) -> Decimal | None:
        if self.quota is None:
            return None
        return max(self.quota - (self.won or ZERO), ZERO)

    @property
    def coverage(self) -> Decimal | None:
        """Open pipeline over what is left to win; None when nothing is left (or no
        quota): "—", not infinity."""
        left = self.left_to_win
        if not left or self.pipeline is None:
            return None
        return (self.pipeline / left).quantize(Decimal("0.1"))

    @property
    def coverage_text(self) -> str:
        return "—" if self.coverage is None else f"{self.coverage}×"

    @property
    def over_assigned(self) -> Decimal | None:
        """Team rows: how much the reps' quotas exceed the team's (negative: short)."""
        if self.quota is None or self.reps_quota is None:
            return None
        return self.reps_quota - self.quota

    @property
    def shortfall(self) -> Decimal | None:
        """Team rows: how much the reps' quotas fall short of the team's."""
        over = self.over_assigned
        return None if over is None else -over

    def flags(self, today: datetime.date | None = None) -> list[str]:
        """Why this row is at risk, in words (empty: not at risk)."""
        today = today or timezone.localdate()
        out = []
        cov = self.coverage
        if cov is not None and cov < COVERAGE_WANTED:
            out.append(f"coverage {cov}× is below {COVERAGE_WANTED}×")
        elif self.left_to_win and self.pipeline is not None and not self.pipeline:
            out.append("no open pipeline for what is left to win")
        if self.health is not None and self.health < at_risk_health():
            out.append(f"plans' health {self.health} is below {at_risk_health()}")
        if self.never_confirmed:
            out.append(
                f"{self.never_confirmed} plan{'s' if self.never_confirmed != 1 else ''} "
                "never confirmed"
            )
        elif self.confirmed is not None:
            days = (today - timezone.localtime(self.confirmed).date()).days
            if days > STALE_DAYS:
                out.append(f"a plan not confirmed for {days} days")
        if self.overdue:
            out.append(f"{self.overdue} overdue action{'s' if self.overdue != 1 else ''}")
        return out


@dataclass
class Rollup:
    by: str
    period: Period
    rows: list[Row]
    total: Row
    kept: set  # measures this dimension keeps (others are shown as not kept)
    forecast_note: str = ""  # why the forecast column is empty, when it is
    pending_note: str = ""  # won and pipeline not computed yet (salesplan.period_arrays)
    company_quota: Decimal | None = None  # for those who see the company's number
    left_out: list = field(default_factory=list)  # people_only: others' rows not shown

    @property
    def label(self) -> str:
        return BY_LABELS[self.by]


def kept_measures(by: str) -> set[str]:
    paths = PATHS[by]
    kept = {"quota", "objectives"}
    if by == "team":
        kept.add("reps_quota")
    if "goal" in paths:
        kept.add("goals")
    if "sale" in paths:
        kept.add("won")
    if "opportunity" in paths:
        kept.add("pipeline")
    if "account" in paths:
        kept.add("forecast")
    if "plan" in paths:
        kept |= {"plans", "overdue", "investments"}
    return kept


# -- the sources: one queryset per measure, what the user sees ------------------------


def _today(today):
    return today or timezone.localdate()


def _quotas(user, period, level):
    from keyplan.salesplan.models import Quota

    return Quota.objects.visible_to(user).filter(
        level=level, fiscal_year=period.fiscal_year, quarter=period.quarter
    )


def _goals(user, period):
    from keyplan.salesplan.models import AccountGoal

    return AccountGoal.objects.visible_to(user).filter(
        fiscal_year=period.fiscal_year, quarter=period.quarter
    )


def _objectives(user, period, by):
    from keyplan.salesplan.models import TerritoryObjective

    qs = TerritoryObjective.objects.visible_to(user).filter(
        kind=OBJECTIVE_KIND[by], plan__fiscal_year=period.fiscal_year
    )
    # Territory plans are yearly: their objectives are the year's, not a quarter's.
    return qs if not period.quarter else qs.none()


def _sales(user, period, today):
    from keyplan.sales.models import SalesMonth

    return SalesMonth.objects.visible_to(user).filter(
        month__gte=period.start, month__lte=min(period.end, _today(today))
    )


def _pipeline(user, period):
    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity

    return Opportunity.objects.visible_to(user).filter(
        status=OpportunityStatus.OPEN,
        close_date__gte=period.start,
        close_date__lte=period.end,
        amount__isnull=False,
    )


def plans_in(user, period):
    """The account plans of the period the user sees: not archived, running during it."""
    from keyplan.plans.choices import PlanStatus
    from keyplan.plans.models import AccountPlan

    return (
        AccountPlan.objects.visible_to(user)
        .exclude(status=PlanStatus.ARCHIVED)
        .filter(period_start__lte=period.end, period_end__gte=period.start)
    )


def _overdue(user, period, today):
    from keyplan.plans.choices import OPEN_ACTION_STATUSES
    from keyplan.plans.models import Action

    return Action.objects.filter(
        plan__in=plans_in(user, period),
        status__in=OPEN_ACTION_STATUSES,
        due_date__lt=_today(today),
    )


def _investments(user, period):
    from keyplan.plans.choices import InvestmentStatus
    from keyplan.plans.models import InvestmentCase

    return InvestmentCase.objects.filter(
        idea__plan__in=plans_in(user, period),
        status=InvestmentStatus.SUBMITTED,
        decided_at__isnull=True,
    )


def _grouped(qs, path: str, value: str | None = None):
    """{key: sum of ``value`` (or count)} over ``qs`` grouped by ``path``: one query."""
    agg = Sum(value) if value else Count("pk")
    return {
        _key(k): v or ZERO
        for k, v in qs.order_by().values_list(path).annotate(v=agg).values_list(path, "v")
    }


def _key(value) -> str:
    return NONE_KEY if value in (None, "") else str(value)


def _filter(path: str, key: str) -> Q:
    if key == NONE_KEY:
        return Q(**{f"{path}__isnull": True}) | (
            Q(**{path: ""}) if not path.endswith("_id") else Q(pk__in=[])
        )
    return Q(**{path: key})


def forecast_result():
    """The territory's cached forecast, or None while it is not computed (it is computed
    in the background after the sales change, never by a page)."""
    try:
        from keyplan.forecast.selectors import DEFAULT_HORIZON, cached_result
    except ImportError:  # pragma: no cover - the forecast app is part of keyplan
        return None
    return cached_result(DEFAULT_HORIZON)


# -- the roll-up --------------------------------------------------------------------


def rollup(
    *, user, period: Period, by: str = "rep", today=None, people_only: bool = False
) -> Rollup:
    """The figures of ``period`` by ``by`` over what ``user`` sees (see the module).

    ``people_only`` (by rep, the team board): only the user's people — not the owners of
    accounts they see because their people work on them in another team, nor the user
    themselves unless they carry a quota — and the total is theirs; the others' names are
    in ``left_out``."""
    from keyplan.people.scope import scope_for

    by = parse_by(by)
    today = _today(today)
    paths = PATHS[by]
    kept = kept_measures(by)
    figures: dict[str, dict] = {}
    if by in ("rep", "team"):
        level = QuotaLevel.REP if by == "rep" else QuotaLevel.TEAM
        figures["quota"] = _grouped(_quotas(user, period, level), paths["quota"], "amount")
    if by == "team":
        figures["reps_quota"] = _grouped(
            _quotas(user, period, QuotaLevel.REP), paths["reps_quota"], "amount"
        )
    figures["objectives"] = _grouped(_objectives(user, period, by), paths["objective"], "target")
    if by not in ("rep", "team"):
        # Quotas are not set by tier, product line or channel: the objectives stand in.
        figures["quota"] = figures["objectives"]
    # By tier the goals, won, pipeline and forecast all group through the accounts' keys
    # (one live query of who the accounts belong to), not a join per measure.
    mapping = account_keys(user, paths["account"]) if by == "tier" else None
    if "goals" in kept:
        if mapping is not None:
            figures["goals"] = goal_sums(mapping, period)
        else:
            figures["goals"] = _grouped(_goals(user, period), paths["goal"], "amount")
    forecast_note = pending_note = ""
    if kept & {"won", "pipeline", "forecast"}:
        # Per account, cached by sales version; grouped by who the accounts belong to now.
        arrays = period_arrays(period, today)
        if arrays is None:
            pending_note = PENDING_NOTE
            forecast_note = PENDING_NOTE
        else:
            sums = grouped(arrays, user=user, by=by, path=paths.get("account"), mapping=mapping)
            for measure in ("won", "pipeline", "forecast"):
                if measure in kept and measure in sums:
                    figures[measure] = sums[measure]
            if "forecast" in kept and "forecast" not in sums:
                forecast_note = period_forecast_note(arrays)
    plan_rows = []
    if "plans" in kept:
        plan_rows = list(
            plans_in(user, period).values_list("pk", paths["plan"], "confirmed_at", "activated_at")
        )
        figures["overdue"] = _grouped(_overdue(user, period, today), f"plan__{paths['plan']}")
        figures["investments"] = _grouped(
            _investments(user, period), f"idea__plan__{paths['plan']}"
        )
    rows = _rows(user, by, period, figures, plan_rows)
    if plan_rows:
        _add_plan_health(rows, plan_rows, today)
    if by == "rep":
        _add_territory_plans(user, period, rows)
    for row in rows.values():
        for measure in MEASURES:
            if measure in figures:
                value = figures[measure].get(row.key, ZERO if measure not in ("quota",) else None)
                if measure in ("overdue", "investments") and value is not None:
                    value = int(value)
                setattr(row, measure, value)
        if "plans" in kept and row.plans is None:
            row.plans = 0
    ordered = sorted(rows.values(), key=lambda r: (r.key == NONE_KEY, r.label.lower(), r.key))
    left_out = []
    if people_only and by == "rep":
        scope = scope_for(user)

        def theirs(row) -> bool:
            if row.person is None:
                return scope.everything
            if row.person.pk == user.pk:
                return row.quota is not None
            return scope.everything or row.person.pk in scope.user_ids

        left_out = [r.label for r in ordered if not theirs(r) and r.person is not None]
        ordered = [r for r in ordered if theirs(r)]
    company = None
    if scope_for(user).everything:
        from keyplan.salesplan.models import Quota

        company = (
            Quota.objects.filter(
                level=QuotaLevel.COMPANY, fiscal_year=period.fiscal_year, quarter=period.quarter
            )
            .values_list("amount", flat=True)
            .first()
        )
    return Rollup(
        by=by,
        period=period,
        rows=ordered,
        total=_total(ordered, figures, kept),
        kept=kept,
        forecast_note=forecast_note,
        pending_note=pending_note,
        company_quota=company,
        left_out=left_out,
    )


def _rows(user, by, period, figures, plan_rows) -> dict[str, Row]:
    """One row per rep / team / tier / line / channel the user sees, and one per key any
    figure names (an account without an owner: "No owner")."""
    from keyplan.catalog.models import ProductLine
    from keyplan.people.choices import Role
    from keyplan.people.models import Team, User
    from keyplan.people.scope import scope_for

    keys = {k for values in figures.values() for k in values}
    keys |= {_key(r[1]) for r in plan_rows}
    scope = scope_for(user)
    rows: dict[str, Row] = {}
    if by == "rep":
        people = User.objects.filter(is_active=True, role=Role.REP)
        if not scope.everything:
            people = people.filter(pk__in=scope.user_ids)
        wanted = Q(pk__in=people.values("pk")) | Q(pk__in=[int(k) for k in keys if k != NONE_KEY])
        for person in User.objects.filter(wanted).select_related("team"):
            rows[str(person.pk)] = Row(str(person.pk), str(person), person=person)
        label = "No owner"
    elif by == "team":
        teams = Team.objects.all()
        if not scope.everything:
            teams = teams.filter(
                Q(manager_id__in=scope.user_ids) | Q(pk__in=[int(k) for k in keys if k != NONE_KEY])
            )
        for team in teams.select_related("manager"):
            rows[str(team.pk)] = Row(str(team.pk), team.name, person=team)
        label = "No team"
    elif by == "tier":
        for tier in TIERS:
            rows[tier] = Row(tier, f"Tier {tier}")
        label = "No tier"
    elif by == "product_line":
        lines = ProductLine.objects.filter(
            Q(pk__in=[int(k) for k in keys if k != NONE_KEY]) | Q(is_core=True)
        )
        for line in lines:
            rows[str(line.pk)] = Row(str(line.pk), line.name)
        label = "No product line"
    else:
        for value, text in Channel.choices:
            rows[value] = Row(value, str(text))
        label = "No channel"
    for k in keys:
        if k not in rows:
            rows[k] = Row(k, label if k == NONE_KEY else k)
    return rows


def _add_plan_health(rows, plan_rows, today):
    from keyplan.plans.models import AccountPlan
    from keyplan.salesplan.leaders.health import plan_healths

    healths = plan_healths(
        AccountPlan.objects.filter(pk__in=[r[0] for r in plan_rows]), today=today
    )
    for pk, key, confirmed_at, activated_at in plan_rows:
        row = rows[_key(key)]
        row.plans = (row.plans or 0) + 1
        row.healths.append(healths[pk].score)
        last = max((d for d in (confirmed_at, activated_at) if d is not None), default=None)
        if last is None:
            row.never_confirmed += 1
        elif row.confirmed is None or last < row.confirmed:
            row.confirmed = last
    for row in rows.values():
        if row.healths:
            row.health = round(sum(row.healths) / len(row.healths))


def _add_territory_plans(user, period, rows):
    from keyplan.salesplan.models import TerritoryPlan
    from keyplan.salesplan.territory.steps import reached_words, step_states

    plans = list(
        TerritoryPlan.objects.visible_to(user).filter(
            fiscal_year=period.fiscal_year, rep_id__in=[int(k) for k in rows if k != NONE_KEY]
        )
    )
    states = step_states(plans)  # three queries for all of them
    for plan in plans:
        plan.step_words = reached_words(states[plan.pk])
        rows[str(plan.rep_id)].territory_plan = plan


def _total(rows, figures, kept) -> Row:
    total = Row("total", "Total")
    for measure in MEASURES:
        if measure in figures:
            values = [getattr(r, measure) for r in rows if getattr(r, measure) is not None]
            total_value = sum(values, ZERO) if values else None
            if measure in ("overdue", "investments") and total_value is not None:
                total_value = int(total_value)
            setattr(total, measure, total_value)
    if "plans" in kept:
        total.plans = sum(r.plans or 0 for r in rows)
        total.healths = [h for r in rows for h in r.healths]
        total.health = round(sum(total.healths) / len(total.healths)) if total.healths else None
        total.never_confirmed = sum(r.never_confirmed for r in rows)
        dates = [r.confirmed for r in rows if r.confirmed is not None]
        total.confirmed = min(dates) if dates else None
    return total


# -- the list behind each figure: salesplan.leaders.drill --------------------------


def parse_measure(value) -> str:
    value = (value or "").strip()
    if value not in MEASURES:
        follow = "open the list behind a figure from its link on the team board or the company view"
        raise RollupError(
            f"“{value}” is not a figure: choose one of {', '.join(MEASURES)}.",
            in_words=f"“{value}” is not a figure: choose one of "
            f"{_one_of([MEASURE_LABELS[m] for m in MEASURES])}; {follow}."
            if value
            else f"No figure was asked for: {follow}.",
        )
    return value


def rollup_drill(*, user, period: Period, by: str, key: str, measure: str, today=None):
    """The rows behind one figure of ``rollup`` (its total is the figure); see
    ``salesplan.leaders.drill``."""
    from keyplan.salesplan.leaders.drill import rollup_drill as drill

    return drill(user=user, period=period, by=by, key=key, measure=measure, today=today)

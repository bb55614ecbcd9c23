"""The executive's company view beside the roll-ups: the plans at risk (each with its
reasons in words), the investments approved against the return their ideas promised,
and this quarter against the last (won, new pipeline, forecast), computed from the data
each time, never stored."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from keyplan.core import words
from keyplan.salesplan.periods import Period
from keyplan.salesplan.rollups import (
    COVERAGE_WANTED,
    STALE_DAYS,
    ZERO,
    at_risk_health,
    plans_in,
)


@dataclass
class AtRisk:
    plan: object
    health: int
    coverage: Decimal | None
    confirmed: datetime.datetime | None
    reasons: list[str]


def at_risk_plans(*, user, period: Period, today=None) -> list[AtRisk]:
    """Plans of the period the user sees with health below ``KEYPLAN_AT_RISK_HEALTH``,
    pipeline coverage below 2.5× their revenue goal, or not confirmed current for 60
    days; worst health first."""
    from keyplan.plans.health import last_confirmed
    from keyplan.salesplan.leaders.health import plan_healths

    today = today or timezone.localdate()
    plans = list(plans_in(user, period).select_related("account", "owner"))
    healths = plan_healths(plans, today=today)
    threshold = at_risk_health()
    out = []
    for plan in plans:
        health = healths[plan.pk]
        reasons = []
        if health.score < threshold:
            reasons.append(f"health {health.score} is below {threshold}")
        gauge = health.coverage.revenue
        ratio = gauge.ratio if gauge else None
        if ratio is None:
            reasons.append("no revenue goal to measure coverage against")
        elif gauge.pipeline < COVERAGE_WANTED * gauge.goal:
            reasons.append(f"coverage {ratio}× is below {COVERAGE_WANTED}×")
        confirmed = last_confirmed(plan)
        if confirmed is None:
            reasons.append("never confirmed current")
        else:
            days = (today - timezone.localtime(confirmed).date()).days
            if days > STALE_DAYS:
                reasons.append(f"not confirmed for {days} days")
        if reasons:
            out.append(AtRisk(plan, health.score, ratio, confirmed, reasons))
    out.sort(key=lambda r: (r.health, r.plan.account.name, r.plan.pk))
    return out


@dataclass
class Approved:
    case: object
    our_cost: Decimal
    promised: Decimal  # the idea's estimated annual value
    expected_return: Decimal  # what the case itself expects back
    won: Decimal  # what the idea's opportunity has brought, once won

    @property
    def multiple(self) -> Decimal | None:
        """What the idea promised per unit of our cost."""
        return (self.promised / self.our_cost).quantize(Decimal("0.1")) if self.our_cost else None


def approved_investments(*, user, period: Period) -> list[Approved]:
    """Investment cases approved in the period's plans, each against the annual value
    its idea promised and what it has won so far (one query)."""
    from keyplan.plans.choices import InvestmentStatus
    from keyplan.plans.models import InvestmentCase
    from keyplan.sales.choices import OpportunityStatus

    out = []
    for case in (
        InvestmentCase.objects.filter(
            idea__plan__in=plans_in(user, period), status=InvestmentStatus.APPROVED
        )
        .select_related("idea__plan__account", "idea__opportunity", "decided_by")
        .order_by("-decided_at", "pk")
    ):
        opp = case.idea.opportunity
        won = (
            opp.amount
            if opp is not None and opp.status == OpportunityStatus.WON and opp.amount
            else ZERO
        )
        out.append(
            Approved(
                case=case,
                our_cost=case.our_cost,
                promised=case.idea.annual_value,
                expected_return=case.expected_return,
                won=won,
            )
        )
    return out


@dataclass
class Movement:
    label: str
    this: Decimal | None
    last: Decimal | None
    note: str = ""

    @property
    def change(self) -> Decimal | None:
        if self.this is None or self.last is None:
            return None
        return self.this - self.last

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "—"
        sign = "+" if change > 0 else "−" if change < 0 else "±"
        # No-break spaces: the change stays on one line in its cell, as amounts do.
        text = f"{sign}{words.estimate(abs(change))}".replace(" ", "\u00a0")
        if self.last:
            text += f"\u00a0({sign}{abs(change) * 100 / self.last:.0f}%)"
        return text


def quarter_movement(*, user, today=None) -> tuple[Period, Period, list[Movement]]:
    """This quarter against the last: won so far, new pipeline (deals created in the
    quarter) and the forecast, over what the user sees.

    Cached like the territory's analyses (``territory.analysis.cache``): per user's view
    of the accounts, day and version of the sales roll-up, which every write to sales and
    opportunities moves on — the sums read millions of roll-up rows on a large
    territory, and the executive's home shows them on each visit."""
    from keyplan.salesplan.period_arrays import forecast_computing, period_arrays
    from keyplan.salesplan.rollups import forecast_result
    from keyplan.territory.analysis.cache import cached

    today = today or timezone.localdate()
    this = Period.containing(today, quarter=True)
    last = this.previous
    result = forecast_result()
    # Won and the forecast per account of both quarters, as the roll-ups read them (never
    # summed over the territory here: on a large one the worker computes them).
    arrays = {p: period_arrays(p, today) for p in (this, last)}
    params = {
        "today": today.isoformat(),
        "quarter": this.start.isoformat(),
        # The forecast is computed after the sales change: once it is, the row shows it.
        "forecast": result is not None,
        # Queued after a sales import: the row says it is on its way (then shows it).
        "forecast_computing": result is None and forecast_computing(),
        "arrays": all(a is not None for a in arrays.values()),
    }
    rows = cached(
        "quarter_movement",
        user,
        params,
        lambda: _movement(user, this, last, today, result, arrays),
    )
    return this, last, rows


def _movement(user, this, last, today, result, arrays) -> list[Movement]:
    from keyplan.sales.models import Opportunity
    from keyplan.salesplan.period_arrays import PENDING_NOTE, forecast_note, visible_totals

    pending = any(a is None for a in arrays.values())
    totals = {} if pending else {p: visible_totals(a, user) for p, a in arrays.items()}

    def created(p):
        return (
            Opportunity.objects.visible_to(user)
            .filter(
                created_date__gte=p.start, created_date__lte=min(p.end, today), amount__isnull=False
            )
            .aggregate(s=Sum("amount"))["s"]
            or ZERO
        )

    won_note = f"{this.name} so far against all of {last.name}"
    if pending:
        rows = [Movement("Won", None, None, f"{won_note}: {PENDING_NOTE}")]
    else:
        rows = [Movement("Won", totals[this]["won"], totals[last]["won"], won_note)]
    rows.append(Movement("New pipeline (deals created)", created(this), created(last)))
    if pending:
        # The sentence once, on the Won row above: not again on this one.
        rows.append(Movement("Forecast", None, None, "being computed too (see Won)"))
    elif totals[this]["forecast"] is None:
        rows.append(Movement("Forecast", None, None, forecast_note(arrays[this])))
    else:
        rows.append(
            Movement(
                "Forecast",
                totals[this]["forecast"],
                totals[last]["forecast"],
                "booked and expected; last quarter's is what it booked",
            )
        )
    return rows

"""The open pipeline, weighted by how often the territory's deals are actually won, and
plan ideas by their confidence — both shown beside the forecast from history, never
added into it (a deal may be the same revenue the history already expects).

**Win rates by stage** are learned from the territory's closed deals (over the
``LOOKBACK_DAYS`` before the forecast starts), in this order for each stage:

1. **From the deals' stage history** (``forecast.stages``): among the closed deals whose
   history shows they reached the stage, the share won, shrunk toward the overall rate —
   ``(won + K × overall) ÷ (reached + K)`` — so a stage few deals reached stays near the
   overall rate ("won 18 of 40 deals that reached Proposal in the last two years").
2. Where closed deals carry the stage they were closed from (a CRM export that keeps it,
   under a stage name that is not a closing one), from those, shrunk the same way.
3. Otherwise (no history for the stage; a closed deal's own stage is a closing one, "Closed
   Won"): each stage keeps the CRM's probability *relative to the others*, scaled so the
   open pipeline (deals with an amount) converts at the territory's own win rate —
   ``stated × overall ÷ average stated``, at most 100%. Without any closed deal, the CRM's
   own probability is used, and said so.

**Placement**: a deal's weighted amount falls in the month of its expected close date;
an overdue deal (close date already past) in the first forecast month; a deal closing
after the horizon is left out and counted apart; a deal without an amount or a close
date is listed, not counted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity

SHRINK_DEALS = 20  # closed deals at a stage that weigh as much as the overall rate
LOOKBACK_DAYS = 730


@dataclass
class StageRate:
    stage: str
    rate: float  # 0..1
    won: int
    closed: int
    basis: str  # in words
    source: str = "closed from"  # "history": learned from the deals that reached it


@dataclass
class WinRates:
    overall: float | None
    won: int
    closed: int
    stated: float | None = None  # average CRM probability of the open deals with an amount
    stages: dict[str, StageRate] = field(default_factory=dict)
    with_history: int = 0  # closed deals with a recorded stage history

    def rate(self, stage: str, stated: int) -> tuple[float, str]:
        if stage in self.stages:
            return self.stages[stage].rate, self.stages[stage].basis
        if self.overall is None:
            return stated / 100, "the CRM's probability (no closed deals to learn from)"
        if not self.stated:
            return self.overall, f"the territory's win rate, {self.overall:.0%}"
        rate = min(1.0, stated / 100 * self.overall / self.stated)
        return rate, (
            f"the CRM's {stated}% scaled so the pipeline converts at the territory's win "
            f"rate, {self.overall:.0%} of {self.closed:,} closed deals"
        )


def win_rates(since: datetime.date, until: datetime.date) -> WinRates:
    """One aggregate query: closed deals per stage and status in [since, until]."""
    rows = (
        Opportunity.objects.filter(
            status__in=(OpportunityStatus.WON, OpportunityStatus.LOST),
            close_date__gte=since,
            close_date__lte=until,
        )
        .order_by()
        .values("stage")
        .annotate(won=Count("pk", filter=Q(status=OpportunityStatus.WON)), closed=Count("pk"))
    )
    by_stage = {r["stage"]: (r["won"], r["closed"]) for r in rows}
    won = sum(w for w, _c in by_stage.values())
    closed = sum(c for _w, c in by_stage.values())
    result = WinRates(overall=won / closed if closed else None, won=won, closed=closed)
    if result.overall is None:
        return result
    stated = Opportunity.objects.filter(
        status=OpportunityStatus.OPEN, amount__isnull=False
    ).aggregate(p=Avg("probability"))["p"]
    result.stated = None if stated is None else float(stated) / 100
    closing = closing_stage_names()
    for stage, (w, c) in by_stage.items():
        if stage.strip().lower() in closing:
            continue
        rate = (w + SHRINK_DEALS * result.overall) / (c + SHRINK_DEALS)
        result.stages[stage] = StageRate(
            stage,
            rate,
            w,
            c,
            f"{w:,} of {c:,} deals closed from this stage won, "
            f"shrunk toward the territory's {result.overall:.0%}",
        )
    # The stage history speaks for every stage a closed deal reached, not just the one
    # it closed from: it takes precedence.
    from keyplan.forecast.stages import closed_with_history, period_words, reached_by_stage

    when = period_words(since, until)
    for stage, (w, c) in reached_by_stage(since, until).items():
        if stage.strip().lower() in closing:
            continue
        rate = (w + SHRINK_DEALS * result.overall) / (c + SHRINK_DEALS)
        result.stages[stage] = StageRate(
            stage,
            rate,
            w,
            c,
            f"won {w:,} of {c:,} deals that reached {stage} {when}, shrunk toward the "
            f"territory's {result.overall:.0%}",
            source="history",
        )
    if result.stages:
        result.with_history = closed_with_history(since, until)
    return result


def closing_stage_names() -> set[str]:
    from keyplan.imports.kinds.opportunities import LOST_NAMES, WON_NAMES
    from keyplan.sales.choices import Stage

    names = {Stage.CLOSED_WON.value.lower(), Stage.CLOSED_LOST.value.lower()}
    return names | {n.lower() for n in WON_NAMES} | {n.lower() for n in LOST_NAMES}


@dataclass
class Deal:
    pk: int
    account_id: int
    name: str
    stage: str
    amount: float | None  # cents
    close_date: datetime.date | None
    rate: float
    basis: str
    month: int | None  # index into the forecast months; None: not counted
    why_not: str = ""  # why it is not counted
    stated: int = 0  # the CRM's probability, percent

    @property
    def weighted(self) -> float:
        return 0.0 if self.amount is None or self.month is None else self.amount * self.rate


def open_deals(account_ids, months: list[datetime.date], rates: WinRates) -> list[Deal]:
    """Open deals of ``account_ids`` (ids or a subquery of them; None: every account),
    each weighted and placed."""
    qs = Opportunity.objects.filter(status=OpportunityStatus.OPEN)
    if account_ids is not None:
        qs = qs.filter(account_id__in=account_ids)
    deals = []
    first = months[0] if months else None
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    for pk, account_id, name, stage, amount, close, probability in qs.order_by(
        "close_date", "pk"
    ).values_list("pk", "account_id", "name", "stage", "amount", "close_date", "probability"):
        rate, basis = rates.rate(stage, probability)
        cents = None if amount is None else float(amount) * 100
        month, why = None, ""
        if amount is None:
            why = "no amount yet"
        elif close is None:
            why = "no close date yet"
        elif first is not None and close < first:
            month = 0  # overdue: expected as soon as possible
        elif (close.year, close.month) in index:
            month = index[(close.year, close.month)]
        else:
            why = "closes after the forecast's horizon"
        deals.append(
            Deal(pk, account_id, name, stage, cents, close, rate, basis, month, why, probability)
        )
    return deals


def pipeline_by_account(deals: list[Deal], horizon: int) -> dict[int, list[float]]:
    out: dict[int, list[float]] = defaultdict(lambda: [0.0] * horizon)
    for d in deals:
        if d.month is not None and d.amount is not None:
            out[d.account_id][d.month] += d.weighted
    return out

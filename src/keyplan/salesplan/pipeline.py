"""Brock's pipeline math: how many qualified opportunities a goal still needs.

    opportunities needed = (goal − what the period is expected to bring)
                           ÷ (win rate × average deal size)

What the period is expected to bring (``forecasting.period_forecast``) already holds the
sales booked in it, so the wins of the period so far count toward the goal.

The **win rate** (won ÷ (won + lost)) and the **deal size** (the mean amount of the deals
won) are learned from closed opportunities of the last ``LOOKBACK_DAYS``, the closest
that has enough history, in this order:

1. the rep's own deals in the product line, when they closed at least ``MIN_CLOSED``
   there (and won at least one: a deal size needs a won deal);
2. the rep's own deals, all lines;
3. the territory's deals in the product line, then all of the territory's.

A deal is the rep's when they own it, or — when the CRM names no owner — when they own
its account. Its product line is that of its product (a deal without a product counts
only in the overall rates). Without any closed deal anywhere there is no rate and the
math says so instead of giving a number."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

MIN_CLOSED = 10  # closed deals a rep needs (in a line, or overall) for rates of their own
LOOKBACK_DAYS = 730

ZERO = Decimal(0)


@dataclass(frozen=True)
class Rates:
    """The win rate and deal size the math uses, and whose history they come from."""

    win_rate: float | None  # 0..1; None: no closed deal to learn from
    deal_size: Decimal | None
    closed: int  # closed deals they were learned from
    won: int = 0
    source: str = "none"  # rep_line, rep, territory_line, territory, none
    line_name: str = ""
    team: bool = False  # learned from several reps: "the team's", not "your"

    @property
    def known(self) -> bool:
        return bool(self.win_rate) and bool(self.deal_size)

    @property
    def whose(self) -> str:
        if self.source.startswith("territory"):
            return "the territory's"
        return "the team's" if self.team else "your"

    @property
    def words(self) -> str:
        """ "your win rate in Cloud, 40% (4 of 10 deals closed in the last 24 months),
        and average deal of 48,000 USD"."""
        from keyplan.core import words

        if self.win_rate is None:
            return "no closed deal in the last 24 months to learn a win rate from"
        line = f" in {self.line_name}" if self.source.endswith("_line") else ""
        return (
            f"{self.whose} win rate{line}, {self.win_rate:.0%} ({self.won:,} of "
            f"{words.plural(self.closed, 'deal')} closed in the last 24 months), and "
            f"{self.whose} average deal won{line}, {words.amount(self.deal_size)}"
        )


def _closed_rows(since: datetime.date, until: datetime.date):
    """One grouped query: per (rep, product line), closed, won and the amount won."""
    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity

    won = Q(status=OpportunityStatus.WON)
    return (
        Opportunity.objects.filter(
            status__in=(OpportunityStatus.WON, OpportunityStatus.LOST),
            close_date__gte=since,
            close_date__lte=until,
        )
        .order_by()
        .annotate(rep_id=Coalesce("owner_id", "account__owner_id"))
        .values("rep_id", "product__product_line_id")
        .annotate(
            closed=Count("pk"),
            won=Count("pk", filter=won),
            won_amount=Sum("amount", filter=won),
        )
        .values_list("rep_id", "product__product_line_id", "closed", "won", "won_amount")
    )


def rates(
    *,
    rep_ids,
    product_line_id: int | None = None,
    today: datetime.date | None = None,
    rows=None,
) -> Rates:
    """The rates for ``rep_ids`` (one rep, or a team's), by the order in the module's
    docstring. ``rows``: ``closed_history()`` when the caller asks for many reps or lines
    (one query for all of them)."""
    from django.utils import timezone

    rep_ids = set(rep_ids)
    if rows is None:
        rows = closed_history(today=today or timezone.localdate())
    # [closed, won, amount won] per level
    levels = defaultdict(lambda: [0, 0, ZERO])
    for rep_id, line_id, closed, won, amount in rows:
        keys = ["territory"]
        if line_id is not None and line_id == product_line_id:
            keys.append("territory_line")
        if rep_id in rep_ids:
            keys.append("rep")
            if line_id is not None and line_id == product_line_id:
                keys.append("rep_line")
        for key in keys:
            level = levels[key]
            level[0] += closed
            level[1] += won
            level[2] += amount or ZERO
    team = len(rep_ids) > 1
    line_name = _line_name(product_line_id) if product_line_id else ""
    for source in ("rep_line", "rep", "territory_line", "territory"):
        closed, won, amount = levels.get(source, (0, 0, ZERO))
        enough = closed >= MIN_CLOSED if source.startswith("rep") else closed > 0
        if enough and won:
            return Rates(
                win_rate=won / closed,
                deal_size=(amount / won).quantize(Decimal("0.01")),
                closed=closed,
                won=won,
                source=source,
                line_name=line_name,
                team=team,
            )
    closed, won, _amount = levels.get("territory", (0, 0, ZERO))
    # Deals closed but none won: a rate of 0 and no deal size; the math says so.
    return Rates(
        win_rate=0.0 if closed else None,
        deal_size=None,
        closed=closed,
        won=won,
        source="territory" if closed else "none",
        team=team,
    )


def closed_history(*, today: datetime.date) -> list[tuple]:
    """The closed deals of the last ``LOOKBACK_DAYS`` grouped per rep and product line."""
    return list(_closed_rows(today - datetime.timedelta(days=LOOKBACK_DAYS), today))


def _line_name(pk: int) -> str:
    from keyplan.catalog.models import ProductLine

    return ProductLine.objects.filter(pk=pk).values_list("name", flat=True).first() or ""


def approximately(value: Decimal) -> Decimal:
    """Two significant figures: 47,850 → 48,000; 1,234 → 1,200 (the "~" in the sentence)."""
    if not value:
        return ZERO
    digits = int(math.floor(math.log10(abs(float(value)))))
    step = Decimal(10) ** max(digits - 1, 0)
    return (Decimal(value) / step).quantize(Decimal(1)) * step


@dataclass
class PipelineNeed:
    """How many qualified opportunities the goal still needs, against what is open."""

    goal: Decimal
    forecast: Decimal
    rates: Rates
    needed: int | None  # None: no rate to compute it from
    have: int  # open opportunities closing by ``by``
    have_amount: Decimal
    ideas: int
    by: datetime.date
    sentence: str

    @property
    def gap(self) -> Decimal:
        return max(self.goal - self.forecast, ZERO)

    @property
    def shortfall(self) -> int:
        """Opportunities still to find beyond the open ones (0 when enough are open)."""
        return max((self.needed or 0) - self.have, 0)

    @property
    def met(self) -> bool:
        return self.needed is not None and self.shortfall == 0


def need(
    *,
    goal: Decimal,
    forecast: Decimal,
    rates: Rates,
    open_pipeline: tuple[int, Decimal],
    ideas_count: int = 0,
    by: datetime.date,
) -> PipelineNeed:
    """The math and its sentence ("You need 14 more qualified opportunities of ~48,000
    USD by June 2027; you have 6.")."""
    from keyplan.core import words

    goal, forecast = Decimal(goal or 0), Decimal(forecast or 0)
    have, have_amount = open_pipeline
    have_amount = Decimal(have_amount or 0)
    gap = goal - forecast
    when = f"{by:%B %Y}"
    you_have = f"you have {have:,}" + (
        f" open, and {words.plural(ideas_count, 'idea')} in plans" if ideas_count else ""
    )
    needed = None
    if gap <= 0:
        needed = 0
        sentence = "The forecast already reaches the goal: no new pipeline needed."
    elif rates.win_rate is None:
        sentence = (
            f"The goal needs {words.amount(gap.quantize(Decimal(1)))} beyond the forecast, but "
            "no deal closed in the last 24 months, here or anywhere in the territory, to "
            "learn a win rate and deal size from: no number of opportunities can be given."
        )
    elif not rates.known:
        sentence = (
            f"The goal needs {words.amount(gap.quantize(Decimal(1)))} beyond the forecast, but "
            f"none of the {words.plural(rates.closed, 'deal')} closed in the last 24 months "
            "was won: there is no win rate or deal size to size the pipeline with."
        )
    else:
        per_opportunity = Decimal(rates.win_rate) * rates.deal_size
        needed = math.ceil(gap / per_opportunity)
        size = words.amount(approximately(rates.deal_size))
        count = words.plural(needed, "more qualified opportunity", "more qualified opportunities")
        sentence = f"You need {count} of ~{size} by {when}; {you_have}."
    return PipelineNeed(
        goal=goal,
        forecast=forecast,
        rates=rates,
        needed=needed,
        have=have,
        have_amount=have_amount,
        ideas=ideas_count,
        by=by,
        sentence=sentence,
    )

"""The territory plan's first step, Conti's facts: the rep's accounts stack-ranked A/B/C
from the accepted ICP tiers, each with the revenue one might expect from it, and the
opportunity of the whole territory set against the rep's quota.

Per account (the accounts the rep owns):

- **run rate**: the sales of the last twelve booked months before the fiscal year;
- **forecast**: what the fiscal year is expected to bring, booked + the cached forecast
  (``forecasting.period_forecast``);
- **white space**: the expected value of the account's best ``TOP_CELLS`` white-space
  cells, from the cached white-space predictions (an account buys a few of the products
  it lacks, not all of them: summing every cell would promise the whole catalogue);
- **revenue one might expect** = forecast + white space;
- **open pipeline**: its open deals with an amount closing by the end of the year — shown
  beside the expected revenue, never added into it (a deal may be the revenue the
  forecast already expects).

Reads only (pages never compute a model) and a fixed number of queries whatever the
number of accounts. Rows are bounded: every A account, the best ``ROWS_PER_TIER`` of the
others by revenue one might expect, with how many are not shown; the tier totals count
every account."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from keyplan.salesplan.periods import Period

TOP_CELLS = 5  # white-space cells per account summed into its expected value
ROWS_PER_TIER = 25  # B, C and untiered accounts shown per tier (every A account is)
TOP_PRODUCTS = 10
NOT_TIERED = "Not tiered"
TIERS = ("A", "B", "C", "")
# Opportunity ÷ quota from which the territory holds more than one rep can work.
MORE_THAN_ONE_REP = Decimal("1.5")

ZERO = Decimal(0)


@dataclass
class AccountFact:
    account_id: int
    name: str
    tier: str  # "A", "B", "C" or "" (not tiered)
    run_rate: Decimal
    forecast: Decimal
    white_space: Decimal | None  # None: no white-space predictions learned yet
    pipeline: Decimal
    pipeline_count: int
    plan_id: int | None  # the account plan of the year (draft or active), if any

    @property
    def expected(self) -> Decimal:
        """The revenue one might expect: forecast + white-space expected value."""
        return self.forecast + (self.white_space or ZERO)

    @property
    def proactive(self) -> bool:
        """A accounts are worked proactively; B and C reactively."""
        return self.tier == "A"

    @property
    def needs_plan(self) -> bool:
        """An A account should have an account plan for the year (or a reason)."""
        return self.proactive and self.plan_id is None

    @property
    def tier_label(self) -> str:
        return f"Tier {self.tier}" if self.tier else NOT_TIERED


@dataclass
class TierGroup:
    tier: str
    rows: list[AccountFact]  # shown (bounded)
    accounts: int  # every account of the tier
    run_rate: Decimal
    forecast: Decimal
    white_space: Decimal
    expected: Decimal
    pipeline: Decimal

    @property
    def label(self) -> str:
        return f"Tier {self.tier}" if self.tier else NOT_TIERED

    @property
    def not_shown(self) -> int:
        return self.accounts - len(self.rows)

    @property
    def working(self) -> str:
        return "proactive" if self.tier == "A" else "reactive"


@dataclass
class ProductOpportunity:
    product_id: int | None
    name: str
    line: str
    white_space: Decimal
    pipeline: Decimal

    @property
    def total(self) -> Decimal:
        return self.white_space + self.pipeline


@dataclass
class TerritoryFacts:
    rep: object
    period: Period
    tiers: list[TierGroup]
    products: list[ProductOpportunity]  # the top TOP_PRODUCTS by opportunity
    accounts: int
    run_rate: Decimal
    forecast: Decimal
    white_space: Decimal
    expected: Decimal  # the opportunity: forecast + white space over every account
    pipeline: Decimal
    quota: Decimal | None
    a_without_plan: list[AccountFact]  # A accounts without an account plan for the year
    forecast_note: str = ""  # what the forecast leaves out ("" when complete)
    white_space_note: str = ""  # "" when today's predictions were read
    notes: list[str] = field(default_factory=list)
    # How many of an account's best white-space cells its figure adds up: the page says
    # so, as the white-space and account pages show the sum of every cell.
    top_cells: int = TOP_CELLS

    @property
    def coverage(self) -> Decimal | None:
        """Opportunity ÷ quota (2.3 for 9.2M against 4.0M)."""
        if not self.quota:
            return None
        return (self.expected / self.quota).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def headline(self) -> str:
        """ "Opportunity 9.2M against a quota of 4.0M: 2.3× — more than one rep can work;
        choose." """
        opportunity = f"Opportunity {short(self.expected)}"
        if self.quota is None:
            return (
                f"{opportunity} in the territory ({self.period.name}); no quota is set for "
                "the year to set it against."
            )
        if not self.quota:
            return f"{opportunity} against a quota of 0."
        if not self.expected and (self.forecast_note or self.white_space_note):
            # Nothing computed yet is not "an opportunity of 0": no advice on a zero.
            return (
                f"The opportunity is not computed yet, so it cannot be set against the "
                f"quota of {short(self.quota)}: see the notes on the forecast and the "
                "white space."
            )
        ratio = self.coverage
        against = f"{opportunity} against a quota of {short(self.quota)}: {ratio}×"
        if ratio >= MORE_THAN_ONE_REP:
            return f"{against} — more than one rep can work; choose."
        if ratio >= 1:
            return f"{against} — enough, if most of it is won; little room to choose."
        return (
            f"{against} — less than the quota: the accounts you have do not reach the "
            "number; plan new logos or talk to your manager about the quota."
        )


def short(value) -> str:
    """9,216,000 → "9.2M", 400,000 → "400k" (the headline speaks the way people say
    it)."""
    number = float(value or 0)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(number) >= limit:
            scaled = number / limit
            return f"{scaled:.0f}{suffix}" if abs(scaled) >= 100 else f"{scaled:.1f}{suffix}"
    return f"{number:.0f}"


def territory_facts(*, rep, fiscal_year: int) -> TerritoryFacts:
    """The facts step of ``rep``'s territory plan for ``fiscal_year``."""
    from keyplan.accounts.models import Account
    from keyplan.salesplan.forecasting import period_forecast, run_rate
    from keyplan.salesplan.services import _plans_for

    period = Period(fiscal_year)
    accounts = list(
        Account.objects.filter(owner=rep)
        .order_by("name", "pk")
        .values_list("pk", "name", "tier__tier")
    )
    ids = [a[0] for a in accounts]
    forecast = period_forecast(ids, period)
    before = run_rate(ids, period, result=forecast.result)
    white, white_note, cells = _white_space(ids)
    pipeline, by_product_pipe = _pipeline(ids, period)
    plans = _plans_for(ids, period)
    facts = [
        AccountFact(
            account_id=pk,
            name=name,
            tier=tier or "",
            run_rate=before.get(pk, ZERO),
            forecast=forecast.get(pk),
            white_space=None if white is None else white.get(pk, ZERO),
            pipeline=pipeline.get(pk, (0, ZERO))[1],
            pipeline_count=pipeline.get(pk, (0, ZERO))[0],
            plan_id=plans[pk][0].pk if plans.get(pk) else None,
        )
        for pk, name, tier in accounts
    ]
    groups = _tier_groups(facts)
    total = _sum(facts)
    return TerritoryFacts(
        rep=rep,
        period=period,
        tiers=groups,
        products=_products(cells, by_product_pipe),
        accounts=len(facts),
        run_rate=total["run_rate"],
        forecast=total["forecast"],
        white_space=total["white_space"],
        expected=total["expected"],
        pipeline=total["pipeline"],
        quota=_quota(rep, fiscal_year),
        a_without_plan=[f for f in facts if f.needs_plan],
        forecast_note=forecast.sentence,
        white_space_note=white_note,
    )


def _sum(facts) -> dict:
    return {
        "run_rate": sum((f.run_rate for f in facts), ZERO),
        "forecast": sum((f.forecast for f in facts), ZERO),
        "white_space": sum((f.white_space or ZERO for f in facts), ZERO),
        "expected": sum((f.expected for f in facts), ZERO),
        "pipeline": sum((f.pipeline for f in facts), ZERO),
    }


def _tier_groups(facts: list[AccountFact]) -> list[TierGroup]:
    """A, B, C, then the untiered; each ranked by the revenue one might expect."""
    by_tier = defaultdict(list)
    for f in facts:
        by_tier[f.tier if f.tier in TIERS else ""].append(f)
    groups = []
    for tier in TIERS:
        members = by_tier.get(tier)
        if not members:
            continue
        members.sort(key=lambda f: (-f.expected, -f.run_rate, f.name, f.account_id))
        shown = members if tier == "A" else members[:ROWS_PER_TIER]
        total = _sum(members)
        groups.append(TierGroup(tier=tier, rows=shown, accounts=len(members), **total))
    return groups


def _quota(rep, fiscal_year: int) -> Decimal | None:
    from keyplan.salesplan.choices import QuotaLevel
    from keyplan.salesplan.models import Quota

    return (
        Quota.objects.filter(level=QuotaLevel.REP, rep=rep, fiscal_year=fiscal_year, quarter=0)
        .values_list("amount", flat=True)
        .first()
    )


def _pipeline(ids, period: Period):
    """Per account (count, amount) and per product the amount of the open deals with an
    amount closing by the end of the year (one grouped query)."""
    from django.db.models import Count, Sum

    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity

    rows = (
        Opportunity.objects.filter(
            account_id__in=ids,
            status=OpportunityStatus.OPEN,
            amount__isnull=False,
            close_date__lte=period.end,
        )
        .order_by()
        .values_list("account_id", "product_id")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    by_account: dict[int, list] = {}
    by_product: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    cent = Decimal("0.01")
    for account_id, product_id, n, total in rows:
        # SQLite's sums come back with ten decimals: amounts keep cents.
        total = (total or ZERO).quantize(cent)
        entry = by_account.setdefault(account_id, [0, ZERO])
        entry[0] += n
        entry[1] += total
        by_product[product_id] += total
    return {k: tuple(v) for k, v in by_account.items()}, dict(by_product)


def _white_space(ids):
    """(per account the expected value of its best ``TOP_CELLS`` cells — None when no
    predictions were ever learned —, a note when they are not today's, and the cells
    kept as (product id, value) pairs for the opportunity by product). No query: the
    predictions are read from the cache, never learned here."""
    from keyplan.territory.predictions import latest_predictions

    learned = latest_predictions(by="product", horizon=12, queue=False)
    prediction = learned.result
    if prediction is None:
        return (
            None,
            "The white-space expected values are not learned yet (they are learned in "
            "the background after the sales change): the revenue one might expect holds "
            "the forecast alone.",
            [],
        )
    note = learned.note
    if not ids or not len(prediction.account_ids):
        return {}, note, []
    # Positions of the rep's accounts among the predictions' (sorted) accounts.
    positions = np.flatnonzero(np.isin(prediction.account_ids, np.array(ids, dtype=np.int64)))
    mine = np.flatnonzero(np.isin(prediction.account, positions))
    if not len(mine):
        return {}, note, []
    # Best cells first within each account, then keep each account's first TOP_CELLS.
    order = mine[np.lexsort((-prediction.value[mine], prediction.account[mine]))]
    account = prediction.account[order]
    starts = np.r_[0, np.flatnonzero(np.diff(account)) + 1]
    lengths = np.diff(np.r_[starts, len(order)])
    rank = np.arange(len(order)) - np.repeat(starts, lengths)
    top = order[rank < TOP_CELLS]
    sums = np.bincount(
        prediction.account[top],
        weights=prediction.value[top],
        minlength=len(prediction.account_ids),
    )
    values = {
        int(prediction.account_ids[p]): Decimal(f"{sums[p]:.2f}")
        for p in np.unique(prediction.account[top])
    }
    cells = [
        (prediction.items[int(prediction.item[k])][0], float(prediction.value[k])) for k in top
    ]
    return values, note, cells


def _products(cells, pipeline: dict) -> list[ProductOpportunity]:
    """The products with the most opportunity over the rep's accounts: white-space
    expected value (the cells counted per account) + open pipeline (one query for names)."""
    from keyplan.catalog.models import Product

    white: dict[int, float] = defaultdict(float)
    for product_id, value in cells:
        white[product_id] += value
    keys = set(white) | {k for k in pipeline if k is not None}
    totals = {k: Decimal(f"{white.get(k, 0.0):.2f}") + pipeline.get(k, ZERO) for k in keys}
    best = sorted(totals, key=lambda k: (-totals[k], k))[:TOP_PRODUCTS]
    names = {
        pk: (name, line)
        for pk, name, line in Product.objects.filter(pk__in=best).values_list(
            "pk", "name", "product_line__name"
        )
    }
    rows = [
        ProductOpportunity(
            product_id=k,
            name=names.get(k, ("—", ""))[0],
            line=names.get(k, ("—", ""))[1] or "",
            white_space=Decimal(f"{white.get(k, 0.0):.2f}"),
            pipeline=pipeline.get(k, ZERO),
        )
        for k in best
    ]
    if pipeline.get(None):
        rows.append(ProductOpportunity(None, "Deals without a product", "", ZERO, pipeline[None]))
    return rows

"""Reads of the forecast for the command line, the API and the pages.

The methods are chosen and trained over the whole territory (like white space's peers:
territory-wide statistics, whoever looks), cached per horizon and version of the sales
roll-up; what a user gets is sliced to the accounts their scope shows
(``Scope.accounts(user)``, which starts from ``visible_to``)."""

import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from keyplan.forecast.engine import Result, account_view, first_months, run
from keyplan.forecast.pipeline import Deal, open_deals, pipeline_by_account, win_rates
from keyplan.forecast.series import history_sentences, read_panel
from keyplan.forecast.stages import (
    open_stage_probabilities,
    stage_table,
    territory_stage_backtest,
)
from keyplan.territory.analysis.cache import cached, peek

DEFAULT_HORIZON = 12
MAX_HORIZON = 36


class HorizonError(ValueError):
    pass


def parse_horizon(text) -> int:
    if text in (None, ""):
        return DEFAULT_HORIZON
    try:
        value = int(str(text).strip())
    except ValueError:
        raise HorizonError(f"Horizon “{text}” is not a whole number of months.") from None
    if not 1 <= value <= MAX_HORIZON:
        raise HorizonError(f"Horizon must be 1 to {MAX_HORIZON} months; {value} was given.")
    return value


def cached_result(horizon: int) -> Result | None:
    """The territory's forecast if it is in the cache; never computes (pages: the forecast
    is computed in the background after the sales change, never while a page waits)."""
    return peek("forecast", None, {"horizon": horizon}, memo=True)


def territory_result(horizon: int, timed: bool = False):
    """The territory's forecast (cached). With ``timed``: (result, seconds it took to
    compute, or None when it came from the cache).

    The default horizon's run (the one the background computes after a sales change)
    reaches as far as the planning year's end when that lies beyond it (``reach``): the
    longer forecast is cached apart for the sales plan's periods (``period_result``) and
    its first ``horizon`` months are this result, so account pages keep their 12 months."""
    params = {"horizon": horizon}
    found = peek("forecast", None, params, memo=True)
    if found is not None:
        return (found, None) if timed else found
    started = time.perf_counter()
    compute = _reaching_run if horizon == DEFAULT_HORIZON else lambda: run(read_panel(), horizon)
    result = cached("forecast", None, params, compute, memo=True)
    return (result, time.perf_counter() - started) if timed else result


REACH = "forecast-reach"  # the default run carried to the planning year's end


def reach(last_month: datetime.date | None, today: datetime.date | None = None) -> int:
    """Months the background forecast covers after ``last_month`` (the last month of
    sales): the default horizon, or up to the end of the planning fiscal year when that
    is further (in a year's last month, next year's territory plans need all of next
    year; sales booked a month or two late push its end beyond 12 months). At most
    ``MAX_HORIZON``."""
    from keyplan.salesplan.periods import planning_year

    if last_month is None:
        return DEFAULT_HORIZON
    end = planning_year(today).end
    months = (end.year * 12 + end.month) - (last_month.year * 12 + last_month.month)
    return max(DEFAULT_HORIZON, min(MAX_HORIZON, months))


def _reaching_run() -> Result:
    """One run over ``reach`` months; the longer result is cached apart and the default
    horizon's months returned (the same figures as a run over 12 months)."""
    panel = read_panel()
    months = reach(panel.last if panel.first else None)
    result = run(panel, months)
    if months > DEFAULT_HORIZON:
        cached(REACH, None, {"horizon": DEFAULT_HORIZON}, lambda: result, memo=True)
    return first_months(result, DEFAULT_HORIZON)


def reaching(result: Result | None) -> Result | None:
    """The default forecast ``result`` carried further, to the planning year's end, when
    the background computed it so (the same run: same last month of sales), else
    ``result``. For periods (a fiscal year, a plan's months), never for the account
    pages' horizon."""
    if result is None:
        return None
    longer = peek(REACH, None, {"horizon": DEFAULT_HORIZON}, memo=True)
    if (
        longer is not None
        and longer.last_month == result.last_month
        and len(longer.months) > len(result.months)
        and longer.months[: len(result.months)] == result.months
    ):
        return longer
    return result


def period_result() -> Result | None:
    """The forecast for a sales period's months: the default one, carried to the planning
    year's end when it was computed so; None when it is not computed yet (never computes)."""
    return reaching(cached_result(DEFAULT_HORIZON))


def cents(value: float) -> Decimal:
    return Decimal(round(float(value))).scaleb(-2)


@dataclass
class Month:
    month: datetime.date
    expected: Decimal
    low: Decimal
    high: Decimal
    pipeline: Decimal


@dataclass
class AccountForecast:
    account_id: int
    name: str
    external_id: str
    expected: Decimal
    low: Decimal
    high: Decimal
    pipeline: Decimal
    months: list[Month] = field(default_factory=list)


def scope_forecast(
    *, user, scope, horizon: int, result: Result | None = None
) -> tuple[Result, list[AccountForecast], dict]:
    """(territory result, one row per account in scope — largest expected first —, pipeline
    summary). Accounts with no sales history and no pipeline have nothing to forecast.
    ``result``: the territory's forecast when the caller has it (else computed)."""
    result = result if result is not None else territory_result(horizon)
    accounts = list(scope.accounts(user).values_list("pk", "name", "external_id"))
    ids = np.array([a[0] for a in accounts], dtype=np.int64)
    everything = scope.everything(user)
    rates = _rates(result)
    # The scope's accounts as a subquery, not a list of ids (a manager may see 20,000).
    in_scope = None if everything else scope.accounts(user).values("pk")
    deals = open_deals(in_scope, result.months, rates)
    pipe = pipeline_by_account(deals, horizon)
    view = account_view(result)
    unique = view.ids
    pos = np.searchsorted(unique, ids)
    found = (
        (pos < len(unique)) & (unique[np.minimum(pos, len(unique) - 1)] == ids)
        if len(unique)
        else np.zeros(len(ids), bool)
    )
    rows = []
    zeros = np.zeros(horizon)
    for (pk, name, xid), hit, p in zip(accounts, found, pos, strict=True):
        piped = pipe.get(pk)
        if not hit and piped is None:
            continue
        piped = piped or [0.0] * horizon
        rows.append(_account_row(pk, name, xid, result, view, p if hit else None, piped, zeros))
    rows.sort(key=lambda r: (-r.expected, r.name, r.account_id))
    counted = [d for d in deals if d.month is not None]
    summary = {
        "win_rate": rates.overall,
        "closed_deals": rates.closed,
        "closed_deals_with_history": rates.with_history,
        "deals_counted": len(counted),
        "deals_not_counted": len(deals) - len(counted),
        "stages": stage_table(rates, open_stage_probabilities(deals)),
        "stage_backtest": territory_stage_backtest(result.months),
    }
    return result, rows, summary


class Months(Sequence):
    """An account's months, made into ``Month`` rows only when read: a page of 50 accounts
    out of 10,000 does not build 120,000 of them."""

    def __init__(self, months, expected, low, high, pipeline):
        self._arrays = (months, expected, low, high, pipeline)
        self._rows = None

    def _built(self) -> list[Month]:
        if self._rows is None:
            self._rows = [
                Month(m, cents(v), cents(lo), cents(hi), cents(pv))
                for m, v, lo, hi, pv in zip(*self._arrays, strict=True)
            ]
        return self._rows

    def __getitem__(self, index):
        return self._built()[index]

    def __len__(self) -> int:
        return len(self._arrays[0])


def _account_row(pk, name, xid, result, view, p, piped, zeros) -> AccountForecast:
    """One account's row: its months with their band (``p``: its index in ``view``, None
    when it has no sales history, only pipeline)."""
    months = view.months[p] if p is not None else zeros
    low = view.month_low[p] if p is not None else zeros
    high = view.month_high[p] if p is not None else zeros
    return AccountForecast(
        account_id=pk,
        name=name,
        external_id=xid or "",
        expected=cents(months.sum()),
        low=cents(view.low[p] if p is not None else 0.0),
        high=cents(view.high[p] if p is not None else 0.0),
        pipeline=cents(sum(piped)),
        months=Months(result.months, months, low, high, piped),
    )


def _rates(result: Result):
    """The win rates that weight open deals: territory-wide (whoever looks) and cached per
    version of the sales roll-up, which every write to an opportunity moves on, as
    ``salesplan.pipeline.closed_history`` is. Every plan and account page weights its
    deals with them; read afresh, they were four aggregate queries and ≈ 20 ms of each."""
    first = result.months[0] if result.months else datetime.date.today().replace(day=1)
    since, until = first - datetime.timedelta(days=730), first - datetime.timedelta(days=1)
    return cached(
        "win_rates",
        None,
        {"since": since.isoformat(), "until": until.isoformat()},
        lambda: win_rates(since, until),
    )


@dataclass
class LineForecast:
    line: str
    kind: str  # demand class in words
    method: str  # in words
    expected: Decimal
    low: Decimal
    high: Decimal


@dataclass
class Idea:
    title: str
    value: Decimal
    confidence: int
    weighted: Decimal
    expected_date: datetime.date | None


@dataclass
class AccountDetail:
    forecast: AccountForecast | None
    lines: list[LineForecast]
    deals: list[Deal]
    ideas: list[Idea]
    ideas_weighted: Decimal
    horizon: int
    backtest_note: str
    band_held: str = ""  # how many accounts' totals the back-test's bands held, in words
    history_note: str = ""  # months left out of the history (not over, not loaded), in words


def account_forecast(
    *, account, horizon: int = DEFAULT_HORIZON, compute: bool = True
) -> AccountDetail | None:
    """One account's forecast (the caller has checked the account is visible): its months,
    its lines with the method used, its open deals weighted and its plan ideas. With
    ``compute=False`` (the account page) None when the territory's forecast is not in the
    cache yet: it is computed in the background after the sales change, never while a
    page waits."""
    from keyplan.catalog.models import ProductLine
    from keyplan.forecast.engine import CLASS_WORDS
    from keyplan.forecast.methods import label
    from keyplan.plans.choices import IDEA_PIPELINE_STAGES
    from keyplan.plans.models import Idea as PlanIdea

    result = (
        territory_result(horizon)
        if compute
        else peek("forecast", None, {"horizon": horizon}, memo=True)
    )
    if result is None:
        return None
    rows = np.flatnonzero(result.accounts == account.pk)
    names = dict(ProductLine.objects.values_list("pk", "name"))
    lines = []
    for i in rows:
        total = float(result.expected[i].sum())
        kind = result.classes[i]
        low, high = result.line_band.get(kind, result.ratio_band)
        method = result.methods.get(kind)
        lines.append(
            LineForecast(
                line=names.get(int(result.lines[i]), "—"),
                kind=CLASS_WORDS[kind],
                method=label(method) if kind != "none" and method else "nothing to forecast",
                expected=cents(total),
                low=cents(total * low),
                high=cents(total * high),
            )
        )
    lines.sort(key=lambda r: (-r.expected, r.line))
    deals = open_deals([account.pk], result.months, _rates(result))
    pipe = pipeline_by_account(deals, horizon).get(account.pk, [0.0] * horizon)
    forecast = None
    if len(rows) or any(pipe):
        view = account_view(result)
        p = int(np.searchsorted(view.ids, account.pk)) if len(rows) else None
        forecast = _account_row(
            account.pk, account.name, account.external_id, result, view, p, pipe, np.zeros(horizon)
        )
    share = Decimal(min(horizon, 12)) / 12
    ideas = [
        Idea(
            i.title,
            i.annual_value,
            i.confidence,
            (i.annual_value * i.confidence / 100 * share).quantize(Decimal("0.01")),
            i.expected_date,
        )
        for i in PlanIdea.objects.filter(
            plan__account=account, stage__in=IDEA_PIPELINE_STAGES
        ).order_by("-annual_value", "pk")[:20]
    ]
    return AccountDetail(
        forecast,
        lines,
        deals,
        ideas,
        sum((i.weighted for i in ideas), Decimal(0)),
        horizon,
        result.backtest.note,
        band_held(result),
        " ".join(history_sentences(getattr(result, "left_out", []))),
    )


def record_run(result: Result, *, seconds: float, user, source: str):
    from keyplan.forecast.models import ForecastRun

    return ForecastRun.objects.create(
        created_by=user,
        horizon=len(result.months),
        last_month=result.last_month,
        expected=cents(result.expected.sum()),
        methods={c: m for c, m in result.methods.items() if c != "none"},
        backtest={**backtest_dict(result), "stages": territory_stage_backtest(result.months)},
        seconds=round(seconds, 3),
        source=source,
    )


def backtest_dict(result: Result) -> dict:
    bt = result.backtest
    return {
        "held_out": bt.held_out,
        "chosen_on": bt.chosen_on,
        "figures": bt.figures,
        "choices": bt.choices,
        "coverage": bt.coverage,
        "bias": getattr(bt, "bias", {}),
        "note": bt.note,
        # Percentile levels (0–1) of a year's errors the bands are read at, per kind
        # (account, account_month, line): the forecast's, and those the held-out year
        # checked (results computed before these were kept have none).
        "band_levels": getattr(bt, "levels", {}),
        "band_levels_checked": getattr(bt, "levels_checked", {}),
        "bands_set_on": getattr(bt, "bands_set_on", ""),
    }


def _percentile_words(levels) -> str:
    from django.contrib.humanize.templatetags.humanize import ordinal

    low, high = (round(100 * v) for v in levels)
    return f"{ordinal(low)} and {ordinal(high)} percentiles"


def band_sentences(backtest: dict) -> str:
    """How many held-out totals and months landed inside their band, and how the bands
    were read, in words (the page and ``keyplan forecast --backtest``)."""
    coverage = backtest.get("coverage") or {}
    if coverage.get("account") is None:
        return ""
    text = (
        f"Bands: {coverage['account']:.0%} of the accounts' actual totals and "
        f"{coverage['account_month']:.0%} of their actual months landed inside the low–high band "
        "(80% is the aim)."
    )
    checked = (backtest.get("band_levels_checked") or {}).get("account")
    levels = (backtest.get("band_levels") or {}).get("account")
    if not checked or not levels:
        return text[:-1] + " — the bands were set on the window before that year."
    how = (
        "at the levels that held 8 in 10 of a year's account totals when read from the "
        "year before it"
    )
    if list(checked) == [0.1, 0.9]:
        checked_words = "at its 10th and 90th percentiles (no earlier year to learn from)"
    else:
        checked_words = f"at its {_percentile_words(checked)}, {how}"
    text += f" They were read from the errors of the year before, {checked_words}."
    text += (
        f" Today's bands are read the same way from the errors of {backtest['bands_set_on']}"
        f", at its {_percentile_words(levels)} for account totals."
    )
    return text


@dataclass
class Group:
    name: str
    accounts: int
    expected: Decimal
    pipeline: Decimal


def by_line(result: Result, account_ids) -> list[Group]:
    """Expected per product line over the accounts ``account_ids`` (sorted ids)."""
    from keyplan.catalog.models import ProductLine

    keep = np.isin(result.accounts, account_ids)
    names = dict(ProductLine.objects.values_list("pk", "name"))
    groups = []
    for line in np.unique(result.lines[keep]):
        rows = keep & (result.lines == line)
        groups.append(
            Group(
                names.get(int(line), "—"),
                len(np.unique(result.accounts[rows])),
                cents(result.expected[rows].sum()),
                Decimal(0),
            )
        )
    return sorted(groups, key=lambda g: (-g.expected, g.name))


def tier_map() -> dict[int, str]:
    """Account id → accepted tier, from the cache while the accepted tiers are unchanged
    (one aggregate query tells: how many, the largest id, the latest acceptance — every
    acceptance rewrites the rows it touches), so the forecast page does not read every
    tier on every request."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    from keyplan.territory.models import AccountTier

    stamp = AccountTier.objects.aggregate(n=Count("pk"), m=Max("pk"), at=Max("accepted_at"))
    at = stamp["at"].timestamp() if stamp["at"] else 0  # no spaces: memcached refuses them
    key = "keyplan:forecast-tiers:" + f"{stamp['n']}-{stamp['m']}-{at}"
    found = cache.get(key)
    if found is None:
        found = dict(AccountTier.objects.values_list("account_id", "tier"))
        cache.set(key, found, 3600)
    return found


def by_tier(rows: list[AccountForecast]) -> list[Group]:
    """Expected and weighted pipeline per accepted tier (the tiers from ``tier_map``)."""
    tier_of = tier_map()
    totals: dict[str, list] = {}
    for r in rows:
        name = f"Tier {tier_of[r.account_id]}" if r.account_id in tier_of else "No tier"
        t = totals.setdefault(name, [0, Decimal(0), Decimal(0)])
        t[0] += 1
        t[1] += r.expected
        t[2] += r.pipeline
    return [
        Group(name, *totals[name]) for name in sorted(totals, key=lambda n: (n == "No tier", n))
    ]


@dataclass
class PlanGap:
    """The plan's accounts' forecast over the months of the plan's period the forecast
    covers, against the revenue and stretch goals, in words."""

    start: datetime.date
    end: datetime.date
    months: int
    expected: Decimal
    low: Decimal
    high: Decimal
    pipeline: Decimal
    ideas: Decimal
    sentences: list[str]
    # Months left out of the history the forecast learned from (not loaded yet), in words.
    history_note: str = ""


def band_held(result: Result) -> str:
    """How many held-out account totals landed inside their band in the back-test, in
    words, beside an account's or a plan's low–high ("" without a back-test). It read
    "about 8 in 10" whatever the back-test measured, beside a forecast page saying 74%."""
    share = (result.backtest.coverage or {}).get("account")
    if share is None:
        return ""
    return (
        f"in the back-test, {share:.0%} of the accounts' actual totals landed inside their "
        "band; 80% is the aim"
    )


def _accounts_band(result: Result, ids: np.ndarray, inside: list[int]) -> tuple[float, float]:
    """Low and high, in cents, of what ``ids`` are expected to bring in the months
    ``inside``: each account's own band (its group's, as its account page shows it) over
    its share of those months, added up as the territory page adds them. The plan page
    read the all-groups band instead, and gave a one-account plan another low–high than
    its account page for the same expected figure."""
    view = account_view(result)
    rows = np.isin(view.ids, ids)
    if not rows.any():
        return 0.0, 0.0
    months = view.months[rows]
    total = months.sum(axis=1)
    part = months[:, inside].sum(axis=1)
    low_r = np.divide(view.low[rows], total, out=np.zeros(len(total)), where=total > 0)
    high_r = np.divide(view.high[rows], total, out=np.zeros(len(total)), where=total > 0)
    return float((part * low_r).sum()), float((part * high_r).sum())


def plan_gap(*, plan, account_ids, horizon: int = DEFAULT_HORIZON, ideas=None) -> PlanGap | None:
    """None when the territory's forecast is not computed yet (never computed here: the
    plan page does not wait for it) or the plan's period lies outside the forecast.
    ``ideas``: the plan's ideas, when the caller has read them (else one query)."""
    from keyplan.core.words import amount as amount_in_words
    from keyplan.plans.choices import IDEA_PIPELINE_STAGES

    result = peek("forecast", None, {"horizon": horizon}, memo=True)
    if horizon == DEFAULT_HORIZON:
        result = reaching(result)  # a plan's months may lie beyond the first 12
    if result is None or not result.months:
        return None
    inside = [
        i
        for i, m in enumerate(result.months)
        if plan.period_start.replace(day=1) <= m <= plan.period_end
    ]
    if not inside:
        return None
    ids = np.array(sorted(set(account_ids)), dtype=np.int64)
    rows = np.isin(result.accounts, ids)
    expected_months = result.expected[rows][:, inside].sum(axis=0) if rows.any() else np.zeros(1)
    expected = cents(expected_months.sum())
    low_cents, high_cents = _accounts_band(result, ids, inside)
    deals = open_deals(ids.tolist(), result.months, _rates(result))
    pipeline = cents(sum(d.weighted for d in deals if d.month in inside))
    share = Decimal(len(inside)) / 12
    if ideas is None:
        # Values, not ideas read with only() these fields: each idea of the plan's
        # manager would then read its deferred plan_id again, one query per idea.
        pipeline_ideas = plan.ideas.filter(stage__in=IDEA_PIPELINE_STAGES).values_list(
            "annual_value", "confidence"
        )
    else:
        pipeline_ideas = [
            (i.annual_value, i.confidence) for i in ideas if i.stage in IDEA_PIPELINE_STAGES
        ]
    ideas = sum(
        (value * confidence / 100 * share for value, confidence in pipeline_ideas),
        Decimal(0),
    ).quantize(Decimal("0.01"))
    start, end = result.months[inside[0]], result.months[inside[-1]]
    span = f"{start:%Y-%m} to {end:%Y-%m}"

    def money(value):
        return amount_in_words(Decimal(value).quantize(Decimal(1)))

    sentences = [
        f"From {span} the sales history of this plan's accounts is expected to bring "
        f"{money(expected)}, likely between {money(cents(low_cents))} and "
        f"{money(cents(high_cents))}" + (f" ({held})." if (held := band_held(result)) else ".")
    ]
    if len(inside) < 12:
        sentences.append(
            f"That is {len(inside)} of the plan's months; the forecast does not reach the rest."
        )
    for label, goal in (("revenue goal", plan.revenue_goal), ("stretch goal", plan.stretch_goal)):
        if not goal:
            continue
        goal_share = (goal * share).quantize(Decimal("0.01")) if len(inside) < 12 else goal
        # A goal cut to the months the forecast reaches says so: "revenue goal of 3,525,000"
        # beside a plan whose goal reads 4,230,000 looked like a second, contradictory goal.
        words = (
            f"{label} for those {len(inside)} months ({len(inside)}/12 of {money(goal)}), "
            f"{money(goal_share)},"
            if len(inside) < 12
            else f"{label} of {money(goal_share)}"
        )
        gap = goal_share - expected
        if gap <= 0:
            sentences.append(
                f"The {words} is within what the history already brings, {money(-gap)} to spare."
            )
            continue
        covered = min(gap, pipeline + ideas)
        sentences.append(
            f"The gap the plan must close to its {words} is "
            f"{money(gap)}: the open pipeline weighted by win rates brings {money(pipeline)} "
            f"and the plan's ideas by confidence {money(ideas)}"
            + (
                f", which leaves {money(gap - covered)} with no deal or idea behind it yet."
                if covered < gap
                else ", enough to cover it if they land as weighted."
            )
        )
    return PlanGap(
        start,
        end,
        len(inside),
        expected,
        cents(low_cents),
        cents(high_cents),
        pipeline,
        ideas,
        sentences,
        " ".join(history_sentences(getattr(result, "left_out", []))),
    )

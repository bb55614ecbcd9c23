"""The roll-ups' won so far, forecast and open pipeline of a period, per account, as numpy
arrays cached by version of the sales roll-up (issue 16: the executive's pages at 100,000
accounts).

Summing ``SalesMonth`` over a fiscal year through ``account → owner → team`` on every
request read millions of rows (FY 2026 at 100,000 accounts: 6–11 s a page). Instead, per
period, each account's figures are computed once, territory-wide and for nobody in
particular, after a sales change (``forecast.tasks`` runs it right after the forecast it
needs) and held in memory like the forecast (``memo=True``):

* ``won``: ``SalesMonth`` from the period's start to ``min(end, today)``;
* ``forecast``: ``salesplan.forecasting.period_forecast`` of every account (booked + the
  cached forecast's months), the very per-account figures the drill-down lists;
* ``pipeline``: open deals with an amount closing in the period;
* the same won and pipeline per (account, product line), for the roll-up by line.

Amounts are whole cents (int64): a row's figure is the exact sum of its accounts' — the
lines its drill-down lists — whatever the database's arithmetic.

What is *not* cached is who an account belongs to: the account → owner / team / tier
mapping changes without a sales change (a reassignment, a tier accepted), so a roll-up
reads it on each request for the accounts the user sees (one two-column query) and sums
with ``np.bincount``. Quotas, goals, objectives and plans stay live queries.

When a period's arrays are not in the cache a page never computes them for a large
territory (more than ``KEYPLAN_ROLLUP_INLINE_ACCOUNTS`` accounts): it asks the background
worker (as the forecast page does) and the roll-up says the figures are being computed.
A small territory computes them on the spot (a fraction of a second)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import connection

NAME = "salesplan_period_arrays"
NO_LINE = -1
COMPUTING_KEY = "keyplan:period-arrays-computing"
INLINE_ACCOUNTS = 5_000
PENDING_NOTE = (
    "being computed after the latest change to sales or deals (a minute or two on a "
    "large territory): reload the page to see it"
)
FORECAST_NOT_COMPUTED = "not computed yet"
FORECAST_COMPUTING_NOTE = (
    "being computed after the latest change to sales (a minute or two): reload the page to see it"
)


@dataclass
class PeriodArrays:
    """One period's figures per account (``accounts`` sorted; the others aligned with it)
    and per (account, product line) (``line_*``, aligned with ``line_account``).
    ``*_has``: the account has a row behind the figure (a sum of zero still names its
    row, as a grouped query does)."""

    accounts: np.ndarray
    won: np.ndarray
    won_has: np.ndarray
    pipeline: np.ndarray
    pipeline_has: np.ndarray
    forecast: np.ndarray | None  # None: the forecast is not computed (see forecast_note)
    forecast_has: np.ndarray | None
    forecast_note: str
    line_account: np.ndarray
    line: np.ndarray  # product line id, NO_LINE for sales or deals without a product line
    line_won: np.ndarray
    line_won_has: np.ndarray
    line_pipeline: np.ndarray
    line_pipeline_has: np.ndarray


def inline_limit() -> int:
    return int(getattr(settings, "KEYPLAN_ROLLUP_INLINE_ACCOUNTS", INLINE_ACCOUNTS))


def won_to(period, today: datetime.date) -> datetime.date:
    """The last day whose sales count as won so far (the roll-ups' ``_sales``)."""
    return min(period.end, today)


def _params(period, today, result) -> dict:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        # Months are first days: only the month of "so far" matters (one entry a month).
        "won_to": won_to(period, today).replace(day=1).isoformat(),
        # Computed again once the forecast is (it is computed after the same change).
        "forecast": result is not None,
    }


def cached_arrays(period, today: datetime.date) -> PeriodArrays | None:
    """The period's arrays from the cache, else None; never computes."""
    from keyplan.salesplan.rollups import forecast_result
    from keyplan.territory.analysis.cache import peek

    return peek(NAME, None, _params(period, today, forecast_result()), memo=True)


def period_arrays(period, today: datetime.date) -> PeriodArrays | None:
    """The period's arrays: from the cache; computed now on a small territory; on a
    large one asked of the background worker — None until it has answered."""
    from keyplan.accounts.models import Account

    found = cached_arrays(period, today)
    if found is not None:
        return found
    if not Account.objects.order_by()[inline_limit() : inline_limit() + 1].exists():
        return compute_cached(period, today)
    queue_period_arrays(period, today)
    return cached_arrays(period, today)  # a worker in this process may have answered


def compute_cached(period, today: datetime.date) -> PeriodArrays:
    """The period's arrays, computed if the cache does not hold them (the worker, a small
    territory)."""
    from keyplan.salesplan.rollups import forecast_result
    from keyplan.territory.analysis.cache import cached

    result = forecast_result()
    return cached(
        NAME,
        None,
        _params(period, today, result),
        lambda: compute(period, today, result),
        memo=True,
    )


def forecast_note(arrays: PeriodArrays) -> str:
    """Why the arrays have no forecast, as a page says it now: in the first minutes after a
    sales import the forecast is queued for the worker (it drops the previous one), and a
    bare "not computed yet" would read as a dead end."""
    if arrays.forecast_note == FORECAST_NOT_COMPUTED and forecast_computing():
        return FORECAST_COMPUTING_NOTE
    return arrays.forecast_note


def forecast_computing() -> bool:
    """The territory's forecast is queued for (or being computed by) the worker."""
    from django.core.cache import cache

    from keyplan.forecast.selectors import DEFAULT_HORIZON
    from keyplan.forecast.tasks import computing_key as forecast_computing_key

    return cache.get(forecast_computing_key(DEFAULT_HORIZON)) is not None


def computing_key(period) -> str:
    return f"{COMPUTING_KEY}:{period.fiscal_year}:{period.quarter}"


def queue_period_arrays(period, today: datetime.date) -> None:
    """Ask the background worker for the period's arrays, once per version of the facts."""
    from django.core.cache import cache

    from keyplan.sales.rollup import sales_version
    from keyplan.salesplan.tasks import recompute_period_arrays

    version = sales_version()
    if cache.add(computing_key(period), version, 900):
        recompute_period_arrays.enqueue(
            version, period.fiscal_year, period.quarter, today.isoformat()
        )


# -- computing: territory-wide, for nobody in particular -----------------------------


def _cents(value) -> int:
    return int(Decimal(value).scaleb(2))


def _pairs(rows):
    """(account, line, cents, has) columns of grouped (account, line, sum, count) rows."""
    n = len(rows)
    account = np.fromiter((r[0] for r in rows), np.int64, n)
    line = np.fromiter((NO_LINE if r[1] is None else r[1] for r in rows), np.int64, n)
    cents = np.fromiter((_cents(r[2] or 0) for r in rows), np.int64, n)
    has = np.fromiter((bool(r[3]) for r in rows), bool, n)
    return account, line, cents, has


def _per_account(accounts, account, cents, has):
    """Sum pairs into the accounts' order (exact: int64)."""
    total = np.zeros(len(accounts), np.int64)
    seen = np.zeros(len(accounts), bool)
    if len(account):
        pos = np.searchsorted(accounts, account)
        np.add.at(total, pos, cents)
        seen[pos[has]] = True
    return total, seen


def compute(period, today: datetime.date, result) -> PeriodArrays:
    """Every account's figures of ``period`` (see the module): three grouped queries and
    the period's forecast of every account."""
    from django.db.models import Count, Sum

    from keyplan.accounts.models import Account
    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity, SalesMonth
    from keyplan.salesplan import forecasting

    last = won_to(period, today)
    sales = list(
        SalesMonth.objects.filter(month__gte=period.start, month__lte=last)
        .order_by()
        .values_list("account_id", "product__product_line_id")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .values_list("account_id", "product__product_line_id", "total", "n")
    )
    deals = list(
        Opportunity.objects.filter(
            status=OpportunityStatus.OPEN,
            close_date__gte=period.start,
            close_date__lte=period.end,
            amount__isnull=False,
        )
        .order_by()
        .values_list("account_id", "product__product_line_id")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .values_list("account_id", "product__product_line_id", "total", "n")
    )
    s_account, s_line, s_cents, s_has = _pairs(sales)
    d_account, d_line, d_cents, d_has = _pairs(deals)

    forecast_by_account = None
    note = ""
    if result is None:
        note = FORECAST_NOT_COMPUTED
    else:
        everyone = Account.objects.order_by().values("pk")
        found = forecasting.period_forecast(everyone, period, result=result)
        if getattr(found, "available", False):
            forecast_by_account = found.by_account
        else:
            note = "; ".join(getattr(found, "notes", None) or []) or "not computed yet"
    f_ids = np.array(sorted(forecast_by_account or ()), dtype=np.int64)

    accounts = np.unique(np.concatenate([s_account, d_account, f_ids]))
    won, won_has = _per_account(accounts, s_account, s_cents, s_has)
    pipeline, pipeline_has = _per_account(accounts, d_account, d_cents, d_has)
    forecast = forecast_has = None
    if forecast_by_account is not None:
        forecast = np.zeros(len(accounts), np.int64)
        forecast_has = np.zeros(len(accounts), bool)
        pos = np.searchsorted(accounts, f_ids)
        forecast[pos] = [_cents(forecast_by_account[int(pk)]) for pk in f_ids]
        forecast_has[pos] = True
    # Won and pipeline per (account, line): one list of pairs for both.
    keys = np.unique(
        np.concatenate([np.stack([s_account, s_line], 1), np.stack([d_account, d_line], 1)]),
        axis=0,
    ).reshape(-1, 2)
    line_account, line = keys[:, 0].copy(), keys[:, 1].copy()
    line_won, line_won_has = _at_pairs(keys, s_account, s_line, s_cents, s_has)
    line_pipeline, line_pipeline_has = _at_pairs(keys, d_account, d_line, d_cents, d_has)
    return PeriodArrays(
        accounts=accounts,
        won=won,
        won_has=won_has,
        pipeline=pipeline,
        pipeline_has=pipeline_has,
        forecast=forecast,
        forecast_has=forecast_has,
        forecast_note=note,
        line_account=line_account,
        line=line,
        line_won=line_won,
        line_won_has=line_won_has,
        line_pipeline=line_pipeline,
        line_pipeline_has=line_pipeline_has,
    )


def _at_pairs(keys, account, line, cents, has):
    """Values of (account, line) pairs placed at their row of ``keys`` (sorted, unique;
    each pair appears once in a grouped query)."""
    out = np.zeros(len(keys), np.int64)
    seen = np.zeros(len(keys), bool)
    if len(account):
        # Rows of a lexicographically sorted (account, line) table: search a combined key.
        span = int(max(keys[:, 1].max(), line.max())) + 2
        combined = keys[:, 0] * span + (keys[:, 1] + 1)
        pos = np.searchsorted(combined, account * span + (line + 1))
        out[pos] = cents
        seen[pos] = has
    return out, seen


# -- grouping at request time: who the accounts belong to now -------------------------


def _column(user, path):
    """(account ids, key of each) of the accounts ``user`` sees, by ``path`` (owner_id,
    owner__team_id, tier__tier): one query, read through the cursor (100,000 rows)."""
    from keyplan.accounts.models import Account

    qs = Account.objects.visible_to(user).order_by().values_list("pk", path)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    return ids, [r[1] for r in rows]


@dataclass
class AccountKeys:
    """The accounts a user sees (sorted ids) and, per account, the code of its row key
    (``keys[code]``): read once per request, live."""

    ids: np.ndarray
    account_codes: np.ndarray
    keys: list

    def codes(self, accounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(which of ``accounts`` the user sees, the row code of each of those)."""
        if not len(self.ids):
            return np.zeros(len(accounts), bool), np.zeros(0, np.int64)
        pos = np.searchsorted(self.ids, accounts)
        hit = (pos < len(self.ids)) & (self.ids[np.minimum(pos, len(self.ids) - 1)] == accounts)
        return hit, self.account_codes[pos[hit]]


def account_keys(user, path: str) -> AccountKeys:
    """Who the accounts ``user`` sees belong to now, by ``path`` (owner_id,
    owner__team_id, tier__tier): one two-column query."""
    from keyplan.salesplan.rollups import _key

    ids, values = _column(user, path)
    # Each distinct owner / team / tier once (a few hundred), then a code per account.
    raw: dict = {}
    raw_codes = np.fromiter((raw.setdefault(v, len(raw)) for v in values), np.int64, len(values))
    index: dict = {}
    remap = np.array([index.setdefault(_key(v), len(index)) for v in raw], np.int64)
    order = np.argsort(ids)
    return AccountKeys(ids[order], remap[raw_codes[order]] if len(ids) else raw_codes, list(index))


def goal_sums(mapping: AccountKeys, period) -> dict:
    """{row key: Decimal} of the account goals of ``period`` on the accounts of
    ``mapping`` (those the user sees, as ``AccountGoal.objects.visible_to`` keeps them),
    grouped through the same account → key mapping: one query of (account, cents) rows,
    no join (a live join of 100,000 goals to accounts and tiers took 0.42 s in SQLite)."""
    from django.db.models import BigIntegerField, F
    from django.db.models.functions import Cast, Round

    from keyplan.salesplan.models import AccountGoal

    qs = (
        AccountGoal.objects.filter(fiscal_year=period.fiscal_year, quarter=period.quarter)
        .order_by()
        .annotate(cents=Cast(Round(F("amount") * 100), BigIntegerField()))
        .values_list("account_id", "cents")
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    accounts = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    cents = np.fromiter((r[1] for r in rows), np.int64, len(rows))
    hit, codes = mapping.codes(accounts)
    return _sums(codes, mapping.keys, cents[hit], np.ones(len(codes)))


def _visible_ids(user) -> np.ndarray | None:
    """Sorted ids of the accounts ``user`` sees; None: all of them."""
    from keyplan.accounts.models import Account
    from keyplan.people.scope import scope_for

    if scope_for(user).everything:
        return None
    ids = Account.objects.visible_to(user).order_by().values_list("pk", flat=True)
    return np.unique(np.fromiter(ids, np.int64))


def _sums(codes, keys, weights, has) -> dict:
    """{key: Decimal} over the codes of rows with a row behind them."""
    n = len(keys)
    if not len(codes):
        return {}
    totals = np.rint(np.bincount(codes, weights=weights, minlength=n)).astype(np.int64)
    named = np.bincount(codes, weights=has, minlength=n) > 0
    return {keys[i]: Decimal(int(totals[i])).scaleb(-2) for i in np.flatnonzero(named)}


def grouped(
    arrays: PeriodArrays, *, user, by: str, path: str | None, mapping=None
) -> dict[str, dict]:
    """{measure: {row key: Decimal}} for ``won``, ``pipeline`` and (when computed)
    ``forecast`` of the accounts ``user`` sees, by ``by`` — ``path``: the account's path
    to the row's key (rep, team, tier); the product line's rows come from the pairs.
    ``mapping``: the ``account_keys(user, path)`` already read for this request."""
    from keyplan.salesplan.rollups import _key

    out: dict[str, dict] = {}
    if by == "product_line":
        visible = _visible_ids(user)
        take = (
            np.ones(len(arrays.line_account), bool)
            if visible is None
            else np.isin(arrays.line_account, visible)
        )
        lines, codes = np.unique(arrays.line[take], return_inverse=True)
        keys = [_key(None if v == NO_LINE else int(v)) for v in lines]
        codes = codes.reshape(-1)
        out["won"] = _sums(codes, keys, arrays.line_won[take], arrays.line_won_has[take])
        out["pipeline"] = _sums(
            codes, keys, arrays.line_pipeline[take], arrays.line_pipeline_has[take]
        )
        return out
    mapping = mapping or account_keys(user, path)
    if not len(mapping.ids):
        return {"won": {}, "pipeline": {}} | ({} if arrays.forecast is None else {"forecast": {}})
    hit, codes = mapping.codes(arrays.accounts)
    keys = mapping.keys
    out["won"] = _sums(codes, keys, arrays.won[hit], arrays.won_has[hit])
    out["pipeline"] = _sums(codes, keys, arrays.pipeline[hit], arrays.pipeline_has[hit])
    if arrays.forecast is not None:
        out["forecast"] = _sums(codes, keys, arrays.forecast[hit], arrays.forecast_has[hit])
    return out


def visible_totals(arrays: PeriodArrays, user) -> dict:
    """{"won": Decimal, "forecast": Decimal or None} over the accounts ``user`` sees."""
    visible = _visible_ids(user)
    take = (
        np.ones(len(arrays.accounts), bool)
        if visible is None
        else np.isin(arrays.accounts, visible)
    )

    def total(values):
        return Decimal(int(values[take].sum())).scaleb(-2)

    return {
        "won": total(arrays.won),
        "forecast": None if arrays.forecast is None else total(arrays.forecast),
    }

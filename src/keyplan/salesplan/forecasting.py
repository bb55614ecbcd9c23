"""What a sales period is expected to bring per account: the sales already booked in it
(the roll-up) plus the territory's cached forecast for its months still to come — and the
run rate before it.

Reads only: the forecast is computed in the background after the sales change
(``forecast.selectors.cached_result``), never here; when it is not in the cache the result
says so (``available`` False) and holds only what is booked. The forecast and the booked
sales are keyed by the same version of the roll-up, so a month is either booked (up to the
forecast's last month of sales) or forecast (after it), never both.

The current month is always a forecast month (``forecast.series``: the history ends at
the last complete month, and at the last one that looks loaded), so the sales booked in
it so far are *not* added: the month counts its forecast of the whole month, which those
sales are part of. Not max(booked, forecast): that would jump the day one large order
lands, and summed per account (``period_forecast``) or per product line
(``line_forecast``) it would give the same team two different totals. Once the month is
over (and loaded) its sales count as booked. The booked lines are not lost: the account
page lists them with its sales.

Every function reads the roll-up in one grouped query and the forecast in one vectorised
pass over its per-account view: never a query per account."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import QuerySet, Sum

ZERO = Decimal(0)


@dataclass(frozen=True)
class Span:
    """A run of whole months, first to last day, for what is not a fiscal period (an
    account plan's own twelve months). Anything with ``start`` and ``end`` dates does."""

    start: datetime.date
    end: datetime.date


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _month(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_of(period) -> list[datetime.date]:
    """First days of the months ``period`` (a Period or Span) runs through."""
    first, last = _month_index(period.start), _month_index(period.end)
    return [_month(i) for i in range(first, last + 1)]


@dataclass
class PeriodForecast:
    """Per account, what the period is expected to bring (booked + forecast)."""

    by_account: dict[int, Decimal]
    booked: dict[int, Decimal]
    forecast: dict[int, Decimal]
    months: int  # months in the period
    months_booked: int  # months whose sales are in (up to the last month of sales)
    months_forecast: int  # months the cached forecast covers
    available: bool  # False: the forecast is not computed yet (only booked sales count)
    last_month: datetime.date | None = None  # the last month of sales the forecast knows
    result: object = field(default=None, repr=False)  # the territory's forecast it read

    @property
    def total(self) -> Decimal:
        return sum(self.by_account.values(), ZERO)

    @property
    def booked_total(self) -> Decimal:
        return sum(self.booked.values(), ZERO)

    @property
    def forecast_total(self) -> Decimal:
        return sum(self.forecast.values(), ZERO)

    @property
    def months_covered(self) -> int:
        return self.months_booked + self.months_forecast

    @property
    def months_missing(self) -> int:
        """Months of the period neither booked nor forecast (beyond the horizon)."""
        return self.months - self.months_covered

    def get(self, account_id: int) -> Decimal:
        return self.by_account.get(account_id, ZERO)

    @property
    def sentence(self) -> str:
        """What the figure holds, in words ("" when it is complete)."""
        if not self.available:
            from keyplan.salesplan.period_arrays import FORECAST_COMPUTING_NOTE, forecast_computing

            if forecast_computing():  # queued after a sales change: not a dead end
                return (
                    f"The forecast is {FORECAST_COMPUTING_NOTE}; until then only the sales "
                    "already booked in the period count."
                )
            return (
                "The forecast is not computed yet: only the sales already booked in the "
                "period count."
            )
        if self.months_missing > 0:
            from keyplan.core.words import plural

            return (
                f"{plural(self.months_missing, 'month')} of the period lie beyond the "
                "forecast's horizon and are not counted."
            )
        return ""


def account_ids(ids_or_subquery) -> list[int]:
    """The ids, from a list or a queryset (one query) of accounts or their ids."""
    if isinstance(ids_or_subquery, QuerySet):
        qs = ids_or_subquery.order_by()  # a set of ids: no sort (Account's is by name)
        # A .values("pk") / .values_list("pk") subquery: its one column, as plain values.
        return list(qs.values_list(qs._fields[0] if qs._fields else "pk", flat=True))
    return [int(pk) for pk in ids_or_subquery]


def sales_between(ids, first: datetime.date, last: datetime.date) -> dict[int, Decimal]:
    """Net revenue per account over the months ``first``..``last`` (one grouped query on
    the roll-up; ``ids`` a list or a subquery)."""
    from keyplan.sales.models import SalesMonth

    if first > last:
        return {}
    rows = (
        SalesMonth.objects.filter(account_id__in=ids, month__gte=first, month__lte=last)
        .order_by()
        .values_list("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    return {pk: total for pk, total in rows if total is not None}


def booked_until(period, result) -> datetime.date:
    """The last month of ``period`` whose sales count as booked: the month before the
    forecast's first (every month when there is no forecast)."""
    last = _month_index(period.end)
    if result is not None and result.months:
        last = min(last, _month_index(result.months[0]) - 1)
    return _month(last)


def period_forecast(
    ids_or_subquery, period, *, horizon: int | None = None, result=None, booked=None
):
    """Per account of ``ids_or_subquery`` (ids, or a queryset of accounts or of their ids),
    what ``period`` (a Period, or a Span) is expected to bring: the sales booked in its
    months plus the cached forecast for its months still to come. Accounts with neither
    are left out (0). ``result``: the territory's forecast when the caller has it;
    ``booked``: the booked sales per account when the caller has read them (months up to
    ``booked_until``), else one query."""
    from django.utils import timezone

    from keyplan.forecast.selectors import cached_result, period_result, reaching

    months = months_of(period)
    if result is None:
        result = cached_result(horizon) if horizon else period_result()
    elif not horizon:
        result = reaching(result)  # to the planning year's end, when computed so
    available = result is not None and bool(result.months)
    start = months[0]
    last_booked = booked_until(period, result if available else None)
    if booked is None:
        ids = _sql_ids(ids_or_subquery)
        booked = sales_between(ids, start, last_booked)
    if not available:
        # Everything booked in the period so far; the months up to this one count as in.
        up_to = min(_month_index(months[-1]), _month_index(timezone.localdate()))
        return PeriodForecast(
            by_account=dict(booked),
            booked=booked,
            forecast={},
            months=len(months),
            months_booked=max(0, up_to - _month_index(start) + 1),
            months_forecast=0,
            available=False,
        )
    inside = [i for i, m in enumerate(result.months) if start <= m <= months[-1]]
    forecast = _forecast_part(result, account_ids(ids_or_subquery), inside) if inside else {}
    by_account = dict(booked)
    for pk, value in forecast.items():
        by_account[pk] = by_account.get(pk, ZERO) + value
    return PeriodForecast(
        by_account=by_account,
        booked=booked,
        forecast=forecast,
        months=len(months),
        months_booked=max(0, _month_index(last_booked) - _month_index(start) + 1),
        months_forecast=len(inside),
        available=True,
        last_month=result.last_month,
        result=result,
    )


def _sql_ids(ids_or_subquery):
    """For the database: the subquery as it is (no list of 20,000 parameters)."""
    if isinstance(ids_or_subquery, QuerySet):
        return ids_or_subquery if ids_or_subquery._fields else ids_or_subquery.values("pk")
    return list(ids_or_subquery)


def _forecast_part(result, ids: list[int], inside: list[int]) -> dict[int, Decimal]:
    """Per account, the forecast over the month indexes ``inside`` (cents → Decimal)."""
    from keyplan.forecast.engine import account_view
    from keyplan.forecast.selectors import cents

    if not inside or not ids:
        return {}
    view = account_view(result)
    if not len(view.ids):
        return {}
    wanted = np.array(sorted(set(ids)), dtype=np.int64)
    pos = np.searchsorted(view.ids, wanted)
    clipped = np.minimum(pos, len(view.ids) - 1)
    hit = view.ids[clipped] == wanted
    totals = view.months[clipped[hit]][:, inside].sum(axis=1)
    return {int(pk): cents(total) for pk, total in zip(wanted[hit], totals, strict=True) if total}


def run_rate(ids_or_subquery, period, *, result=None) -> dict[int, Decimal]:
    """Per account, the sales of the last twelve months before ``period`` starts (one
    query). With ``result`` (the territory's forecast), twelve booked months: for a year
    still to come (planning next year in December) the twelve up to the month before the
    forecast's first — not the calendar months before the year, whose last ones have no
    sales yet."""
    last = _month_index(period.start) - 1
    if result is not None and getattr(result, "months", None):
        last = min(last, _month_index(result.months[0]) - 1)
    return sales_between(_sql_ids(ids_or_subquery), _month(last - 11), _month(last))


def line_forecast(ids_or_subquery, period, *, horizon: int | None = None) -> PeriodForecast:
    """Like ``period_forecast``, per product line instead of per account (``by_account``
    then maps a product line id — None: sales without a product — to what the period is
    expected to bring from the accounts together). One grouped query on the roll-up and
    one pass over the cached forecast's series."""
    from keyplan.forecast.selectors import cached_result, cents, period_result
    from keyplan.sales.models import SalesMonth

    months = months_of(period)
    result = cached_result(horizon) if horizon else period_result()
    available = result is not None and bool(result.months)
    last_booked = booked_until(period, result if available else None)
    rows = (
        SalesMonth.objects.filter(
            account_id__in=_sql_ids(ids_or_subquery), month__gte=months[0], month__lte=last_booked
        )
        .order_by()
        .values_list("product__product_line_id")
        .annotate(total=Sum("amount"))
        .values_list("product__product_line_id", "total")
    )
    booked = {line: total for line, total in rows if total is not None}
    forecast: dict = {}
    inside = (
        [i for i, m in enumerate(result.months) if months[0] <= m <= months[-1]]
        if available
        else []
    )
    if inside:
        ids = np.array(sorted(set(account_ids(ids_or_subquery))), dtype=np.int64)
        series = np.isin(result.accounts, ids)
        totals = result.expected[series][:, inside].sum(axis=1)
        lines = result.lines[series]
        for line in np.unique(lines):
            value = cents(totals[lines == line].sum())
            if value:
                forecast[int(line)] = value
    by_line = dict(booked)
    for line, value in forecast.items():
        by_line[line] = by_line.get(line, ZERO) + value
    if available:
        booked_months = max(0, _month_index(last_booked) - _month_index(months[0]) + 1)
    else:
        from django.utils import timezone

        up_to = min(_month_index(months[-1]), _month_index(timezone.localdate()))
        booked_months = max(0, up_to - _month_index(months[0]) + 1)
    return PeriodForecast(
        by_account=by_line,
        booked=booked,
        forecast=forecast,
        months=len(months),
        months_booked=booked_months,
        months_forecast=len(inside),
        available=available,
        last_month=result.last_month if available else None,
        result=result if available else None,
    )

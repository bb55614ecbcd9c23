"""Sales in a window: the one place analyses read the roll-up.

The default window (12 months to the latest month with sales) is kept summed per account
and product in ``SalesYear`` by the roll-up itself, so it is read from there — one row
per account and product bought instead of twelve monthly rows. Any other window sums
``SalesMonth``. Both have ``account_id``, ``product_id`` and ``amount``, so callers group
and sum the same way whichever table answers.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, DecimalField, F, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round

from keyplan.sales.models import SalesMonth, SalesYear, SalesYearWindow


def kept_window():
    """The window ``SalesYear`` holds (None: no sales)."""
    from keyplan.territory.analysis.params import Window

    last = SalesYearWindow.objects.filter(pk=1).values_list("last_month", flat=True).first()
    return None if last is None else Window.year_to(last)


def in_window(window):
    """Roll-up rows (account_id, product_id, amount) whose sums are the window's sales."""
    if kept_window() == window:
        return SalesYear.objects.all()
    return SalesMonth.objects.filter(month__gte=window.start, month__lte=window.end)


def raw_rows(queryset, size: int = 20000):
    """The rows of a ``values_list`` query as the database driver returns them, without
    Django's per-value conversion (for hundreds of thousands of rows; amounts arrive as
    float on SQLite and Decimal on PostgreSQL — callers convert what they keep)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. ``__in=[]``: Django knows there is nothing to read
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield from rows


def money(cents: int) -> Decimal:
    """Whole cents back as an amount to show (exact)."""
    return Decimal(cents).scaleb(-2)


def in_cents(amount):
    """An amount column or sum as whole cents, computed by the database: hundreds of
    thousands of rows then arrive as plain ints (amounts are stored to the cent, so the
    rounding only removes binary floating-point noise on SQLite)."""
    zero, hundred = Value(0, output_field=DecimalField()), Value(100, output_field=DecimalField())
    return Cast(Round(Coalesce(amount, zero) * hundred), BigIntegerField())


def sales_by_item(window, key: str, item_ids, account_ids=None) -> Iterator[tuple[int, int, int]]:
    """(account id, item id, net sales in cents) over the window, per account and item,
    where ``key`` is ``product_id`` or ``product__product_line_id``; every account's, or
    those of ``account_ids``."""
    rows = in_window(window).filter(**{f"{key}__in": list(item_ids)})
    if account_ids is not None:
        rows = rows.filter(account_id__in=account_ids)
    if key == "product_id" and rows.model is SalesYear:  # one row each
        rows = rows.order_by().annotate(c=in_cents(F("amount")))
        rows = rows.values_list("account_id", "product_id", "c")
    else:
        rows = rows.order_by().values("account_id", key).annotate(c=in_cents(Sum("amount")))
        rows = rows.values_list("account_id", key, "c")
    return raw_rows(rows)


_kept: dict | None = None


@contextmanager
def reuse():
    """Within this block, facts read once are kept and reused: ``keyplan analyze all``
    runs five analyses over the same sales. Outside it (pages, the API) nothing is kept."""
    global _kept
    _kept = {}
    try:
        yield
    finally:
        _kept = None


def account_totals(window, accounts=None) -> dict[int, int]:
    """Net sales in cents per account over the window, for the accounts that have any —
    of ``accounts`` (a queryset) or, when None, of the whole territory."""

    def read():
        rows = in_window(window)
        if accounts is not None:
            rows = rows.filter(account_id__in=accounts.values("pk"))
        rows = rows.order_by().values("account_id").annotate(c=in_cents(Sum("amount")))
        return dict(raw_rows(rows.values_list("account_id", "c")))

    if accounts is not None or _kept is None:
        return read()
    key = ("accounts", window)
    if key not in _kept:
        _kept[key] = read()
    return _kept[key]

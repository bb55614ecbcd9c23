"""Sales in a window: the one place analyses read the roll-up.

The default window (12 months to the latest month with sales) is kept summed per account
and product in ``SalesYear`` by the roll-up itself, so it is read from there — one row
per account and product bought instead of twelve monthly rows. Any other window sums
``SalesMonth``. Both have ``account_id``, ``product_id`` and ``amount``, so callers group
and sum the same way whichever table answers.
"""

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, DecimalField, F, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round

from keyplan.catalog.models import Product
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


# -- the monthly roll-up as numpy columns ---------------------------------------------------
@dataclass
class MonthlySales:
    """Every roll-up row (``SalesMonth``) as columns, as stored: an account, product and
    month may have two rows (sale lines, and won deals without sale lines); callers sum
    them with :func:`sum_cells`. Rows without a product are left out (no item to count
    them under)."""

    account: np.ndarray  # int32 account id (int64 if ids are that large)
    product: np.ndarray  # int32 product id (likewise)
    month: np.ndarray  # int32 month index: year × 12 + month − 1
    cents: np.ndarray  # int64 net sales in whole cents

    def __len__(self) -> int:
        return len(self.account)


_CHUNK_ROWS = 500_000
# Account and product ids are far below 2**31 (64 bits if not) and a month index is about
# 24,000: 20 bytes a row instead of 32 (cents need 64 bits).
_DTYPES = (np.int32, np.int32, np.int32, np.int64)
_INT32_MAX = np.iinfo(np.int32).max


def _read_monthly_sales() -> MonthlySales:
    # Plain SQL, not the ORM's: on SQLite a bare date column goes through a Python
    # converter per row and the ORM's decimal casts cost another third. Every column
    # arrives as an integer (the month as year × 12 + month − 1, computed by the
    # database), so each chunk of rows becomes one flat numpy array at C speed; a Python
    # object per row kept for millions of rows would take gigabytes. Amounts are stored to
    # the cent, so ROUND only removes binary noise on SQLite (the cents of ``in_cents``).
    table = SalesMonth._meta.db_table
    if connection.vendor == "sqlite":
        month = "CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER)"
        cents = "CAST(ROUND(amount * 100) AS INTEGER)"
    else:
        month = (
            "CAST(EXTRACT(YEAR FROM month) AS INTEGER) * 12"
            " + CAST(EXTRACT(MONTH FROM month) AS INTEGER)"
        )
        cents = "CAST(ROUND(amount * 100) AS BIGINT)"
    sql = (
        f"SELECT account_id, product_id, {month} - 1, {cents} FROM {table} "
        "WHERE product_id IS NOT NULL"
    )
    parts: list[list[np.ndarray]] = [[], [], [], []]
    dtypes = _DTYPES
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(_CHUNK_ROWS):
            flat = itertools.chain.from_iterable(chunk)
            rows = np.fromiter(flat, np.int64, 4 * len(chunk)).reshape(-1, 4)
            del chunk
            if dtypes[0] is np.int32 and len(rows) and rows[:, :2].max() > _INT32_MAX:
                dtypes = (np.int64, np.int64, *dtypes[2:])  # ids this large: keep 64 bits
                for k in (0, 1):
                    parts[k] = [part.astype(np.int64) for part in parts[k]]
            for k, part in enumerate(parts):
                part.append(rows[:, k].astype(dtypes[k]))
    # One column at a time, each chunk list freed once joined: at most the columns plus
    # one more in memory (13.7 million rows: 275 MB kept).
    columns = []
    for k, part in enumerate(parts):
        columns.append(np.concatenate(part) if part else np.zeros(0, dtypes[k]))
        part.clear()
    return MonthlySales(*columns)


def monthly_sales() -> MonthlySales:
    """The whole monthly roll-up as numpy columns (white space and the forecast read it).
    Within :func:`reuse`, read once per version of the sales and kept."""
    return latest("monthly", (), _read_monthly_sales)


def forget(kind: str) -> None:
    """Within :func:`reuse`, drop what is kept of ``kind`` (its memory is wanted back)."""
    if _kept is not None:
        for old in [k for k in _kept if k[0] == kind]:
            del _kept[old]


def latest(kind: str, key: tuple, read):
    """``read()``, kept within :func:`reuse` per ``key`` and version of the sales (facts
    changed within the block: read them again); one of each ``kind`` at a time, the one
    before dropped first. Outside the block, read every time."""
    if _kept is None:
        return read()
    from keyplan.sales.rollup import sales_version

    full = (kind, *key, sales_version())
    if full not in _kept:
        forget(kind)
        _kept[full] = read()
    return _kept[full]


def product_lines() -> tuple[np.ndarray, np.ndarray]:
    """(product ids sorted, the product line of each)."""
    pairs = np.array(
        list(Product.objects.order_by("pk").values_list("pk", "product_line_id")), dtype=np.int64
    ).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def sum_cells(group: np.ndarray, month: np.ndarray, cents: np.ndarray):
    """Net cents per group (a non-negative int code) and month, summed over rows:
    (group, month, cents) sorted by group then month, one row per pair that has rows."""
    if not len(group):
        empty = np.zeros(0, np.int64)
        return empty, empty.copy(), empty.copy()
    first = int(month.min())
    span = int(month.max()) - first + 1
    key = np.multiply(group, span, dtype=np.int64)
    key += month
    key -= first
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    total = np.add.reduceat(cents[order], starts)
    key = key[starts]
    del order
    return key // span, key % span + first, total

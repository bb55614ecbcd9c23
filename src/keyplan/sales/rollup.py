"""The sales roll-up (``SalesMonth``): account × product × month.

``rollup_refresh(account_ids=...)`` recomputes the roll-up of the given accounts from
their sale lines and their won opportunities that have no sale lines; it runs inside the
caller's transaction, so an import or API write and its roll-up commit or roll back
together. It is set-based — ``INSERT … SELECT … GROUP BY`` in the database, a chunk of
accounts at a time — so refreshing after a million-line import moves no rows through
Python. A cell may have two rows, one per source (sale lines, won deals); readers sum.

``rollup_replace`` is the same for a big import, in two steps: the import computes the
sale-line part of its accounts' roll-up beforehand, outside its write transaction (from
its stage and the lines already there), and inside only swaps those accounts' rows for
it and adds the won-deal part, which it reads then.

The same transaction keeps ``SalesYear`` — the default analysis window (12 months to the
latest month with sales) summed per account and product: the refreshed accounts' rows,
or all of them when the latest month has moved.
"""

import datetime
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.dispatch import Signal

from keyplan.core.bulk import ANALYZE_AFTER, analyze, drop_indexes
from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity, SaleLine, SalesMonth, SalesYear, SalesYearWindow

_CHUNK = 500
VERSION_KEY = "keyplan:sales-version"

# Sent after a transaction that refreshed the roll-up has committed (analyses listen, to
# recompute in the background what pages will ask for).
rollup_committed = Signal()


def sales_version() -> int:
    """Changes whenever the roll-up does, so cached analyses are never stale."""
    return cache.get(VERSION_KEY, 0)


def _committed() -> None:
    _bump_version()
    rollup_committed.send(sender=None, version=sales_version())


def _bump_version() -> None:
    # Set, never ``incr``: Django's incr on the file cache (the default) writes the key
    # back with the default five-minute timeout, after which the version fell back to 0
    # (white space then said "being relearned" about today's model, and later changes
    # reused numbers under which stale analyses were cached). A number that never repeats
    # (the time in microseconds, and above any number this process gave), even when the
    # key was lost from a full cache right after two changes in the same millisecond.
    global _last_issued
    _last_issued = max(sales_version() + 1, _last_issued + 1, time.time_ns() // 1_000)
    cache.set(VERSION_KEY, _last_issued, None)


_last_issued = 0


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _statements(where_sales: str, where_opps: str) -> list[str]:
    rollup = SalesMonth._meta.db_table
    lines = SaleLine._meta.db_table
    opps = Opportunity._meta.db_table
    columns = "account_id, product_id, month, amount, quantity, from_opportunities"
    return [
        f"INSERT INTO {rollup} ({columns}) "
        f"SELECT account_id, product_id, {_month('date')}, SUM(amount), SUM(quantity), 0 "
        f"FROM {lines} {where_sales} "
        f"GROUP BY account_id, product_id, {_month('date')}",
        f"INSERT INTO {rollup} ({columns}) "
        f"SELECT o.account_id, o.product_id, {_month('o.close_date')}, SUM(o.amount), 0, "
        f"SUM(o.amount) FROM {opps} o "
        f"WHERE o.status = %s {where_opps} "
        f"AND NOT EXISTS (SELECT 1 FROM {lines} s WHERE s.opportunity_id = o.id) "
        f"GROUP BY o.account_id, o.product_id, {_month('o.close_date')}",
    ]


@transaction.atomic
def rollup_refresh(*, account_ids: Iterable[int] | None = None) -> None:
    """Recompute the roll-up for ``account_ids`` (all accounts when None)."""
    won = OpportunityStatus.WON.value
    # Bump now (readers in this transaction see new facts) and again on commit (other
    # processes may have cached what they read before the commit under the first bump).
    _bump_version()
    transaction.on_commit(_committed)
    with connection.cursor() as cursor:
        if account_ids is None:
            SalesMonth.objects.all().delete()
            sales_sql, opps_sql = _statements("", "")
            cursor.execute(sales_sql)
            cursor.execute(opps_sql, [won])
            year_refresh(cursor)
            analyze(SalesMonth, SalesYear)
            return
        ids = sorted(set(account_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            SalesMonth.objects.filter(account_id__in=chunk).delete()
            marks = ", ".join(["%s"] * len(chunk))
            sales_sql, opps_sql = _statements(
                f"WHERE account_id IN ({marks})", f"AND o.account_id IN ({marks})"
            )
            cursor.execute(sales_sql, chunk)
            cursor.execute(opps_sql, [won, *chunk])
        year_refresh(cursor, ids)
        if len(ids) >= ANALYZE_AFTER:
            analyze(SalesMonth, SalesYear)


def rollup_sale_lines_sql(sources: list[str]) -> str:
    """The sale-line part of the roll-up, sorted by cell, of the union of ``sources``
    (``SELECT account_id, product_id, date, amount, quantity …`` each): what
    ``rollup_replace`` takes, computed before the write transaction."""
    lines = " UNION ALL ".join(sources)
    return (
        f"SELECT account_id, product_id, {_month('date')} AS month, SUM(amount), "
        f"SUM(quantity) FROM ({lines}) lines "
        f"GROUP BY account_id, product_id, {_month('date')} "
        f"ORDER BY account_id, product_id, month"
    )


@transaction.atomic
def rollup_replace(
    *,
    accounts_sql: str,
    sales_sql: str,
    account_ids: list[int],
    rebuild_indexes=False,
    announce=True,
) -> None:
    """The roll-up of the accounts ``accounts_sql`` selects (``SELECT account_id …``) is
    what ``sales_sql`` selects (``account_id, product_id, month, amount, quantity``: their
    whole sale-line part, from ``rollup_sale_lines_sql``, computed while only reading) plus
    their won deals without sale lines, read now. The caller has made sure the sale lines
    did not change since it was computed. Set-wise statements only: no rows pass through
    Python, and a first load into an empty roll-up is a plain insert.
    ``rebuild_indexes`` (when the rows swapped in are most of the roll-up): its indexes
    are dropped before the delete and built again at the end, a third of the time of
    updating them row by row at a million rows. ``announce=False`` (one step of an import
    written in several): the caller says the facts changed, with ``announce_change``,
    once its last step is written."""
    if announce:
        _bump_version()
        transaction.on_commit(_committed)
    rollup = SalesMonth._meta.db_table
    columns = "account_id, product_id, month, amount, quantity, from_opportunities"
    accounts = f"({accounts_sql})"
    with connection.cursor() as cursor:
        rebuilt = drop_indexes(SalesMonth) if rebuild_indexes else []
        cursor.execute(f"DELETE FROM {rollup} WHERE account_id IN {accounts}")
        # Read in the order it was written, which is sorted by cell: the roll-up's
        # indexes then grow mostly at their ends.
        cursor.execute(
            f"INSERT INTO {rollup} ({columns}) "
            f"SELECT account_id, product_id, month, amount, quantity, 0 FROM ({sales_sql}) s"
        )
        _sales_sql, opps_sql = _statements("", f"AND o.account_id IN {accounts}")
        cursor.execute(opps_sql, [OpportunityStatus.WON.value])
        for sql in rebuilt:
            cursor.execute(sql)
        ids = sorted(set(account_ids))
        year_refresh(cursor, ids)
        if announce and len(ids) >= ANALYZE_AFTER:
            analyze(SalesMonth, SalesYear)


def announce_change(*, accounts: int) -> None:
    """After the last step of an import written in several transactions: the facts
    changed (cached analyses are recomputed), said once rather than after every step;
    the planner's statistics are brought up to date when many accounts changed."""
    if accounts >= ANALYZE_AFTER:
        with transaction.atomic():
            analyze(SalesMonth, SalesYear)
    _committed()


def year_start(last_month: datetime.date) -> datetime.date:
    """First day of the 12-month window that ends with ``last_month``."""
    month = last_month.month - 12
    return datetime.date(last_month.year + month // 12, month % 12 + 1, 1)


def year_refresh(cursor, ids: list[int] | None = None) -> None:
    """Bring ``SalesYear`` up to date with the roll-up: for ``ids`` only when the latest
    month with sales is the one it was summed to, otherwise (or when ``ids`` is None) all
    of it. The window row is locked, so two writers cannot both rebuild."""
    # Lock first, then read the latest month: a writer that waited for another's rebuild
    # then sees the month that rebuild summed to.
    state = SalesYearWindow.objects.select_for_update().filter(pk=1).first()
    if state is None:
        state = SalesYearWindow.objects.create(pk=1, last_month=None)
        ids = None
    latest = SalesMonth.objects.aggregate(m=Max("month"))["m"]
    if ids is None or state.last_month != latest:
        SalesYear.objects.all().delete()
        state.last_month = latest
        state.save(update_fields=["last_month"])
        chunks = [None]
    else:
        chunks = [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
    if latest is None:
        return
    year = SalesYear._meta.db_table
    months = SalesMonth._meta.db_table
    for chunk in chunks:
        where, params = "", [year_start(latest), latest]
        if chunk is not None:
            SalesYear.objects.filter(account_id__in=chunk).delete()
            where = f"AND account_id IN ({', '.join(['%s'] * len(chunk))})"
            params += chunk
        cursor.execute(
            f"INSERT INTO {year} (account_id, product_id, amount) "
            f"SELECT account_id, product_id, SUM(amount) FROM {months} "
            f"WHERE month >= %s AND month <= %s {where} GROUP BY account_id, product_id "
            # Stored account by account: analyses that read the whole year then meet each
            # account's rows together (PostgreSQL's hash aggregate would scatter them).
            "ORDER BY account_id, product_id",
            params,
        )

"""sales: historical sale lines — the high-volume kind, written with the database's
fastest bulk path (COPY on PostgreSQL, executemany on SQLite) and rolled up per account,
product and month in the same transaction."""

import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import F

from keyplan.core.bulk import bulk_insert
from keyplan.imports.kinds.accounts import account_index
from keyplan.imports.kinds.base import Counts, ErrorList, Field, Index, RowError
from keyplan.imports.kinds.products import product_index
from keyplan.imports.values import decimal_mark, parse_date, parse_decimal
from keyplan.sales.models import Opportunity, SaleLine
from keyplan.sales.rollup import rollup_refresh

_CENT = Decimal("0.01")
_ONE = Decimal("1.00")
_MAX = Decimal("1e14")


def opportunity_index() -> Index:
    index = Index("opportunity")
    for pk, external_id in Opportunity.objects.exclude(external_id=None).values_list(
        "pk", "external_id"
    ):
        index.add(pk, external_id, None)
    return index


def _amount(raw: str, column: str) -> Decimal:
    try:
        if decimal_mark.get() == ",":
            raise InvalidOperation  # 5.000 is five thousand: parse_decimal reads it
        value = Decimal(raw)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        try:
            value = parse_decimal(raw)
        except ValueError as exc:
            raise RowError(column, raw, str(exc)) from None
    if abs(value) >= _MAX:
        raise RowError(column, raw, "is too large")
    return value.quantize(_CENT)


class SalesKind:
    name = "sales"
    model = SaleLine
    fields = (
        Field("external_id", "Id of the sale line in the source system (invoice line)"),
        Field("account", "External id or exact name of the account", required=True),
        Field("product", "External id or exact name of the product", required=True),
        Field("date", "Date of the sale", required=True),
        Field("amount", "Amount, in the installation's currency", required=True),
        Field("quantity", "Quantity (default 1)"),
        Field("opportunity", "External id of the won deal this sale delivers (optional)"),
    )
    export_fields = (
        "external_id",
        "account",
        "product",
        "date",
        "amount",
        "quantity",
        "opportunity",
    )

    def __init__(self, options):
        self.options = options
        self.accounts = account_index()
        self.products = product_index()
        self.opportunities = None
        self.touched: set[int] = set()
        # A first load into an empty table needs no look-up of existing lines per batch,
        # and its secondary indexes are built once at the end instead of row by row.
        self.table_was_empty = not SaleLine.objects.exists()
        self.deferred_indexes: list[str] = []
        # Lines without an external id, per hash of their content: how many times the
        # file has had it so far minus how many the database held before this import
        # (one int per distinct line keeps a million-line file small in memory).
        self.occurrences: dict[int, int] = {}

    def clean(self, row):
        errors = []
        values = {}
        ext = row.get("external_id", "").strip()
        values["external_id"] = ext[:64] or None
        for column, index in (("account", self.accounts), ("product", self.products)):
            raw = row.get(column, "").strip()
            if not raw:
                errors.append(RowError(column, "", f"{column} is required"))
                continue
            pk = index.by_external.get(raw)
            if pk is None:
                try:
                    pk = index.find_or_error(column, raw)
                except RowError as exc:
                    errors.append(exc)
                    continue
            values[f"{column}_id"] = pk
        raw = row.get("date", "").strip()
        if not raw:
            errors.append(RowError("date", "", "date is required"))
        else:
            try:
                values["date"] = datetime.date.fromisoformat(raw)
            except ValueError:
                try:
                    values["date"] = parse_date(raw, self.options.date_format)
                except ValueError as exc:
                    errors.append(RowError("date", raw, str(exc)))
        raw = row.get("amount", "").strip()
        if not raw:
            errors.append(RowError("amount", "", "amount is required"))
        else:
            try:
                values["amount"] = _amount(raw, "amount")
            except RowError as exc:
                errors.append(exc)
        raw = row.get("quantity", "").strip()
        try:
            values["quantity"] = _amount(raw, "quantity") if raw else _ONE
        except RowError as exc:
            errors.append(exc)
        raw = row.get("opportunity", "").strip()
        values["opportunity_id"] = None
        if raw:
            if self.opportunities is None:
                self.opportunities = opportunity_index()
            try:
                values["opportunity_id"] = self.opportunities.find_or_error("opportunity", raw)
            except RowError as exc:
                errors.append(exc)
        if errors:
            raise ErrorList(errors)
        return values

    def key(self, values):
        """A line with an external id is one record: the id twice in a file is an error.
        Lines without one are a multiset (the same item ordered twice is two lines), so
        they have no key for the engine's once-per-file check; ``write`` matches them by
        content and occurrence count instead."""
        return values["external_id"] or None

    @staticmethod
    def line_key(values) -> tuple:
        return (
            values["account_id"],
            values["product_id"],
            values["date"],
            values["amount"],
            values["quantity"],
        )

    _COLUMNS = (
        "account_id",
        "product_id",
        "date",
        "amount",
        "quantity",
        "external_id",
        "opportunity_id",
    )

    def write(self, batch):
        counts = Counts()
        with_ext = [v for _, v in batch if v["external_id"]]
        without = [v for _, v in batch if not v["external_id"]]
        new_rows = []
        updates = []
        if with_ext and self.table_was_empty:
            new_rows.extend(with_ext)
        elif with_ext:
            existing = self._existing([v["external_id"] for v in with_ext])
            for v in with_ext:
                old = existing.get(v["external_id"])
                if old is None:
                    new_rows.append(v)
                    continue
                current = (
                    v["account_id"],
                    v["product_id"],
                    v["date"],
                    v["amount"],
                    v["quantity"],
                    v["opportunity_id"],
                )
                if tuple(old[2:]) == current:
                    counts.unchanged += 1
                else:
                    updates.append((old[1], old[2], v))
        new_rows.extend(self._new_lines(without, counts))
        if new_rows:
            self._insert(new_rows)
            counts.created += len(new_rows)
            self.touched.update(v["account_id"] for v in new_rows)
        if updates:
            objs = []
            for pk, old_account, v in updates:
                self.touched.update((old_account, v["account_id"]))
                # One more version: an API client holding the old one must reload.
                objs.append(
                    SaleLine(pk=pk, version=F("version") + 1, **{k: v[k] for k in self._COLUMNS})
                )
            SaleLine.objects.bulk_update(objs, [*self._COLUMNS[:5], "opportunity_id", "version"])
            counts.updated += len(updates)
        return counts

    def _new_lines(self, without: list[dict], counts: Counts) -> list[dict]:
        """Lines without an external id: the k-th occurrence of a line in the file is new
        when the database held fewer than k such lines before this import (a key found k
        times in the file and n times in the database adds max(0, k - n) lines; the rest
        are unchanged). Occurrences are counted across the whole file, not per batch."""
        if not without:
            return []
        fresh = []
        for v in without:
            h = hash(self.line_key(v))
            if h not in self.occurrences:
                fresh.append(v)
                self.occurrences[h] = 0
        if fresh and not self.table_was_empty:
            # A key is looked up in the batch where it first appears, before anything of
            # that key is written, so the count is the database's count before this import.
            dates = [v["date"] for v in fresh]
            in_database = Counter(
                SaleLine.objects.filter(
                    account_id__in={v["account_id"] for v in fresh},
                    date__gte=min(dates),
                    date__lte=max(dates),
                    external_id=None,
                ).values_list("account_id", "product_id", "date", "amount", "quantity")
            )
            for v in fresh:
                key = self.line_key(v)
                self.occurrences[hash(key)] = -in_database.get(key, 0)
        new = []
        for v in without:
            h = hash(self.line_key(v))
            self.occurrences[h] += 1
            if self.occurrences[h] <= 0:  # the k-th occurrence, with k <= n in the database
                counts.unchanged += 1
            else:
                new.append(v)
        return new

    def _existing(self, external_ids: list[str]) -> dict:
        """Existing lines by external id, read with one plain query per batch."""
        table = SaleLine._meta.db_table
        marks = ", ".join(["%s"] * len(external_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT external_id, id, account_id, product_id, date, amount, quantity, "
                f"opportunity_id FROM {table} WHERE external_id IN ({marks})",
                external_ids,
            )
            rows = cursor.fetchall()
        existing = {}
        for ext, pk, account, product, day, amount, quantity, opp in rows:
            if isinstance(day, str):  # SQLite returns text
                day = datetime.date.fromisoformat(day)
            existing[ext] = (
                ext,
                pk,
                account,
                product,
                day,
                Decimal(str(amount)).quantize(_CENT),
                Decimal(str(quantity)).quantize(_CENT),
                opp,
            )
        return existing

    def _defer_indexes(self) -> None:
        """Drop the secondary indexes for a first load (rebuilt in ``finish``, inside the
        same transaction, so a failed import leaves them as they were)."""
        editor = connection.schema_editor(atomic=False)
        with connection.cursor() as cursor:
            for index in SaleLine._meta.indexes:
                self.deferred_indexes.append(str(index.create_sql(SaleLine, editor)))
                cursor.execute(f"DROP INDEX {editor.quote_name(index.name)}")

    def _insert(self, rows):
        if (
            self.table_was_empty
            and not self.deferred_indexes
            and len(rows) >= 5000
            and connection.vendor == "sqlite"
        ):
            # On PostgreSQL, COPY into the indexed table is fast enough, and an index
            # cannot be built there while deferred foreign-key checks are pending.
            self._defer_indexes()
        if connection.vendor == "sqlite":
            data = [
                (
                    v["account_id"],
                    v["product_id"],
                    v["date"].isoformat(),
                    str(v["amount"]),
                    str(v["quantity"]),
                    v["external_id"],
                    v["opportunity_id"],
                )
                for v in rows
            ]
            bulk_insert(SaleLine._meta.db_table, self._COLUMNS, data, sqlite_ready=True)
        else:
            bulk_insert(
                SaleLine._meta.db_table,
                self._COLUMNS,
                [tuple(v[c] for c in self._COLUMNS) for v in rows],
            )

    def finish(self):
        if self.deferred_indexes:
            with connection.cursor() as cursor:
                for sql in self.deferred_indexes:
                    cursor.execute(sql)
        if self.touched:
            rollup_refresh(account_ids=self.touched)
        return []

    def export_rows(self, queryset):
        qs = queryset.select_related("account", "product", "opportunity").order_by("pk")
        for s in qs.iterator(chunk_size=5000):
            yield [
                s.external_id or "",
                s.account.external_id or s.account.name,
                s.product.external_id or s.product.name,
                s.date.isoformat(),
                str(s.amount),
                str(s.quantity),
                (s.opportunity.external_id or "") if s.opportunity else "",
            ]

"""sales: historical sale lines — the high-volume kind. It prepares before it writes:
every row is checked and classified (new, changed, unchanged) while only reading, and the
lines to write go to a stage, a TEMP table of the import's own connection (COPY on
PostgreSQL, executemany on SQLite; on SQLite a TEMP table takes no lock on the main
database). ``prepare`` then computes, still only reading, the sale-line part of the
roll-up of every account the import touches (from the stage and the lines already
there) into the stage as well. ``commit`` checks again, set-wise, what may have changed
in between, copies the stage into the sale lines with one ``INSERT … SELECT``, applies
the changes with one ``UPDATE … FROM`` and swaps in the prepared roll-up rows: the only
part that holds the write lock.

A large import (``STEP_MIN`` new and changed lines or more; not a first load into an empty
SQLite table, which nobody is reading yet) is written in steps instead (``steps``,
``commit_step``): each step writes the lines and the roll-up of a group of whole
accounts, about ``STEP_LINES`` lines, in its own short transaction, and the engine pauses
between steps so that saves waiting for the write lock go first. Every account is
always whole (its lines and its roll-up agree); while the steps run, some accounts show
the file and others do not yet. Before each step keyplan checks that nobody changed that
step's accounts' lines since the file was checked; the facts are announced as changed
once, after the last step."""

import contextlib
import datetime
import uuid
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.db import DatabaseError, connection

from keyplan.accounts.models import Account
from keyplan.catalog.models import Product
from keyplan.core.bulk import bulk_insert, drop_indexes
from keyplan.core.words import plural
from keyplan.imports.kinds.accounts import account_index
from keyplan.imports.kinds.base import Counts, ErrorList, Field, Index, RowError, StaleImport
from keyplan.imports.kinds.products import product_index
from keyplan.imports.values import decimal_mark, parse_date, parse_decimal
from keyplan.sales.models import Opportunity, SaleLine, SalesMonth
from keyplan.sales.rollup import announce_change, rollup_replace, rollup_sale_lines_sql

_CENT = Decimal("0.01")
_ONE = Decimal("1.00")
_MAX = Decimal("1e14")

# An import with this many new and changed lines or more is written in steps of about
# STEP_LINES lines (whole accounts), each in its own transaction (see the docstring).
STEP_MIN = 50_000
STEP_LINES = 20_000


def sale_lines_fingerprint() -> tuple[int, int, int]:
    """How many sale lines there are, the highest id ever given and the sum of their
    versions: any line added (ids are never reused), deleted or changed (every change adds
    one to a line's version) changes it. One pass over the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(version), 0) "
            f"FROM {SaleLine._meta.db_table}"
        )
        count, highest, versions = cursor.fetchone()
    return int(count), int(highest), int(versions)


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
        # First, before anything is read: the sale lines as they are now, to find out at
        # write time whether someone else changed any while the file was being checked.
        self.fingerprint = sale_lines_fingerprint()
        self.accounts = account_index()
        self.products = product_index()
        self.opportunities = None
        # Accounts that changed lines move away from, and those of deals of other accounts
        # that lines start or stop delivering (their roll-up changes too).
        self.left: set[int] = set()
        # Both accounts of every line that moves from one account to another, or that
        # starts or stops delivering a deal of another account: written in the same step,
        # so that each account's lines and roll-up always agree.
        self.moved: set[int] = set()
        # When written in steps: how many, and the new and changed lines of each.
        self.steps = 0
        self.step_lines: list[int] = []
        # A first load into an empty table needs no look-up of existing lines per batch,
        # and its secondary indexes are built once at the end instead of row by row.
        self.table_was_empty = self.fingerprint[0] == 0
        self.deferred_indexes: list[str] = []
        # Lines without an external id, per hash of their content: how many times the
        # file has had it so far minus how many the database held before this import
        # (one int per distinct line keeps a million-line file small in memory).
        self.occurrences: dict[int, int] = {}
        self.dry_run = False
        self.rebuild_rollup_indexes = False
        # The stage: the lines to insert and the changes to apply, kept in TEMP tables.
        self.stage_name = f"keyplan_stage_{uuid.uuid4().hex[:12]}"
        self.staged_new = 0
        self.staged_changes = 0
        # Every account, product and opportunity the staged lines point at (and the accounts
        # changed lines leave): checked again at write time.
        self.referenced: dict[str, dict[int, int]] = {
            "account": {},
            "product": {},
            "opportunity": {},
        }

    def clean(self, row):
        errors = []
        values = {}
        ext = row.get("external_id", "").strip()
        values["external_id"] = ext[:64] or None
        for column, index in (("account", self.accounts), ("product", self.products)):
            raw = row.get(column, "").strip()
            if not raw:
                errors.append(RowError(column, "", "is required"))
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
            errors.append(RowError("date", "", "is required"))
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
            errors.append(RowError("amount", "", "is required"))
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

    def stage(self, batch):
        """Classify one batch against the database as it is (reading only) and keep what
        is to be written in the stage; ``commit`` writes it."""
        counts, new_rows, updates = self._classify(batch)
        if self.dry_run:
            return counts
        self._create_stage()
        self._remember(new_rows)
        self._remember([(number, v) for number, (_pk, _old, v) in updates])
        self.left.update(old for _n, (_pk, old, _v) in updates)
        for _n, (_pk, old, v) in updates:
            if old != v["account_id"]:
                self.moved.update((old, v["account_id"]))
        # Asked once per batch, not per line (``connection`` is a thread-local proxy).
        values = self._values_sqlite if connection.vendor == "sqlite" else self._values
        if new_rows:
            self._stage_rows(
                f"{self.stage_name}_new",
                self._COLUMNS,
                [values(v) for _n, v in new_rows],
            )
            self.staged_new += len(new_rows)
        if updates:
            self._stage_rows(
                f"{self.stage_name}_changed",
                ("id", *self._COLUMNS),
                [(pk, *values(v)) for _n, (pk, _old, v) in updates],
            )
            self.staged_changes += len(updates)
        return counts

    def _remember(self, rows: list[tuple[int, dict]]) -> None:
        """The accounts the lines touch, and the first row that names each account,
        product and opportunity (for the check at write time)."""
        accounts = self.referenced["account"]
        products = self.referenced["product"]
        opportunities = self.referenced["opportunity"]
        for number, v in rows:
            accounts.setdefault(v["account_id"], number)
            products.setdefault(v["product_id"], number)
            if v["opportunity_id"] is not None:
                opportunities.setdefault(v["opportunity_id"], number)

    @property
    def touched(self) -> set[int]:
        """Every account whose roll-up the import changes."""
        return self.left.union(self.referenced["account"])

    def _classify(self, batch):
        """What each line of ``batch`` does: counts, the new lines and the changed ones
        (as ``(row number, values)`` and ``(row number, (pk, old account, values))``)."""
        counts = Counts()
        with_ext = [(n, v) for n, v in batch if v["external_id"]]
        without = [(n, v) for n, v in batch if not v["external_id"]]
        new_rows = []
        updates = []
        if with_ext and self.table_was_empty:
            new_rows.extend(with_ext)
        elif with_ext:
            existing = self._existing([v["external_id"] for _, v in with_ext])
            for n, v in with_ext:
                old = existing.get(v["external_id"])
                if old is None:
                    new_rows.append((n, v))
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
                    updates.append((n, (old[1], old[2], v)))
        new_rows.extend(self._new_lines(without, counts))
        counts.created += len(new_rows)
        counts.updated += len(updates)
        return counts, [(n, v) for n, v in new_rows], updates

    def _new_lines(self, without: list[tuple[int, dict]], counts: Counts) -> list:
        """Lines without an external id: the k-th occurrence of a line in the file is new
        when the database held fewer than k such lines before this import (a key found k
        times in the file and n times in the database adds max(0, k - n) lines; the rest
        are unchanged). Occurrences are counted across the whole file, not per batch."""
        if not without:
            return []
        fresh = []
        for _n, v in without:
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
                    # (A Salesforce folder's plan names accounts it creates, not in the
                    # database yet and without lines: only ids are looked up.)
                    account_id__in={v["account_id"] for v in fresh if type(v["account_id"]) is int},
                    date__gte=min(dates),
                    date__lte=max(dates),
                    external_id=None,
                ).values_list("account_id", "product_id", "date", "amount", "quantity")
            )
            for v in fresh:
                key = self.line_key(v)
                self.occurrences[hash(key)] = -in_database.get(key, 0)
        new = []
        for n, v in without:
            h = hash(self.line_key(v))
            self.occurrences[h] += 1
            if self.occurrences[h] <= 0:  # the k-th occurrence, with k <= n in the database
                counts.unchanged += 1
            else:
                new.append((n, v))
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

    @classmethod
    def _values(cls, v: dict) -> tuple:
        """A line's values in ``_COLUMNS`` order, as the database takes them."""
        return tuple(v[c] for c in cls._COLUMNS)

    @staticmethod
    def _values_sqlite(v: dict) -> tuple:
        """The same for SQLite: ISO dates and exact decimal text, converted once here
        rather than per value by the driver."""
        return (
            v["account_id"],
            v["product_id"],
            v["date"].isoformat(),
            str(v["amount"]),
            str(v["quantity"]),
            v["external_id"],
            v["opportunity_id"],
        )

    def _create_stage(self) -> None:
        if getattr(self, "_stage_created", False):
            return
        serial = "integer PRIMARY KEY" if connection.vendor == "sqlite" else "bigserial"
        line = (
            "account_id bigint, product_id bigint, date date, amount numeric(16,2), "
            "quantity numeric(14,2), external_id varchar(64), opportunity_id bigint"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {self.stage_name}_new (seq {serial}, {line})")
            cursor.execute(
                f"CREATE TEMP TABLE {self.stage_name}_changed (seq {serial}, id bigint, {line})"
            )
        self._stage_created = True

    def _stage_rows(self, table: str, columns, rows) -> None:
        self._in_temp_transaction(lambda: bulk_insert(table, columns, rows, sqlite_ready=True))

    @staticmethod
    def _in_temp_transaction(work) -> None:
        """Run ``work`` (a function, or SQL) that writes only TEMP tables: on SQLite in
        autocommit mode in one transaction (one per batch, not one per row), begun with a
        plain (deferred) BEGIN — a transaction that writes only TEMP tables takes no lock
        on the database everyone else writes to."""
        if isinstance(work, str):
            sql = work

            def work():
                with connection.cursor() as cursor:
                    cursor.execute(sql)

        if connection.vendor == "sqlite" and connection.get_autocommit():
            with connection.cursor() as cursor:
                cursor.execute("BEGIN")
                try:
                    work()
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
        else:
            work()

    def prepare(self) -> None:
        """After every row is staged and before the write transaction, still only reading:
        the accounts the import touches, and the sale-line part of their roll-up as it will
        be once the stage is written — the staged lines plus those already there that the
        import leaves as they are. ``commit`` checks that the sale lines did not change
        meanwhile, so these rows are still right when it swaps them in."""
        if not (self.staged_new or self.staged_changes):
            return
        stage = self.stage_name
        columns = "account_id, product_id, date, amount, quantity"
        sources = [f"SELECT {columns} FROM {stage}_new"]
        if self.staged_changes:
            sources.append(f"SELECT {columns} FROM {stage}_changed")
        if not self.table_was_empty:
            table = SaleLine._meta.db_table
            sources.append(
                f"SELECT {columns} FROM {table} WHERE account_id IN "
                f"(SELECT account_id FROM {stage}_accounts) "
                f"AND id NOT IN (SELECT id FROM {stage}_changed)"
            )
        self._note_deals_of_other_accounts()
        serial = "integer PRIMARY KEY" if connection.vendor == "sqlite" else "bigserial"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {stage}_accounts (account_id bigint PRIMARY KEY)")
            cursor.execute(
                f"CREATE TEMP TABLE {stage}_rollup (seq {serial}, account_id bigint, "
                "product_id bigint, month date, amount numeric(18,2), quantity numeric(16,2))"
            )
        self._stage_rows(f"{stage}_accounts", ("account_id",), [(a,) for a in sorted(self.touched)])
        self._in_temp_transaction(
            f"INSERT INTO {stage}_rollup (account_id, product_id, month, amount, quantity) "
            + rollup_sale_lines_sql(sources)
        )
        if self.staged_new + self.staged_changes >= STEP_MIN and not self.first_load:
            self._plan_steps()
            return
        if connection.vendor != "sqlite":
            return  # on PostgreSQL dropping an index would make readers wait
        # When the import rewrites most of the roll-up (a first load, or a file that
        # touches most accounts), its indexes are built again once rather than updated
        # row by row for every row deleted and inserted.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {stage}_rollup")
            prepared = cursor.fetchone()[0]
            cursor.execute(f"SELECT COUNT(*) FROM {SalesMonth._meta.db_table}")
            existing = cursor.fetchone()[0]
        self.rebuild_rollup_indexes = prepared >= 5000 and 2 * prepared >= existing

    def _note_deals_of_other_accounts(self) -> None:
        """A won deal counts in its account's roll-up as long as no sale line delivers it:
        a line that starts or stops delivering a deal of another account (a new line, or a
        changed line's deal before and after) changes that account's roll-up too. Such
        accounts are touched, and written in the same step as the line's account."""
        stage = self.stage_name
        lines = SaleLine._meta.db_table
        deals = Opportunity._meta.db_table
        sql = (
            f"SELECT s.account_id, o.account_id FROM {stage}_new s "
            f"JOIN {deals} o ON o.id = s.opportunity_id WHERE o.account_id <> s.account_id"
        )
        if self.staged_changes:
            sql += (
                f" UNION SELECT s.account_id, o.account_id FROM {stage}_changed s "
                f"JOIN {deals} o ON o.id = s.opportunity_id WHERE o.account_id <> s.account_id"
                f" UNION SELECT s.account_id, o.account_id FROM {stage}_changed s "
                f"JOIN {lines} l ON l.id = s.id JOIN {deals} o ON o.id = l.opportunity_id "
                "WHERE o.account_id <> s.account_id"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            pairs = cursor.fetchall()
        for line_account, deal_account in pairs:
            self.left.add(deal_account)
            self.moved.update((line_account, deal_account))

    @property
    def first_load(self) -> bool:
        """A first load into an empty SQLite table: the secondary indexes of the sale lines
        and of the roll-up are built once at the end instead of row by row, in the one
        write transaction, so a failure leaves them as they were (on PostgreSQL an index
        cannot be built while deferred foreign-key checks are pending)."""
        return self.table_was_empty and self.staged_new >= 5000 and connection.vendor == "sqlite"

    def _lock_sale_lines(self) -> None:
        if connection.vendor == "postgresql":
            # SQLite's BEGIN IMMEDIATE already keeps other writers out until the commit;
            # on PostgreSQL, other writers of sale lines (another import's commit, an API
            # save) wait for this short write, so the check before it stays true until
            # then. Readers are not held up.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {SaleLine._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")

    def _check_unchanged(self) -> None:
        """Nothing the file was checked against changed: its accounts, products and deals
        are all there, and no sale line was added, changed or deleted since it began."""
        self._check_references()
        self._lock_sale_lines()
        if sale_lines_fingerprint() != self.fingerprint:
            raise StaleImport(
                "Someone else added, changed or deleted sale lines while this file was "
                "being checked, so what it would add or change may no longer be right. "
                "Nothing was imported: import the file again."
            )

    def _write(self, where: str = "") -> None:
        """Insert the staged new lines and apply the staged changes (those of the accounts
        ``where`` selects, ``AND account_id IN (…)``, when written in steps)."""
        table = SaleLine._meta.db_table
        names = ", ".join(self._COLUMNS)
        with connection.cursor() as cursor:
            if self.staged_new:
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT {names} "
                    f"FROM {self.stage_name}_new s WHERE 1 = 1 {where} ORDER BY seq"
                )
            if self.staged_changes:
                assignments = ", ".join(f"{c} = s.{c}" for c in self._COLUMNS[:5])
                # One more version: an API client holding the old one must reload.
                cursor.execute(
                    f"UPDATE {table} SET {assignments}, opportunity_id = s.opportunity_id, "
                    f"version = {table}.version + 1 "
                    f"FROM {self.stage_name}_changed s WHERE {table}.id = s.id {where}"
                )

    def commit(self) -> None:
        """Write the stage (inside the caller's write transaction): first check again what
        the file was checked against, then insert, update and refresh the roll-up."""
        if not (self.staged_new or self.staged_changes):
            return
        self._check_unchanged()
        if self.first_load and self.staged_new:
            self.deferred_indexes = drop_indexes(SaleLine)
        self._write()
        with connection.cursor() as cursor:
            for sql in self.deferred_indexes:
                cursor.execute(sql)
        rollup_replace(
            accounts_sql=f"SELECT account_id FROM {self.stage_name}_accounts",
            sales_sql=f"SELECT * FROM {self.stage_name}_rollup",
            account_ids=list(self.touched),
            rebuild_indexes=self.rebuild_rollup_indexes,
        )

    def _plan_steps(self) -> None:
        """Share the touched accounts out into steps of about ``STEP_LINES`` new and changed
        lines (an account is never split; the accounts lines move between all go in the
        first step), and note, per account, its sale lines as they are now: before each
        step but the first (which checks the whole table) keyplan checks that nobody
        changed them meanwhile."""
        stage = self.stage_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT account_id, COUNT(*) FROM (SELECT account_id FROM {stage}_new "
                f"UNION ALL SELECT account_id FROM {stage}_changed) lines GROUP BY account_id"
            )
            lines = dict(cursor.fetchall())
        steps: list[list[int]] = [sorted(self.moved)] if self.moved else []
        size = STEP_LINES
        for account in sorted(self.touched - self.moved):
            if size + lines.get(account, 0) > STEP_LINES and size:
                steps.append([])
                size = 0
            steps[-1].append(account)
            size += lines.get(account, 0)
        self.steps = len(steps)
        self.step_lines = [sum(lines.get(a, 0) for a in step) for step in steps]
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE {stage}_steps (account_id bigint PRIMARY KEY, step integer)"
            )
        self._stage_rows(
            f"{stage}_steps",
            ("account_id", "step"),
            [(a, n) for n, step in enumerate(steps) for a in step],
        )
        table = SaleLine._meta.db_table
        statements = (
            f"CREATE INDEX {stage}_steps_step ON {stage}_steps (step)",
            f"CREATE INDEX {stage}_new_account ON {stage}_new (account_id)",
            f"CREATE INDEX {stage}_changed_account ON {stage}_changed (account_id)",
            f"CREATE INDEX {stage}_rollup_account ON {stage}_rollup (account_id)",
            f"CREATE TEMP TABLE {stage}_expect AS SELECT account_id, COUNT(*) AS n, "
            "COALESCE(SUM(version), 0) AS versions, COALESCE(MAX(id), 0) AS highest "
            f"FROM {table} WHERE account_id IN (SELECT account_id FROM {stage}_steps) "
            "GROUP BY account_id",
        )

        def index_and_note():
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

        self._in_temp_transaction(index_and_note)

    def commit_step(self, step: int) -> None:
        """Write step ``step`` of ``steps`` (inside the caller's write transaction): its
        accounts' new and changed lines and their roll-up."""
        stage = self.stage_name
        accounts = f"SELECT account_id FROM {stage}_steps WHERE step = {int(step)}"
        if step == 0:
            self._check_unchanged()
        else:
            self._lock_sale_lines()
            self._check_step_references(accounts)
            self._check_step_unchanged(accounts)
            self._check_step_external_ids(accounts)
        self._write(f"AND s.account_id IN ({accounts})")
        with connection.cursor() as cursor:
            cursor.execute(accounts)
            ids = [row[0] for row in cursor.fetchall()]
        rollup_replace(
            accounts_sql=accounts,
            sales_sql=f"SELECT * FROM {stage}_rollup WHERE account_id IN ({accounts}) ORDER BY seq",
            account_ids=ids,
            announce=False,
        )

    def _check_step_references(self, accounts: str) -> None:
        """Every account, product and deal this step's lines name is still there (the first
        step checked them all; someone may have deleted one since): one query per kind."""
        stage = self.stage_name
        parts = [f"{stage}_new"] if self.staged_new else []
        if self.staged_changes:
            parts.append(f"{stage}_changed")
        for label, model, column in (
            ("account", Account, "account_id"),
            ("product", Product, "product_id"),
            ("opportunity", Opportunity, "opportunity_id"),
        ):
            missing = " UNION ".join(
                f"SELECT s.{column} FROM {part} s WHERE s.account_id IN ({accounts}) "
                f"AND s.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                f"{model._meta.db_table} m WHERE m.id = s.{column})"
                for part in parts
            )
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({missing}) gone")
                gone = cursor.fetchone()[0]
            if gone:
                what = plural(gone, label)
                raise StaleImport(
                    f"{what[0].upper()}{what[1:]} that this file names "
                    f"{'was' if gone == 1 else 'were'} deleted while the file was being "
                    "written."
                )

    def _check_step_external_ids(self, accounts: str) -> None:
        """No new line of this step was added meanwhile, by its external id, to an account
        of an earlier step or one the file does not name (those of this step are checked
        by ``_check_step_unchanged``)."""
        if not self.staged_new:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {self.stage_name}_new s "
                f"JOIN {SaleLine._meta.db_table} l ON l.external_id = s.external_id "
                f"WHERE s.account_id IN ({accounts})"
            )
            taken = cursor.fetchone()[0]
        if taken:
            what = plural(taken, "sale line")
            raise StaleImport(
                f"{what} that this file adds {'was' if taken == 1 else 'were'} added by "
                "someone else, with the same external id, while the file was being written."
            )

    def _check_step_unchanged(self, accounts: str) -> None:
        table = SaleLine._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), COALESCE(SUM(version), 0), COALESCE(MAX(id), 0) "
                f"FROM {table} WHERE account_id IN ({accounts})"
            )
            count, versions, highest = cursor.fetchone()
            cursor.execute(
                "SELECT COALESCE(SUM(n), 0), COALESCE(SUM(versions), 0), "
                f"COALESCE(MAX(highest), 0) FROM {self.stage_name}_expect "
                f"WHERE account_id IN ({accounts})"
            )
            expected = cursor.fetchone()
        if (int(count), int(versions), int(highest)) != tuple(int(x) for x in expected):
            raise StaleImport(
                "Someone else added, changed or deleted sale lines of accounts this file "
                "names while it was being written."
            )

    def announce(self) -> None:
        """After the last step written (or the last before a failure): the facts changed."""
        announce_change(accounts=len(self.touched))

    def _check_references(self) -> None:
        """Every account, product and opportunity the staged lines point at still exists: one
        query per kind of reference and chunk of ids, never one per line."""
        for label, model in (
            ("account", Account),
            ("product", Product),
            ("opportunity", Opportunity),
        ):
            used = self.referenced[label]
            if not used:
                continue
            ids = list(used)
            present = set()
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                present.update(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
            gone = [pk for pk in ids if pk not in present]
            if gone:
                first = min(used[pk] for pk in gone)
                what = plural(len(gone), label)
                raise StaleImport(
                    f"{what[0].upper()}{what[1:]} that this file names "
                    f"{'was' if len(gone) == 1 else 'were'} deleted while the file was being "
                    f"checked (the first at row {first:,}). Nothing was imported: import "
                    "the file again to see which rows name "
                    f"{'it' if len(gone) == 1 else 'them'}."
                )

    def discard(self) -> None:
        """Drop the stage (also after a failure: a connection may outlive the import)."""
        if not getattr(self, "_stage_created", False):
            return
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            for suffix in ("_new", "_changed", "_accounts", "_rollup", "_steps", "_expect"):
                cursor.execute(f"DROP TABLE IF EXISTS {self.stage_name}{suffix}")
        self._stage_created = False

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

"""The import engine: one file of one kind into the database, all-or-nothing by default.

    report = run_import(kind="sales", path=..., mapping={"amount": "Net Value"})

Reads the file as a stream, maps its columns to the kind's canonical fields, cleans every
row (collecting every error, not just the first), writes in batches, and — unless
``skip_invalid`` — rolls everything back if any row was invalid. ``dry_run`` always rolls
back. Rejected rows go to a rejects file with their original columns plus ``error``.

Rows the kind cannot place (``SkipRow``: an opportunity without an account) are not
errors: they are counted as ``skipped`` with their reason, go to the rejects file too, and
do not stop the import.

A large sales import is written in steps of whole accounts, each its own short
transaction, so that others' saves do not wait for the whole file (``_write_in_steps``);
a step that fails leaves the steps before it written, and says so.
"""

import contextlib
import csv
import gc
import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.dispatch import Signal

from keyplan.core.cells import csv_row, csv_unescape
from keyplan.imports.conventions import file_conventions
from keyplan.imports.headers import column_index, match_headers
from keyplan.imports.kinds import KINDS
from keyplan.imports.kinds.base import (
    ErrorList,
    Options,
    RowError,
    SkipRow,
    StaleImport,
    WriteErrors,
    field_code,
    field_label,
    salesforce_15,
)
from keyplan.imports.limits import (
    MESSAGE_SHOWN,
    VALUE_SHOWN,
    column_list,
    import_limits,
    shorten,
    shorten_middle,
)
from keyplan.imports.sources import SourceError, open_source
from keyplan.imports.values import (
    date_order,
    decimal_mark,
    normalise_key,
)
from keyplan.imports.wording import advice

BATCH = 5000
# Every error is counted and goes to the rejects file; the first 1,000 are listed in the
# report (a file of a million bad rows must not make a report of a million lines).
MAX_ERRORS_LISTED = 1000

# Sent when a kind that prepares before it writes (sales) has checked every row and is
# about to take the write lock: ``kind`` and the ``report`` so far. Nothing is written yet.
import_prepared = Signal()
# Sent after each step of an import written in steps has committed (``step``, counted from
# 0, of ``steps``), before the pause that lets other writers in.
import_step_written = Signal()
# Sent inside each step's transaction, after its lines are written (``step``, ``steps``):
# what a receiver writes (the history's count of steps written) commits with the step.
import_step_writing = Signal()

# The least pause between two steps of an import written in steps: SQLite's busy handler
# looks for the lock again at most every 100 ms, so a writer that is waiting gets in.
STEP_PAUSE = 0.12


class ImportFailed(Exception):
    """The file cannot be imported at all (wrong kind, no header, unreadable): one
    sentence for the user, never longer than ``limits.MESSAGE_SHOWN``."""

    def __init__(self, message: str):
        super().__init__(shorten_middle(message))


@dataclass
class ImportReport:
    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    skipped_rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    errors_not_listed: int = 0
    dry_run: bool = False
    committed: bool = False
    rejects_file: str | None = None
    seconds: float = 0.0
    # How long the final write kept other writers waiting (kinds that prepare before they
    # write: sales); None for the others, which write as they read. A large import is
    # written in ``write_steps`` transactions (0: one): the longest of them.
    write_lock_seconds: float | None = None
    write_steps: int = 0
    # A Salesforce folder is written in one transaction: how long it kept other writers
    # waiting, the same on each of its files' reports (their own figure is then None).
    folder_write_lock_seconds: float | None = None
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data


@dataclass
class Progress:
    rows: int
    fraction: float
    elapsed: float
    # A large import written in steps: the step being written (from 1) and how many.
    step: int = 0
    steps: int = 0

    @property
    def rate(self) -> float:
        return self.rows / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> float | None:
        if self.fraction <= 0.001 or self.elapsed <= 0:
            return None
        return self.elapsed * (1 - self.fraction) / self.fraction


def resolve_mapping(kind_cls, headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Canonical field → column index. ``mapping`` (target → source column) first; then
    headers that name a field or one of its aliases (``headers.match_headers``)."""
    result: dict[str, int] = {}
    named = set()
    for given, source in mapping.items():
        # A field is named by its code (``annual_revenue``) or by its label ("Annual
        # revenue"), as the mapping page shows it.
        target = field_code(kind_cls, given)
        if target is None:
            raise ImportFailed(
                f"“{shorten(given)}” is not a field of {kind_cls.name}; the fields are: "
                + ", ".join(f.label for f in kind_cls.fields)
            )
        named.add(target)
        if not source:
            continue
        index = column_index(headers, source)
        if index is None:
            raise ImportFailed(
                f"The mapping for {field_label(kind_cls, target)} names the column "
                f"“{shorten(source)}”, which the file does not have; its columns are: "
                + column_list(headers)
            )
        result[target] = index
    result.update(match_headers(kind_cls, headers, skip_fields=named, used_columns=result.values()))
    missing = [
        f.label
        for f in kind_cls.fields
        if f.required and f.name not in result and not _alternative(kind_cls, f.name, result)
    ]
    if missing:
        raise ImportFailed(
            f"This does not look like a file of {kind_cls.name}: it has no column for "
            + ", ".join(missing)
            + " (its columns are: "
            + column_list(headers)
            + "). "
            + advice("map")
        )
    return result


def _alternative(kind_cls, name: str, result: dict) -> bool:
    # A contact's last name may come in a single `name` column.
    return kind_cls.name == "contacts" and name == "last_name" and "name" in result


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_import(
    *,
    kind: str,
    path,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects_path=None,
    encoding: str | None = None,
    sheet: str | None = None,
    options: Options | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    skip: dict[int, str] | None = None,
    name: str | None = None,
    make_handler: Callable | None = None,
) -> ImportReport:
    """Import one file. ``skip`` (row number → reason) names rows the caller already knows
    keyplan cannot place (the line items of a skipped Salesforce opportunity): they are
    counted as skipped, not cleaned. ``name`` is the file's name in the report and
    messages (default: the name of ``path``).

    ``make_handler`` (a Salesforce folder's preparation) makes the kind's handler instead
    of the kind itself: one that plans its writes rather than making them. The file is
    then checked and planned outside any transaction, and nothing is written here: the
    caller writes the plan (``committed`` stays False)."""
    if kind not in KINDS:
        raise ImportFailed(f"Unknown kind “{kind}”; use one of: " + ", ".join(KINDS))
    path = Path(path)
    kind_cls = KINDS[kind]
    options = options or Options()
    report = ImportReport(kind=kind, file=name or path.name, dry_run=dry_run)
    started = time.monotonic()
    try:
        source = open_source(path, encoding=encoding, sheet=sheet, name=report.file)
        report.sha256 = file_sha256(path)
        headers, columns = _header(source, kind_cls, mapping or {})
    except SourceError as exc:
        raise ImportFailed(str(exc)) from None

    rejects = _Rejects(rejects_path or path.with_name(path.stem + ".rejects.csv"), headers)
    shown = file_conventions(
        _data_rows(source), columns, typed_numbers=getattr(source, "typed_numbers", False)
    )
    mark, order = decimal_mark.set(shown["decimal"]), date_order.set(shown["date"])
    try:
        # The same file, rows and report whichever way the kind is written.
        rest = (
            *(source, columns, report, rejects, dry_run, skip_invalid, started, on_progress),
            skip or {},
        )
        if make_handler is not None:  # planned, written later by the caller (a folder)
            _write_in_one_transaction(lambda: make_handler(options), *rest, planned=True)
        elif hasattr(kind_cls, "stage"):
            _prepare_then_write(kind_cls(options), *rest)
        else:
            _write_in_one_transaction(lambda: kind_cls(options), *rest)
    except SourceError as exc:
        rejects.close()
        rejects.discard()
        raise ImportFailed(str(exc)) from None
    except ImportFailed:
        rejects.close()
        rejects.discard()
        raise
    finally:
        decimal_mark.reset(mark)
        date_order.reset(order)
        rejects.close()
    keep = skip_invalid or (report.skipped and report.ok) or report.errors_not_listed
    if rejects.count and keep:
        # Skipped rows are kept even without --skip-invalid: the import went ahead
        # without them. An import refused as a whole keeps no rejects file, unless its
        # errors are too many to list: the file then holds them all.
        report.rejects_file = str(rejects.path)
    else:
        rejects.discard()
    report.seconds = round(time.monotonic() - started, 3)
    if on_progress:
        on_progress(Progress(report.rows, 1.0, time.monotonic() - started))
    return report


def _write_in_one_transaction(
    make_handler,
    source,
    columns,
    report,
    rejects,
    dry_run,
    skip_invalid,
    started,
    on_progress,
    skip,
    planned=False,
):
    """Check and write row by row, batch by batch, in one transaction (the kinds whose
    rows link to rows written earlier in the same file). The kind reads what it looks
    references up in inside the transaction, so nothing changes under it. ``planned``:
    the handler only plans its writes, so no transaction is opened (the caller checks
    at write time that what was read has not changed)."""
    with contextlib.nullcontext() if planned else transaction.atomic():
        handler = make_handler()
        if hasattr(handler, "scan"):
            for _number, values in _data_rows(source):
                handler.scan(_row_dict(values, columns))
            handler.end_scan()
        _process(
            handler.write,
            handler,
            source,
            columns,
            report,
            rejects,
            skip_invalid,
            started,
            on_progress,
            skip,
        )
        late = {}
        rejected_rows = {e["row"] for e in report.errors}
        rejected_keys = None
        for number, error in handler.finish():
            if rejected_rows and error.value:
                if rejected_keys is None:
                    rejected_keys = _rejected_keys(source, columns, rejected_rows)
                error = _explain_rejected(error, rejected_keys)
            _record(report, number, error)
            report.rejected += 1
            late.setdefault(number, []).append(
                f"{field_label(handler, error.column)}: {error.message}"
            )
        if late:
            # Errors found after the rows were written (a link to a row that was
            # itself rejected): read those rows again so the rejects file has them
            # whole, ready to fix and re-import.
            for number, values in _data_rows(source):
                if number in late:
                    rejects.add(number, values, "; ".join(late[number]))
        if report.error_count and not skip_invalid:
            report.created = report.updated = report.unchanged = 0
            if not planned:
                transaction.set_rollback(True)
        elif dry_run:
            if not planned:
                transaction.set_rollback(True)
        elif not planned:
            report.committed = True


def _prepare_then_write(
    handler, source, columns, report, rejects, dry_run, skip_invalid, started, on_progress, skip
):
    """Check every row, resolve its references and decide what it does (new, changed,
    unchanged) while only reading, keeping the rows to write in the kind's stage, and
    prepare what follows from them (``handler.prepare``: the sales roll-up); then write
    them all in one short transaction. On SQLite the database's write lock is held
    for that last step only, so web and API saves made while a big file is checked go
    through instead of waiting for it. What may have changed in between is checked again
    inside the write transaction (``handler.commit`` raises ``StaleImport``)."""
    handler.dry_run = dry_run
    try:
        with _no_cycle_collection():
            _process(
                handler.stage,
                handler,
                source,
                columns,
                report,
                rejects,
                skip_invalid,
                started,
                on_progress,
                skip,
            )
        if report.error_count and not skip_invalid:
            report.created = report.updated = report.unchanged = 0
            return
        if dry_run:
            return
        handler.prepare()
        import_prepared.send(sender=handler.__class__, kind=handler.name, report=report)
        if getattr(handler, "steps", 0):
            _write_in_steps(handler, report, started, on_progress)
            return
        try:
            with transaction.atomic():
                # Entering took the lock (SQLite's BEGIN IMMEDIATE waits for it here);
                # from now until the commit, other writers wait.
                locked = time.monotonic()
                handler.commit()
        except StaleImport as exc:
            raise ImportFailed(str(exc)) from None
        report.write_lock_seconds = round(time.monotonic() - locked, 3)
        report.committed = True
    finally:
        handler.discard()


def _write_in_steps(handler, report, started: float, on_progress=None) -> None:
    """Write a large import's stage in ``handler.steps`` short transactions, each of whole
    accounts, pausing after each as long as it held the write lock (at least
    ``STEP_PAUSE``): saves made meanwhile wait for one step, not for the whole file, and
    the database server gets to answer others half of the time. Should a step fail
    (someone changed that step's accounts' lines meanwhile; the disk is full), the steps
    before it stay written, and the message says so and how to finish."""
    written = longest = 0.0
    done = 0
    try:
        for step in range(handler.steps):
            if on_progress:
                on_progress(
                    Progress(
                        report.rows,
                        1.0,
                        time.monotonic() - started,
                        step=step + 1,
                        steps=handler.steps,
                    )
                )
            with transaction.atomic():
                locked = time.monotonic()
                handler.commit_step(step)
                import_step_writing.send(
                    sender=handler.__class__, step=step, steps=handler.steps, report=report
                )
            held = time.monotonic() - locked
            longest = max(longest, held)
            done += 1
            written += handler.step_lines[step]
            import_step_written.send(
                sender=handler.__class__, step=step, steps=handler.steps, report=report
            )
            if done < handler.steps:
                time.sleep(max(STEP_PAUSE, held))
    except (StaleImport, DatabaseError) as exc:
        if not done:
            if isinstance(exc, StaleImport):
                raise ImportFailed(str(exc)) from None
            raise
        total = sum(handler.step_lines)
        reason = str(exc) if isinstance(exc, StaleImport) else f"the database said: {exc}"
        reason = reason.rstrip()
        if not reason.endswith("."):
            reason += "."
        raise ImportFailed(
            _message(
                f"The import stopped while writing: {reason} "
                f"{int(written):,} of its {total:,} new and changed lines were written "
                f"(whole accounts, in {done} of {handler.steps} steps); the rest were not. "
                "Import the same file again to write the rest: the lines already written "
                "are recognised and not added twice."
            )
        ) from None
    finally:
        if done:
            handler.announce()
    report.write_lock_seconds = round(longest, 3)
    report.write_steps = done
    report.committed = True


@contextlib.contextmanager
def _no_cycle_collection():
    """Python's cycle collector off while a million rows are checked: each row makes a
    few short-lived lists, dicts and tuples without cycles (freed as they go), and the
    collector would otherwise scan every object of the process again and again — about
    3 of 20 CPU seconds of a million-line sales import. On again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _header(source, kind_cls, mapping):
    for _number, values in source.rows():
        headers = [h.strip().lstrip("\ufeff") for h in values]
        if not any(headers):
            raise ImportFailed("The first row is empty: the file needs a header row.")
        return headers, resolve_mapping(kind_cls, headers, mapping)
    raise ImportFailed("The file has no rows at all.")


def _data_rows(source):
    # A CSV cell keyplan's export wrote as '=… (so that it stays text in a spreadsheet) is
    # read as it was stored. An .xlsx cell holds its text as it is: nothing to remove. (The
    # source may come wrapped, e.g. in the limits' check: ask it, not its class.)
    quoted = not getattr(source, "typed_text", False)
    first = True
    for number, values in source.rows():
        if first:
            first = False
            continue
        if not any(v.strip() for v in values):
            continue
        # One C-level search per row first: a million rows pass through here, and almost
        # none holds a cell that starts with an apostrophe.
        if quoted and "\x1f'" in "\x1f" + "\x1f".join(values):
            values = [csv_unescape(v) if v[:1] == "'" else v for v in values]
        yield number, values


# The columns by which one row of a file can name another (a parent account, a manager,
# the person a contact reports to).
_SELF_KEYS = ("external_id", "name", "username", "email")


def _rejected_keys(source, columns, numbers: set[int]) -> dict[str, int]:
    """Key (an id as written, or a name, username or email matched as names are) → row
    number, for the rows of this file that were rejected."""
    keys: dict[str, int] = {}
    for number, values in _data_rows(source):
        if number not in numbers:
            continue
        row = _row_dict(values, columns)
        external_id = row.get("external_id", "").strip()
        if external_id:
            keys.setdefault(f"x:{external_id}", number)
            keys.setdefault(f"x:{salesforce_15(external_id) or external_id}", number)
        for name in _SELF_KEYS[1:]:
            if row.get(name, "").strip():
                keys.setdefault(f"n:{normalise_key(row[name])}", number)
    return keys


def _explain_rejected(error: RowError, keys: dict[str, int]) -> RowError:
    """A link found missing after the rows were written, to a row of the same file that
    was itself rejected, says so instead of "not found": the row is fine, the row it names
    is not."""
    value = error.value.strip()
    number = keys.get(f"x:{value}") or keys.get(f"x:{salesforce_15(value) or value}")
    number = number or keys.get(f"n:{normalise_key(value)}")
    if number is None or "not found" not in error.message:
        return error
    label = error.message.split("“", 1)[0].strip() or error.column
    return RowError(
        error.column,
        error.value,
        f"{label} “{error.value}” is row {number} of this file, which was rejected: "
        "fix that row first",
    )


def _too_many_values(values: list[str], width: int, delimiter: str = ",") -> RowError:
    """A row with more values than the header has columns: its cells have slid (most often
    an amount written with a thousands separator and not quoted, "3,100.00" read as "3"
    and "100.00"), so none of its values can be trusted where they stand."""
    used = len(values)
    while used > width and not values[used - 1].strip():
        used -= 1
    row = delimiter.join(values[:used])  # as the file has it, with its own separator
    return RowError(
        "all columns",
        # The row as the file has it: where the values slid is plain to see.
        row if len(row) <= 200 else row[:199] + "…",
        f"this row has {used:,} values but the header has {width:,} columns, so its "
        "values have moved from their columns (a number with a comma in it, like "
        "3,100.00, needs quotes in a CSV file); nothing of it is read",
    )


def _row_dict(values: list[str], columns: dict[str, int]) -> dict[str, str]:
    n = len(values)
    return {name: (values[i] if i < n else "") for name, i in columns.items()}


def _record(report: ImportReport, number: int, error: RowError) -> None:
    report.error_count += 1
    if len(report.errors) < MAX_ERRORS_LISTED:
        report.errors.append(
            {
                "row": number,
                "column": shorten(error.column),
                "value": shorten(error.value) if error.value else error.value,
                "message": _message(error.message),
            }
        )
    else:
        report.errors_not_listed += 1


def _message(text: str) -> str:
    # A message quotes at most a few values of VALUE_SHOWN characters each.
    return shorten_middle(text, min(MESSAGE_SHOWN, 2 * VALUE_SHOWN + 200))


def _record_skip(report: ImportReport, number: int, reason: str) -> None:
    report.skipped += 1
    if len(report.skipped_rows) < MAX_ERRORS_LISTED:
        report.skipped_rows.append({"row": number, "reason": _message(reason)})


def _process(
    write, handler, source, columns, report, rejects, skip_invalid, started, on_progress, skip
):
    batch: list[tuple[int, dict]] = []
    seen: dict = {}
    last_tick = 0.0
    # A file whose first rows are all invalid is not a file of this kind (or not a file
    # of anything): stop, rather than read millions of rows of garbage.
    give_up_after = import_limits().invalid_first_rows
    valid_seen = False

    def flush():
        if not batch:
            return
        if report.error_count and not skip_invalid:
            # The import will be rolled back: keep validating, stop writing.
            batch.clear()
            return
        try:
            counts = write(batch)
        except WriteErrors as exc:
            counts = exc.counts
            for number, error in exc.errors:
                _record(report, number, error)
                report.rejected += 1
                rejects.add(number, None, error.message)
        report.created += counts.created
        report.updated += counts.updated
        report.unchanged += counts.unchanged
        batch.clear()

    # In a CSV file a row longer than the header has slid (an unquoted comma); an Excel
    # sheet's cells cannot slide, and a note beside the table is no reason to refuse it.
    width = len(rejects.headers) if not getattr(source, "typed_text", False) else None
    delimiter = getattr(source, "delimiter", None) or ","
    for number, values in _data_rows(source):
        report.rows += 1
        row = _row_dict(values, columns)
        try:
            if number in skip:
                raise SkipRow(skip[number])
            if width is not None and len(values) > width and any(v.strip() for v in values[width:]):
                raise ErrorList([_too_many_values(values, width, delimiter)])
            cleaned = handler.clean(row)
            key = handler.key(cleaned)
            if key is not None:
                # Hashes, not keys, are remembered: a million-row file stays small in
                # memory. A hash collision can only cause a false "duplicate" report,
                # never a silent loss, and is vanishingly rare with 64-bit hashes.
                key = hash(key)
                first = seen.get(key)
                if first is not None:
                    raise ErrorList(
                        [
                            RowError(
                                _key_column(handler, cleaned),
                                _key_text(handler.key(cleaned)),
                                f"the same record as row {first}; each record once per file",
                            )
                        ]
                    )
                seen[key] = number
        except SkipRow as exc:
            _record_skip(report, number, exc.reason)
            rejects.add(number, values, f"skipped: {exc.reason}")
            continue
        except ErrorList as exc:
            report.rejected += 1
            for error in exc.errors:
                _record(report, number, error)
            rejects.add(
                number,
                values,
                _message(
                    "; ".join(f"{field_label(handler, e.column)}: {e.message}" for e in exc.errors)
                ),
            )
            if not valid_seen and report.rejected >= give_up_after:
                raise ImportFailed(_garbage(handler, report, give_up_after)) from None
            continue
        valid_seen = True
        batch.append((number, cleaned))
        if len(batch) >= BATCH:
            flush()
            if on_progress:
                now = time.monotonic()
                if now - last_tick >= 0.5:
                    last_tick = now
                    on_progress(Progress(report.rows, source.progress(), now - started))
    flush()


def _garbage(handler, report: ImportReport, rows: int) -> str:
    first = report.errors[0]
    value = f" “{first['value']}”" if first["value"] else ""
    return (
        f"The first {rows:,} rows of {report.file} are all invalid, so it does not look like "
        f"a file of {handler.name}: stopped without reading further (row {first['row']:,}, "
        f"{field_label(handler, first['column'])}{value}: {first['message']}). The number of "
        "rows is the setting KEYPLAN_IMPORT_STOP_AFTER_INVALID_ROWS."
    )


def _key_column(handler, cleaned) -> str:
    return "external_id" if cleaned.get("external_id") else handler.fields[0].name


def _key_text(key) -> str:
    if isinstance(key, tuple):
        return " / ".join(str(k) for k in key if k is not None and k != "name")
    return str(key)


class _Rejects:
    """The rejected rows, as they were in the file, plus an ``error`` column: fix and
    import again."""

    def __init__(self, path: Path, headers: list[str]):
        self.path = Path(path)
        self.headers = headers
        self.count = 0
        self._fh = None
        self._writer = None

    def add(self, number: int, values: list[str] | None, message: str) -> None:
        if values is None:
            values = [""] * len(self.headers)
            message = f"row {number}: {message}"
        if self._writer is None:
            self._fh = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self._writer = csv.writer(self._fh)
            self._writer.writerow([*self.headers, "error"])
        padded = list(values) + [""] * (len(self.headers) - len(values))
        # Opened in a spreadsheet to be fixed: what looks like a formula stays text.
        self._writer.writerow(csv_row([*padded[: len(self.headers)], message]))
        self.count += 1

    def close(self) -> None:
        if self._fh:
            self._fh.close()

    def discard(self) -> None:
        """No rejects file for this run: remove the one it began, or one an earlier run
        left at the same place (same columns plus ``error``), which would now list rows
        that are fixed."""
        if self.path.exists() and (self._fh or self._is_earlier_rejects()):
            self.path.unlink()

    def _is_earlier_rejects(self) -> bool:
        try:
            with open(self.path, newline="", encoding="utf-8") as fh:
                first = next(csv.reader(fh), None)
        except (OSError, UnicodeDecodeError, csv.Error):
            return False
        return first == [*self.headers, "error"]

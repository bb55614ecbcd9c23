"""Import a Salesforce data-export folder with no mapping at all.

Salesforce's weekly data export and Data Loader write one CSV per object with the API
field names. keyplan reads ``User.csv``, ``Account.csv``, ``Product2.csv``,
``Contact.csv``, ``Opportunity.csv``, ``OpportunityLineItem.csv`` and
``OpportunityHistory.csv`` (those present), in that order: either the whole folder is
imported or nothing. Every file is read, its encoding checked and converted to keyplan's
columns, and every row checked and planned first, without writing; then one short
transaction writes the plan, so other writers wait only for the writes (see
``import_salesforce`` and ``salesforce_plan``).

* Ids are kept as external ids; 15- and 18-character forms of an id match each other.
* Rows with ``IsDeleted`` true are skipped.
* Records keyplan made and sent to Salesforce (``keyplan export salesforce``) come back
  with their ``Keyplan_Id__c``: before the files are imported they take the ``Id``
  Salesforce gave them (``keyplan.crm.salesforce_ids``), so they are updated, not
  created a second time.
* An opportunity without an account is skipped with its line items (counted as skipped,
  written to ``Opportunity.rejects.csv`` / ``OpportunityLineItem.rejects.csv`` in the
  folder), not refused: see ``salesforce_folder``.
* References resolve against the folder: one bad row does not make every later row that
  names a valid record fail.
* An opportunity's status comes from ``IsWon`` / ``IsClosed``, whatever its stage is
  called. An empty ``Amount`` takes the total of the opportunity's line items
  (``TotalPrice``); without line items it stays unknown, which an open deal may be and a
  won or lost one may not (the opportunities kind's rule).
* ``OpportunityHistory.csv``, when present, is each deal's stage history (the stages it
  went through, when): read last, see ``salesforce_history``. Without it, keyplan records
  the stage each deal has when it is imported, and each change from then on.
* Line items of *won* opportunities become sale lines (dated by ``ServiceDate``, else the
  opportunity's close date) linked to their opportunity, so the deal is not counted twice
  in the sales history. Line items of *open* opportunities are the deal's products
  (``opportunity_products``): the deal is in the pipeline of each, for its
  ``TotalPrice``. Line items of lost opportunities are neither.
"""

import csv
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.db import IntegrityError, transaction

from keyplan.core.cells import csv_row
from keyplan.imports import salesforce_folder as folder_rules
from keyplan.imports.engine import ImportFailed, ImportReport, run_import
from keyplan.imports.kinds.base import Options
from keyplan.imports.kinds.opportunities import stage_status
from keyplan.imports.kinds.opportunity_products import OpportunityProductsKind
from keyplan.imports.kinds.sales import SalesKind
from keyplan.imports.salesforce_folder import rows as _rows
from keyplan.imports.salesforce_folder import short as _short
from keyplan.imports.salesforce_history import import_history
from keyplan.imports.salesforce_plan import PLANNED, Conflict, FolderPlan
from keyplan.imports.sources import SourceError
from keyplan.imports.values import normalise_key, parse_decimal

ORDER = ["User", "Account", "Product2", "Contact", "Opportunity", "OpportunityLineItem"]
# One import per file, of the kind ``FIELDS`` names; the line items are two: won deals'
# sale lines, open deals' products.
STEPS = [
    *((name, None) for name in ORDER[:-1]),
    ("OpportunityLineItem", "sales"),
    ("OpportunityLineItem", "opportunity_products"),
]

FIELDS = {
    "User": (
        "users",
        {
            "external_id": "Id",
            "username": "Username",
            "email": "Email",
            "name": ("FirstName", "LastName"),
            "manager": "ManagerId",
        },
    ),
    "Account": (
        "accounts",
        {
            "external_id": "Id",
            "name": "Name",
            "parent": "ParentId",
            "industry": "Industry",
            "country": "BillingCountry",
            "employees": "NumberOfEmployees",
            "annual_revenue": "AnnualRevenue",
            "owner": "OwnerId",
            "website": "Website",
        },
    ),
    "Product2": (
        "products",
        {
            "external_id": "Id",
            "name": "Name",
            "product_line": "Family",
            "active": "IsActive",
        },
    ),
    "Contact": (
        "contacts",
        {
            "external_id": "Id",
            "account": "AccountId",
            "first_name": "FirstName",
            "last_name": "LastName",
            "title": "Title",
            "function": "Department",
            "email": "Email",
            "phone": "Phone",
            "reports_to": "ReportsToId",
        },
    ),
    "Opportunity": (
        "opportunities",
        {
            "external_id": "Id",
            "name": "Name",
            "account": "AccountId",
            "stage": "StageName",
            "amount": "Amount",
            "probability": "Probability",
            "created_date": "CreatedDate",
            "close_date": "CloseDate",
            "owner": "OwnerId",
        },
    ),
}


def _find(folder: Path, name: str) -> Path | None:
    for candidate in folder.iterdir():
        if candidate.is_file() and candidate.name.lower() == f"{name.lower()}.csv":
            return candidate
    return None


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def _write(out: Path, fields: list[str], rows) -> None:
    """Write canonical rows; a skipped source row becomes an empty line so row numbers
    in error messages still match the Salesforce file."""
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(fields)
        for row in rows:
            # Quoted as exports are (the importer removes the quote): a value that itself
            # begins with an apostrophe before =, +, -, @ comes through exactly.
            writer.writerow(csv_row([row.get(f, "") for f in fields]) if row is not None else [])


def _canonical(path: Path, spec: dict):
    for _number, src in _rows(path):
        if _true(src.get("IsDeleted")):
            yield None
            continue
        row = {}
        for target, source in spec.items():
            if isinstance(source, tuple):
                row[target] = " ".join(src.get(s, "").strip() for s in source).strip()
            else:
                row[target] = src.get(source, "")
        yield row


def _opportunity_facts(path: Path, stage_map: dict[str, str]):
    """Per opportunity id: (account id, close date, status); and stage name → status.

    A file without ``IsWon`` and ``IsClosed`` (a Data Loader export of chosen fields)
    says nothing about the stages: each status then comes from the stage's name, as in
    any opportunities file ("Closed Won" is won)."""
    facts, stages = {}, {}
    for _number, src in _rows(path):
        if _true(src.get("IsDeleted")):
            continue
        stage = src.get("StageName", "").strip()
        if "IsWon" not in src and "IsClosed" not in src:
            facts[_short(src.get("Id", ""))] = (
                src.get("AccountId", ""),
                src.get("CloseDate", ""),
                str(stage_status(stage, stage_map)),
            )
            continue
        won, closed = _true(src.get("IsWon")), _true(src.get("IsClosed"))
        status = "won" if won else ("lost" if closed else "open")
        if stage:
            stages.setdefault(normalise_key(stage), status)
        facts[_short(src.get("Id", ""))] = (
            src.get("AccountId", ""),
            src.get("CloseDate", ""),
            status,
        )
    return facts, stages


def _line_totals(path: Path | None) -> dict[str, Decimal]:
    """Per opportunity id: the total of its line items' ``TotalPrice`` (those that read as
    numbers; a line that does not is reported when the line items are imported)."""
    totals: dict[str, Decimal] = {}
    if path is None:
        return totals
    for _number, src in _rows(path):
        if _true(src.get("IsDeleted")):
            continue
        try:
            price = parse_decimal(src.get("TotalPrice", "").strip())
        except ValueError:
            continue
        key = _short(src.get("OpportunityId", ""))
        totals[key] = totals.get(key, Decimal(0)) + price
    return totals


def _amount_from_lines(row, totals: dict[str, Decimal]):
    """An empty ``Amount`` takes the line items' total; without line items it stays
    empty: the amount is not known."""
    if row is not None and not row.get("amount", "").strip():
        total = totals.get(_short(row.get("external_id", "")))
        if total is not None:
            row["amount"] = str(total)
    return row


def _product(src: dict, products_by_entry: dict) -> str:
    return src.get("Product2Id", "").strip() or products_by_entry.get(
        _short(src.get("PricebookEntryId", "")), ""
    )


def _open_line_items(path: Path, opportunities: dict, products_by_entry: dict):
    """Line items of open opportunities: the deal's products (``opportunity_products``)."""
    for _number, src in _rows(path):
        opp = opportunities.get(_short(src.get("OpportunityId", "")))
        # A deal without an account is skipped, and its line items with it (counted
        # once, with the won deals' line items).
        if _true(src.get("IsDeleted")) or opp is None or opp[2] != "open" or not opp[0].strip():
            yield None
            continue
        yield {
            "external_id": src.get("Id", ""),
            "opportunity": src.get("OpportunityId", ""),
            "product": _product(src, products_by_entry),
            "amount": src.get("TotalPrice", ""),
            "quantity": src.get("Quantity", ""),
        }


def _line_items(path: Path, opportunities: dict, products_by_entry: dict):
    for _number, src in _rows(path):
        opp = opportunities.get(_short(src.get("OpportunityId", "")))
        if _true(src.get("IsDeleted")) or opp is None or opp[2] != "won":
            yield None
            continue
        product = _product(src, products_by_entry)
        yield {
            "external_id": src.get("Id", ""),
            "account": opp[0],
            "product": product,
            "date": (src.get("ServiceDate", "") or opp[1])[:10],
            "amount": src.get("TotalPrice", ""),
            "quantity": src.get("Quantity", ""),
            "opportunity": src.get("OpportunityId", ""),
        }


@dataclass
class _Step:
    """One import of the folder: a Salesforce file as one keyplan kind, converted to the
    kind's canonical columns (``out``) before the write lock is taken."""

    name: str
    kind: str
    source: Path
    out: Path
    fields: list[str]
    rejects: str
    skipped: dict
    # The canonical rows, read again from the Salesforce file (a row refused by the
    # round trip is then left out: see ``_write_folder``).
    rows: Callable[[], Iterable]


def _prepare_steps(folder: Path, tmp: Path, present: dict, opportunities: dict, totals: dict):
    """Read every file and write each step's canonical file: files only, never the
    database, so no write lock is held meanwhile. A file that cannot be read (its
    encoding, a limit) stops the import here, before anyone waits for it."""
    steps = []
    entries = None
    without_account = folder_rules.opportunities_without_account(present["Opportunity"])
    for name, kind in STEPS:
        path = present[name]
        if path is None:
            continue
        rejects = f"{name}.rejects.csv"
        skipped = {}
        if name == "OpportunityLineItem":
            if entries is None:
                entries = {}
                entry_file = _find(folder, "PricebookEntry")
                if entry_file:
                    entries = {
                        _short(src.get("Id", "")): src.get("Product2Id", "")
                        for _n, src in _rows(entry_file)
                    }
            if kind == "opportunity_products":
                fields = list(OpportunityProductsKind.export_fields)
                rows = partial(_open_line_items, path, opportunities, entries)
                rejects = f"{name}.open-deals.rejects.csv"
                # Skipped rows are counted once, with the won deals' line items.
            else:
                fields = list(SalesKind.export_fields)
                skipped = folder_rules.skipped_line_items(path, without_account)
                rows = partial(_won_line_items, path, opportunities, entries, skipped)
        else:
            kind, spec = FIELDS[name]
            fields = list(spec)
            rows = partial(_canonical, path, spec)
            if name == "Opportunity":
                rows = partial(_opportunity_rows, path, spec, totals)
        step = _Step(name, kind, path, tmp / f"{name}.{kind}.csv", fields, rejects, skipped, rows)
        _write(step.out, step.fields, step.rows())
        steps.append(step)
    return steps


def _won_line_items(path, opportunities, entries, skipped):
    return folder_rules.with_skipped_rows(_line_items(path, opportunities, entries), skipped)


def _opportunity_rows(path, spec, totals):
    return (_amount_from_lines(r, totals) for r in _canonical(path, spec))


# How many times a folder is prepared again when someone changed what its plan was
# decided against before it could be written.
ATTEMPTS = 3


def import_salesforce(
    folder, *, dry_run=False, skip_invalid=False, options=None, on_progress=None
) -> list[ImportReport]:
    """Import the folder, all or nothing, in two steps. First, without writing (other
    writers go on): every file is read, checked for its encoding and converted to
    keyplan's columns, and every row is checked, its references resolved against the
    database and the files before it (a contact to its account, a deal to its account
    and owner, a line item to its deal and product) and what it does decided (new,
    changed, unchanged): the folder's plan (``salesforce_plan``). Then one transaction
    checks that nothing the plan was decided against changed meanwhile and makes the
    planned writes; only that holds the write lock, for
    ``folder_write_lock_seconds``. When someone else changed a record the folder
    updates in between, the folder is prepared again (``ATTEMPTS`` times at most):
    their change is neither lost nor overwritten with what was read before it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFailed(
            f"{folder} is not a folder; a Salesforce export is a folder of CSV files."
        )
    present = {name: _find(folder, name) for name in ORDER}
    if not any(present.values()):
        raise ImportFailed(
            f"{folder} holds none of the Salesforce export files keyplan reads: "
            + ", ".join(f"{n}.csv" for n in ORDER)
        )
    options = options or Options()
    held = 0.0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for attempt in range(1, ATTEMPTS + 1):
                plan, reports = _prepare_folder(
                    folder,
                    Path(tmp),
                    present,
                    options=options,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    on_progress=on_progress,
                )
                if plan is None:
                    break  # refused, or a dry run: nothing to write
                try:
                    with transaction.atomic():
                        # Entering took the lock (SQLite's BEGIN IMMEDIATE waits for it
                        # here); from now until the commit, other writers wait.
                        locked = time.monotonic()
                        plan.check()
                        plan.write()
                    held = round(time.monotonic() - locked, 3)
                    for r in reports:
                        r.committed = True
                    break
                except (Conflict, IntegrityError) as exc:
                    # Someone else changed (or added, or deleted) what the plan was
                    # decided against: nothing was written; prepare again.
                    if attempt == ATTEMPTS:
                        raise ImportFailed(_changed_meanwhile(exc)) from None
    except SourceError as exc:
        raise ImportFailed(str(exc)) from None
    for report in reports:
        report.write_lock_seconds = None  # a step's own figure would leave out the rest
        report.folder_write_lock_seconds = held
    return reports


def _changed_meanwhile(exc: Exception) -> str:
    what = (
        exc.describe() + " (and perhaps more)"
        if isinstance(exc, Conflict) and exc.pk is not None
        else ("sale lines" if isinstance(exc, Conflict) else "records this folder imports")
    )
    return (
        f"Someone else changed {what} each time this folder was prepared ({ATTEMPTS} "
        "times), so what it would write may no longer be right and their changes would be "
        "overwritten. Nothing was imported: import the folder again."
    )


def _prepare_folder(folder, tmp, present, *, options, dry_run, skip_invalid, on_progress):
    """Read and convert the files, then check and plan every step without writing.
    Returns (the plan, or None when there is nothing to write, and the reports)."""
    opportunities, stages = {}, {}
    if present["Opportunity"]:
        opportunities, stages = _opportunity_facts(present["Opportunity"], options.stage_map)
    totals = _line_totals(present["OpportunityLineItem"])
    steps = _prepare_steps(folder, tmp, present, opportunities, totals)
    # Records keyplan sent to Salesforce come back with their Keyplan_Id__c: they take
    # their Salesforce id first, so the steps update them.
    from keyplan.crm.salesforce_ids import sent_rows

    sent = sent_rows(
        {name: _find(folder, name) for name in ("Opportunity", "Contact", "Task", "Event")}
    )
    history = _find(folder, "OpportunityHistory")
    plan = FolderPlan()
    reports = _plan_folder(
        folder,
        steps,
        plan,
        sent=sent,
        history=history,
        stages=stages,
        options=options,
        dry_run=dry_run,
        on_progress=on_progress,
    )
    failed = any(not r.ok for r in reports) and not skip_invalid
    if failed or dry_run:
        for r in reports:
            r.committed = False
            if failed:
                r.created = r.updated = r.unchanged = 0
                if r.rejects_file:
                    # Nothing was imported: the errors are in the report.
                    Path(r.rejects_file).unlink(missing_ok=True)
                    r.rejects_file = None
        return None, reports
    plan.seal()
    return plan, reports


def _plan_folder(folder, steps, plan, *, sent, history, stages, options, dry_run, on_progress):
    """Check every step's rows and plan its writes, in order; nothing is written."""
    from keyplan.crm.salesforce_ids import learn_salesforce_ids

    round_trip = learn_salesforce_ids(sent, plan)
    rejected = folder_rules.Rejected()
    reports: list[ImportReport] = []
    for step in steps:
        refused = round_trip.refused.get(step.name, {}) if step.name in FIELDS else {}
        if refused:
            # Rows that would duplicate a record keyplan sent are left out (rare: the
            # file is converted again without them).
            _write(
                step.out,
                step.fields,
                (
                    None if number in refused else row
                    for number, row in enumerate(step.rows(), start=2)
                ),
            )
        run_options = Options(
            date_format=options.date_format,
            stage_map={**stages, **options.stage_map},
        )
        # Valid rows are planned even when others fail (nothing is written unless
        # --skip-invalid or every row is valid), so the next files resolve their
        # references against the whole folder.
        report = run_import(
            kind=step.kind,
            path=step.out,
            dry_run=False,
            skip_invalid=True,
            rejects_path=folder / step.rejects,
            options=run_options,
            on_progress=on_progress,
            skip={n: reason for n, (reason, _row) in step.skipped.items()},
            make_handler=partial(PLANNED[step.kind], plan=plan),
        )
        # Rows that would duplicate a record keyplan sent (left out above).
        for error in round_trip.refused.get(step.name, {}).values():
            report.errors.append(error)
            report.error_count += 1
            report.rejected += 1
        rejected.explain(report)
        rejected.learn(step.name, step.source, report)
        report.file = step.source.name
        report.dry_run = dry_run
        reports.append(report)
    if history is not None:
        report = import_history(
            history,
            rejects_path=folder / "OpportunityHistory.rejects.csv",
            options=options,
            rejected_deals=rejected.by_object.get("Opportunity", {}),
            plan=plan,
        )
        report.dry_run = dry_run
        reports.append(report)
    return reports

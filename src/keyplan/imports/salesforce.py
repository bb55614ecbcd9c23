"""Import a Salesforce data-export folder with no mapping at all.

Salesforce's weekly data export and Data Loader write one CSV per object with the API
field names. keyplan reads ``User.csv``, ``Account.csv``, ``Product2.csv``,
``Contact.csv``, ``Opportunity.csv``, ``OpportunityLineItem.csv`` and
``OpportunityHistory.csv`` (those present), in that order, inside one transaction: either
the whole folder is imported or nothing.

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
from decimal import Decimal
from pathlib import Path

from django.db import transaction

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


def import_salesforce(
    folder, *, dry_run=False, skip_invalid=False, options=None, on_progress=None
) -> list[ImportReport]:
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
    reports: list[ImportReport] = []
    try:
        with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
            tmp = Path(tmp)
            opportunities, stages = {}, {}
            if present["Opportunity"]:
                opportunities, stages = _opportunity_facts(
                    present["Opportunity"], options.stage_map
                )
            line_totals = _line_totals(present["OpportunityLineItem"])
            # Records keyplan sent to Salesforce come back with their Keyplan_Id__c: they
            # take their Salesforce id first, so the steps below update them.
            from keyplan.crm.salesforce_ids import learn_salesforce_ids

            round_trip = learn_salesforce_ids(
                {name: _find(folder, name) for name in ("Opportunity", "Contact", "Task", "Event")}
            )
            without_account = folder_rules.opportunities_without_account(present["Opportunity"])
            rejected = folder_rules.Rejected()
            for name, kind in STEPS:
                path = present[name]
                if path is None:
                    continue
                rejects = f"{name}.rejects.csv"
                if name == "OpportunityLineItem":
                    entries = {}
                    entry_file = _find(folder, "PricebookEntry")
                    if entry_file:
                        entries = {
                            _short(src.get("Id", "")): src.get("Product2Id", "")
                            for _n, src in _rows(entry_file)
                        }
                    if kind == "opportunity_products":
                        fields = list(OpportunityProductsKind.export_fields)
                        rows = _open_line_items(path, opportunities, entries)
                        rejects = f"{name}.open-deals.rejects.csv"
                        skipped = {}  # counted once, with the won deals' line items
                    else:
                        fields = list(SalesKind.export_fields)
                        rows = _line_items(path, opportunities, entries)
                        skipped = folder_rules.skipped_line_items(path, without_account)
                        rows = folder_rules.with_skipped_rows(rows, skipped)
                else:
                    kind, spec = FIELDS[name]
                    fields = list(spec)
                    rows = _canonical(path, spec)
                    skipped = {}
                    refused = round_trip.refused.get(name, {})
                    if refused:
                        rows = (
                            None if number in refused else row
                            for number, row in enumerate(rows, start=2)
                        )
                    if name == "Opportunity":
                        rows = (_amount_from_lines(r, line_totals) for r in rows)
                out = tmp / f"{name}.{kind}.csv"
                _write(out, fields, rows)
                run_options = Options(
                    date_format=options.date_format,
                    stage_map={**stages, **options.stage_map},
                )
                # Valid rows are written even when others fail (the folder's single
                # transaction is rolled back at the end unless --skip-invalid), so the
                # next files resolve their references against the whole folder.
                report = run_import(
                    kind=kind,
                    path=out,
                    dry_run=False,
                    skip_invalid=True,
                    rejects_path=folder / rejects,
                    options=run_options,
                    on_progress=on_progress,
                    skip={n: reason for n, (reason, _row) in skipped.items()},
                )
                # Rows that would duplicate a record keyplan sent (left out above).
                for error in round_trip.refused.get(name, {}).values():
                    report.errors.append(error)
                    report.error_count += 1
                    report.rejected += 1
                rejected.explain(report)
                rejected.learn(name, path, report)
                report.file = path.name
                report.dry_run = dry_run
                reports.append(report)
            history = _find(folder, "OpportunityHistory")
            if history is not None:
                report = import_history(
                    history,
                    rejects_path=folder / "OpportunityHistory.rejects.csv",
                    options=options,
                    rejected_deals=rejected.by_object.get("Opportunity", {}),
                )
                report.dry_run = dry_run
                reports.append(report)
            failed = any(not r.ok for r in reports) and not skip_invalid
            if failed or dry_run:
                transaction.set_rollback(True)
                for r in reports:
                    r.committed = False
                    if failed:
                        r.created = r.updated = r.unchanged = 0
                        if r.rejects_file:
                            # Nothing was imported: the errors are in the report.
                            Path(r.rejects_file).unlink(missing_ok=True)
                            r.rejects_file = None
    except SourceError as exc:
        raise ImportFailed(str(exc)) from None
    return reports

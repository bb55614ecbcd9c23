"""What a Salesforce folder's import leaves in the database, table by table, compared with
a reference taken from the code as it was when the folder's plan (``salesforce_plan``)
and the import kinds were made to share their rules (main at d42e5fa): a change to how a
folder is planned must not change a single value a user sees.

The folder is the benchmark's (``bench_salesforce_import.make_folder``, 300 accounts,
seed 7), imported into an empty database four times: the first load; the same folder
again; a changed folder (renamed, moved and re-owned accounts, a new account with its
contact and deal, changed amounts, stages and titles, a deleted contact line, a renamed
product, a new manager); and that folder again with bad rows, skipping them. After each
import every keyplan table is read (ids as their order in their table, so the numbers a
database happens to give do not count; times of the import run left out) and compared
with the reference, with the files' reports (counts and error messages).

When a change is meant to change what an import writes, run this file with
``KEYPLAN_WRITE_REFERENCE=1`` and commit the new reference with that change.
"""

import csv
import datetime
import hashlib
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from keyplan.imports.kinds.base import Options
from keyplan.imports.salesforce import import_salesforce

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).with_name("salesforce_folder_tables.json")
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def _rewrite(folder: Path, name: str, change) -> None:
    path = folder / f"{name}.csv"
    header, rows = _rows(path)
    rows = change(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def _by_id(rows: list[dict]) -> dict[str, dict]:
    return {r["Id"]: r for r in rows}


def change_folder(folder: Path) -> None:
    """A few records edited, one deleted, a few added, as a later export would have them."""

    def users(rows):
        _by_id(rows)["005000000000001"]["ManagerId"] = "005000000000002"
        new = dict(rows[-1], Id="005000000000099", Username="new@corp.example")
        new.update(Email="new@corp.example", FirstName="Nina", LastName="New")
        return [*rows, new]

    def accounts(rows):
        by_id = _by_id(rows)
        by_id["001000000000005"]["Name"] = "Account Five (renamed)"
        by_id["001000000000012"]["ParentId"] = "001000000000010"  # a new parent
        by_id["001000000000019"]["ParentId"] = ""  # no parent any more
        by_id["001000000000020"]["OwnerId"] = "005000000000003"
        by_id["001000000000030"]["Industry"] = "Logistics"
        by_id["001000000000031"]["AnnualRevenue"] = "777"
        new = dict(rows[0], Id="001000000000900", Name="Newco", ParentId="001000000000000")
        new["OwnerId"] = "005000000000099"
        return [*rows, new]

    def products(rows):
        by_id = _by_id(rows)
        by_id["01t000000000003"]["Name"] = "Product Three"
        by_id["01t000000000005"]["IsActive"] = "false"
        return rows

    def contacts(rows):
        by_id = _by_id(rows)
        by_id["003000000000010"]["Title"] = "Chief Buyer"
        by_id["003000000000011"]["ReportsToId"] = ""
        by_id["003000000000014"]["Email"] = "changed@account4.example"
        new = dict(rows[0], Id="003000000009000", AccountId="001000000000900")
        new.update(FirstName="Nora", LastName="Newco", Email="nora@newco.example")
        deleted = "003000000000007"
        return [*[r for r in rows if r["Id"] != deleted], new]

    def deals(rows):
        by_id = _by_id(rows)
        by_id["006000000000008"]["Amount"] = "123456.78"
        by_id["006000000000009"]["Name"] = "Deal nine, bigger"
        for deal in rows:
            if deal["AccountId"] == "001000000000020":  # the account's new owner's
                deal["OwnerId"] = "005000000000003"
        for deal in rows:
            if deal["IsClosed"] == "false":
                deal.update(StageName="Closed Won", IsClosed="true", IsWon="true")
                deal["Probability"] = "100"
                break
        for deal in rows[40:]:
            if deal["IsClosed"] == "false":
                deal["StageName"] = (
                    "Negotiation" if deal["StageName"] != "Negotiation" else "Proposal"
                )
                deal["CloseDate"] = "2026-03-31"
                break
        new = dict(rows[0], Id="006000000090000", Name="Newco deal", AccountId="001000000000900")
        new.update(StageName="Prospecting", IsClosed="false", IsWon="false", Probability="10")
        new["OwnerId"] = "005000000000099"
        return [*rows, new]

    def line_items(rows):
        rows[0]["Quantity"] = "99"
        rows[1]["TotalPrice"] = "1.00"
        new = dict(rows[0], Id="00k000000090000", OpportunityId="006000000090000")
        return [*rows[:5], *rows[6:], new]

    def history(rows):
        new = dict(rows[0], Id="008000000090000", OpportunityId="006000000090000")
        return [*rows, new]

    for name, change in (
        ("User", users),
        ("Account", accounts),
        ("Product2", products),
        ("Contact", contacts),
        ("Opportunity", deals),
        ("OpportunityLineItem", line_items),
        ("OpportunityHistory", history),
    ):
        _rewrite(folder, name, change)


def add_bad_rows(folder: Path) -> None:
    """Rows a user gets back with a message: each kind refuses one."""

    def accounts(rows):
        return [*rows, dict(rows[1], Id="001000000000901", Name="Badsite", Website="not a site!")]

    def contacts(rows):
        return [*rows, dict(rows[1], Id="003000000009001", Email="not an email")]

    def deals(rows):
        bad = dict(rows[1], Id="006000000090001", Name="Nowhere", AccountId="001999999999999")
        unseen = dict(rows[3], Id="006000000090003", OwnerId="005000000000099")  # sees Newco only
        return [*rows, bad, dict(rows[2], Id="006000000090002", Amount="-5"), unseen]

    def line_items(rows):
        return [*rows, dict(rows[3], Id="00k000000090001", Product2Id="01t999999999999")]

    def users(rows):
        return [*rows, dict(rows[1], Id="005000000000098", Username="bad@corp.example", Email="x")]

    for name, change in (
        ("User", users),
        ("Account", accounts),
        ("Contact", contacts),
        ("Opportunity", deals),
        ("OpportunityLineItem", line_items),
    ):
        _rewrite(folder, name, change)


def _plain(value):
    if isinstance(value, Decimal | datetime.date | datetime.time):
        return str(value)
    return value


def tables(started: datetime.datetime) -> dict[str, list]:
    """Every keyplan table: its rows, ids as their rank in their table (left out where no
    record points at them: the lineage's and the roll-up's follow a set's order), sorted."""
    keyplan = [m for m in apps.get_models() if m.__module__.startswith("keyplan.")]
    pointed_at = {
        f.related_model for m in keyplan for f in m._meta.concrete_fields if f.is_relation
    }
    ranks = {
        model: {
            pk: n for n, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))
        }
        for model in keyplan
    }
    today = datetime.date.today()
    dump = {}
    for model in keyplan:
        fields = model._meta.concrete_fields
        rows = []
        for values in model.objects.order_by().values_list(*(f.attname for f in fields)):
            row = []
            for f, value in zip(fields, values, strict=True):
                if f.primary_key:
                    value = ranks[model][value] if model in pointed_at else None
                elif f.is_relation and value is not None and f.related_model in ranks:
                    value = ranks[f.related_model].get(value, f"outside {value}")
                elif isinstance(value, datetime.datetime) and value >= started:
                    value = "(the import's time)"
                elif type(value) is datetime.date and value == today:
                    value = "(the import's day)"
                elif f.name == "password" and value.startswith("!"):
                    value = "(unusable, random)"
                elif isinstance(f, models.FloatField):
                    value = "(a duration)" if value is not None else None
                row.append(_plain(value))
            rows.append(row)
        dump[model._meta.label] = sorted(rows, key=lambda r: json.dumps(r, default=str))
    return dump


def _report(report) -> dict:
    return {
        "kind": report.kind,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "skipped": report.skipped,
        "committed": report.committed,
        "errors": report.errors,
        "skipped_rows": report.skipped_rows,
    }


def _digest(rows) -> str:
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:24]


def test_a_folder_leaves_the_same_tables_as_before(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from bench_salesforce_import import make_folder

    folder = tmp_path / "export"
    make_folder(folder, 300, seed=7)
    started = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    found = {}
    for step, prepare, skip in (
        ("first load", None, False),
        ("the same folder again", None, False),
        ("a changed folder", change_folder, False),
        ("with bad rows, skipped", add_bad_rows, True),
    ):
        if prepare:
            prepare(folder)
        reports = import_salesforce(folder, skip_invalid=skip, options=Options())
        dump = tables(started)
        found[step] = {
            "reports": [_report(r) for r in reports],
            "tables": {name: [len(rows), _digest(rows)] for name, rows in dump.items() if rows},
        }
        (tmp_path / f"{step}.json").write_text(json.dumps(dump, default=str, indent=0))

    if os.environ.get("KEYPLAN_WRITE_REFERENCE") == "1":
        REFERENCE.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    reference = json.loads(REFERENCE.read_text())
    for step, expected in reference.items():
        assert found[step]["reports"] == expected["reports"], f"{step}: the reports differ"
        for table in sorted(set(expected["tables"]) | set(found[step]["tables"])):
            assert found[step]["tables"].get(table) == expected["tables"].get(table), (
                f"{step}: {table} differs from the reference ([rows, digest]; "
                f"the rows are in {tmp_path})"
            )

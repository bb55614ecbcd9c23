"""An .xlsx export holds numbers as numbers and dates as dates — a spreadsheet adds up the
amounts and sorts by date — and still imports back unchanged, for every kind."""

from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from keyplan.imports.kinds import KINDS
from tests.imports.test_export_roundtrip import territory  # noqa: F401

pytestmark = pytest.mark.django_db


def _sheet(path):
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_amounts_are_numbers_and_dates_are_dates(tmp_path, territory):  # noqa: F811
    import datetime

    path = tmp_path / "sales.xlsx"
    call_command("export", "sales", "--format", "xlsx", "-o", str(path), stderr=StringIO())
    rows = _sheet(path)
    assert rows and all(isinstance(r["amount"], int | float) for r in rows), rows
    assert all(isinstance(r["quantity"], int | float) for r in rows)
    assert all(isinstance(r["date"], datetime.datetime) for r in rows)
    assert all(isinstance(r["account"], str) for r in rows)

    path = tmp_path / "accounts.xlsx"
    call_command("export", "accounts", "--format", "xlsx", "-o", str(path), stderr=StringIO())
    revenues = [r["annual_revenue"] for r in _sheet(path) if r["annual_revenue"] is not None]
    assert revenues and all(isinstance(v, int | float) for v in revenues)


@pytest.mark.parametrize("kind", list(KINDS))
def test_xlsx_export_then_import_is_unchanged_for_every_kind(
    tmp_path,
    run_import,
    territory,  # noqa: F811
    kind,
):
    path = tmp_path / f"{kind}.xlsx"
    call_command("export", kind, "--format", "xlsx", "-o", str(path), stderr=StringIO())
    code, report = run_import(kind, path)
    assert code == 0, report["errors"]
    assert report["rows"] > 0
    assert (report["created"], report["updated"]) == (0, 0)
    assert report["unchanged"] == report["rows"]

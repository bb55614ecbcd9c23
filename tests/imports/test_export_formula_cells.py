"""Exports never hand a spreadsheet a formula: text that starts like one (=, +, -, @, tab,
carriage return) is written as text, numbers stay numbers, and the export imports back
unchanged."""

import csv
import io
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from keyplan.accounts.models import Account
from tests.factories import ContactFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/steal","Click for the discount")'


@pytest.fixture
def hostile(org):
    org.mine.name = HOSTILE
    org.mine.industry = "@SUM(1+1)*cmd|' /C calc'!A0"
    org.mine.save()
    org.theirs.name = "'=already quoted"
    org.theirs.region = "-west"
    org.theirs.save()
    ContactFactory(account=org.mine, external_id="K1", first_name="+Eve", title="-CFO-")
    SaleLineFactory(account=org.mine, external_id="CN-1", amount=Decimal("-1200.00"))
    return org


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_export_writes_formula_like_text_as_text(tmp_path, hostile):
    path = tmp_path / "accounts.csv"
    call_command("export", "accounts", "-o", str(path), stderr=StringIO())
    by_id = {r["external_id"]: r for r in csv_rows(path)}
    mine = by_id[hostile.mine.external_id]
    assert mine["name"] == "'" + HOSTILE
    assert mine["industry"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    theirs = by_id[hostile.theirs.external_id]
    # An apostrophe the user typed survives the importer's single removal.
    assert theirs["name"] == "''=already quoted"
    assert theirs["region"] == "'-west"

    contacts = tmp_path / "contacts.csv"
    call_command("export", "contacts", "-o", str(contacts), stderr=StringIO())
    (eve,) = csv_rows(contacts)
    assert (eve["first_name"], eve["title"]) == ("'+Eve", "'-CFO-")


def test_negative_amounts_stay_numbers(tmp_path, hostile):
    path = tmp_path / "sales.csv"
    call_command("export", "sales", "-o", str(path), stderr=StringIO())
    (line,) = [r for r in csv_rows(path) if r["external_id"] == "CN-1"]
    assert line["amount"] == "-1200.00"


@pytest.mark.parametrize("kind", ["accounts", "contacts", "sales"])
def test_csv_export_with_formula_like_text_imports_back_unchanged(
    tmp_path, run_import, hostile, kind
):
    path = tmp_path / f"{kind}.csv"
    call_command("export", kind, "-o", str(path), stderr=StringIO())
    code, report = run_import(kind, path)
    assert code == 0, report["errors"]
    assert (report["created"], report["updated"]) == (0, 0)
    assert report["unchanged"] == report["rows"] > 0
    assert Account.objects.get(pk=hostile.mine.pk).name == HOSTILE
    assert Account.objects.get(pk=hostile.theirs.pk).name == "'=already quoted"


def test_importer_reads_a_quoted_formula_as_the_text(tmp_path, run_import, org):
    path = tmp_path / "accounts.csv"
    path.write_text(f'name,level\n"\'{HOSTILE.replace(chr(34), chr(34) * 2)}",Legal entity\n')
    code, report = run_import("accounts", path)
    assert code == 0, report["errors"]
    assert Account.objects.filter(name=HOSTILE).count() == 1


def test_xlsx_export_writes_text_cells_never_formulas(tmp_path, run_import, hostile):
    path = tmp_path / "accounts.xlsx"
    call_command("export", "accounts", "--format", "xlsx", "-o", str(path), stderr=StringIO())
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    name_cells = [row[header.index("name")] for row in sheet.iter_rows(min_row=2)]
    (cell,) = [c for c in name_cells if c.value == HOSTILE]
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.quotePrefix  # and Excel keeps it text when someone edits it
    assert all(c.data_type == "s" for c in name_cells)

    code, report = run_import("accounts", path)
    assert code == 0, report["errors"]
    assert report["unchanged"] == report["rows"] == 4
    assert Account.objects.get(pk=hostile.mine.pk).name == HOSTILE


def test_web_exports_write_formula_like_text_as_text(client, hostile):
    client.force_login(hostile.ops)
    body = b"".join(client.get("/exports/accounts/").streaming_content).decode()
    names = {r["name"] for r in csv.DictReader(io.StringIO(body))}
    assert "'" + HOSTILE in names and HOSTILE not in names

    response = client.get("/exports/accounts/?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == HOSTILE]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_white_space_export_writes_formula_like_names_as_text(client, hostile):
    SaleLineFactory(account=hostile.mine)
    client.force_login(hostile.ops)
    response = client.get("/territory/whitespace/export/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    accounts = {r["account"] for r in csv.DictReader(io.StringIO(body))}
    assert "'" + HOSTILE in accounts and HOSTILE not in accounts

    response = client.get("/territory/whitespace/export/?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_salesforce_name_that_begins_with_a_quoted_formula_comes_through_exactly(
    tmp_path, run_import, db
):
    """A Salesforce export goes through canonical CSV files on its way in: a name such as
    ``'=Top deal`` must not lose its apostrophe there."""
    import copy

    from tests.imports.test_salesforce import FILES
    from tests.imports.test_salesforce_folder import make_folder

    files = copy.deepcopy(FILES)
    name_at = files["Account.csv"][0].index("Name")
    files["Account.csv"][1][name_at] = "'=Globex Europe"
    files["Account.csv"][2][name_at] = "-Globex Corporation"
    code, report = run_import("salesforce", make_folder(tmp_path, files))
    assert code == 0, report
    assert Account.objects.filter(name="'=Globex Europe").exists()
    assert Account.objects.filter(name="-Globex Corporation").exists()

"""Files as CRMs and spreadsheets write them: encodings, delimiters, quoting, Excel."""

import pytest

from keyplan.accounts.models import Account
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

TEXT = (
    "external_id;name;country\n"
    'M1;"Müller; Söhne GmbH";Österreich\n'
    'M2;"Café ""Zoë""\nand more";España\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_are_detected(tmp_path, run_import, encoding):
    path = write(tmp_path / "accounts.csv", TEXT, encoding=encoding)
    code, report = run_import("accounts", path)
    assert code == 0, report
    assert Account.objects.get(external_id="M1").name == "Müller; Söhne GmbH"
    assert Account.objects.get(external_id="M1").country == "Österreich"
    assert Account.objects.get(external_id="M2").name == 'Café "Zoë" and more'


def test_encoding_can_be_given(tmp_path, run_import):
    path = write(tmp_path / "accounts.csv", TEXT, encoding="latin-1")
    code, report = run_import("accounts", path, "--encoding", "latin-1")
    assert code == 0 and Account.objects.get(external_id="M2").country == "España"


def test_tab_and_pipe_delimiters(tmp_path, run_import):
    write(tmp_path / "t.csv", "external_id\tname\nT1\tTabby Ltd\n")
    write(tmp_path / "p.csv", "external_id|name\nP1|Pipe Inc\n")
    assert run_import("accounts", tmp_path / "t.csv")[0] == 0
    assert run_import("accounts", tmp_path / "p.csv")[0] == 0
    assert set(Account.objects.values_list("name", flat=True)) == {"Tabby Ltd", "Pipe Inc"}


def test_error_rows_are_numbered_as_in_a_spreadsheet_despite_multiline_cells(tmp_path, run_import):
    path = write(
        tmp_path / "a.csv",
        'external_id,name,employees\nX1,"two\nlines",1\nX2,Fine,many\n',
    )
    code, report = run_import("accounts", path)
    assert [e["row"] for e in report["errors"]] == [3]


def test_excel_first_sheet_or_named_sheet(tmp_path, run_import):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["this sheet is not the data"])
    sheet = book.create_sheet("Accounts")
    sheet.append(["external_id", "name", "employees"])
    sheet.append(["E1", "Excel Corp", 1200])
    path = tmp_path / "accounts.xlsx"
    book.save(path)
    code, report = run_import("accounts", path)
    assert code == 2 and "no column for Name" in report["failure"]
    code, report = run_import("accounts", path, "--sheet", "Accounts")
    assert code == 0
    assert Account.objects.get(external_id="E1").employees == 1200
    code, report = run_import("accounts", path, "--sheet", "Nope")
    assert code == 2 and "has no sheet “Nope”" in report["failure"]

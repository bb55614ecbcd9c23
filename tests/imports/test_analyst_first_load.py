"""Defects found loading messy real exports as a sales-operations analyst would (issue 13,
points 1–6 re-checked by hand)."""

import copy
from decimal import Decimal

import pytest

from keyplan.sales.models import Opportunity, SaleLine
from tests.imports.conftest import write
from tests.imports.test_salesforce import FILES
from tests.imports.test_salesforce_folder import make_folder

pytestmark = pytest.mark.django_db


def test_child_of_a_rejected_parent_in_the_same_file_names_that_row(run_import, tmp_path):
    """With --skip-invalid, one bad account makes its child fail too; the child's error
    says the parent is a rejected row of the file, not that it is "not found" (it is
    right there)."""
    path = write(
        tmp_path / "accounts.csv",
        "external_id,name,parent,annual_revenue\n"
        "A2,Globex Europe,A1,\n"
        "A1,Globex Corporation,,five billion\n"
        "A3,Initech,,1000\n",
    )
    code, report = run_import("accounts", path, "--skip-invalid")
    assert code == 1
    messages = {(e["row"], e["column"]): e["message"] for e in report["errors"]}
    assert messages == {
        (3, "annual_revenue"): "“five billion” is not a number",
        (2, "parent"): (
            "account “A1” is row 3 of this file, which was rejected: fix that row first"
        ),
    }


def test_salesforce_child_account_of_a_rejected_parent_is_no_false_not_found(run_import, tmp_path):
    files = copy.deepcopy(FILES)
    header = files["Account.csv"][0]
    parent = files["Account.csv"][2]
    parent[header.index("AnnualRevenue")] = "five billion"
    code, report = run_import("salesforce", make_folder(tmp_path, files))
    assert code == 1
    accounts = [e for e in report["errors"] if e["file"] == "Account.csv"]
    assert [(e["row"], e["column"], e["message"]) for e in accounts] == [
        (3, "annual_revenue", "“five billion” is not a number"),
        (
            2,
            "parent",
            "account “0015g00000Paren” is row 3 of this file, which was rejected: "
            "fix that row first",
        ),
    ]
    assert not any("not found" in e["message"] for e in report["errors"])


def test_erp_opportunity_headers_with_a_currency_map_themselves(run_import, org, tmp_path):
    """`Amount (USD)` is the amount: the file imports with no --map."""
    path = write(
        tmp_path / "deals.csv",
        "Opportunity ID,Opportunity Name,Account Name,Stage,Amount (USD),Close Date\n"
        f"OP-1,Early,{org.mine.name},Prospecting,,\n"
        f'OP-2,Sized,{org.mine.name},Proposal,"12,500.00",2026-09-30\n',
    )
    code, report = run_import("opportunities", path)
    assert code == 0, report
    amounts = dict(Opportunity.objects.values_list("external_id", "amount"))
    assert amounts == {"OP-1": None, "OP-2": Decimal("12500.00")}


def test_a_lost_deal_without_amount_is_refused_with_the_reason(run_import, org, tmp_path):
    path = write(
        tmp_path / "deals.csv",
        f"name,account,stage,amount,close_date\nLost one,{org.mine.name},Closed Lost,,2026-03-01\n",
    )
    code, report = run_import("opportunities", path)
    assert code == 1
    assert [(e["row"], e["column"], e["message"]) for e in report["errors"]] == [
        (2, "amount", "a lost opportunity needs an amount; only an open one may leave it empty")
    ]


def test_whole_thousands_in_a_decimal_comma_file_are_thousands(run_import, org, tmp_path):
    """An ERP export writes 1.234,56 — and a round 5,000 as 5.000: five thousand, never
    five (the file's other amounts show that the comma is its decimal mark)."""
    deals = write(
        tmp_path / "deals.csv",
        "Opportunity ID;Opportunity Name;Account Name;Stage;Amount (EUR);Close Date\n"
        f"OP-1;Sized;{org.mine.name};Proposal;1.234,56;2026-09-30\n"
        f"OP-2;Round;{org.mine.name};Proposal;5.000;2026-09-30\n",
    )
    code, report = run_import("opportunities", deals)
    assert code == 0, report
    amounts = dict(Opportunity.objects.values_list("external_id", "amount"))
    assert amounts == {"OP-1": Decimal("1234.56"), "OP-2": Decimal("5000.00")}


def test_sale_lines_read_by_the_files_decimal_mark(run_import, org, catalogue, tmp_path):
    sales = write(
        tmp_path / "sales.csv",
        "Customer;Item;Invoice Date;Net Amount;Qty\n"
        f"{org.mine.name};GTX Pro;2025-03-05;12.000;1,500\n"
        f"{org.mine.name};GTX Pro;2025-03-06;999,90;2\n",
    )
    code, report = run_import("sales", sales)
    assert code == 0, report
    lines = SaleLine.objects.order_by("date").values_list("amount", "quantity")
    assert list(lines) == [
        (Decimal("12000.00"), Decimal("1.50")),
        (Decimal("999.90"), Decimal("2.00")),
    ]


def test_a_decimal_point_file_keeps_reading_three_decimals_as_decimals(
    run_import, org, catalogue, tmp_path
):
    sales = write(
        tmp_path / "sales.csv",
        f"account,product,date,amount,quantity\n{org.mine.name},GTX Pro,2025-03-05,12.50,1.500\n",
    )
    code, report = run_import("sales", sales)
    assert code == 0, report
    assert list(SaleLine.objects.values_list("amount", "quantity")) == [
        (Decimal("12.50"), Decimal("1.50"))
    ]


def test_month_first_dates_are_read_as_the_file_shows_them(run_import, org, catalogue, tmp_path):
    """11/30/2025 shows that the file writes the month first: 03/05/2025 is March 5th,
    with no --date-format."""
    sales = write(
        tmp_path / "sales.csv",
        "Customer,Item,Invoice Date,Net Amount\n"
        f"{org.mine.name},GTX Pro,03/05/2025,100\n"
        f"{org.mine.name},GTX Pro,11/30/2025,100\n",
    )
    code, report = run_import("sales", sales)
    assert code == 0, report
    dates = sorted(str(d) for d in SaleLine.objects.values_list("date", flat=True))
    assert dates == ["2025-03-05", "2025-11-30"]


def test_dates_that_never_show_their_order_are_still_refused(run_import, org, catalogue, tmp_path):
    sales = write(
        tmp_path / "sales.csv",
        f"account,product,date,amount\n{org.mine.name},GTX Pro,03/05/2025,100\n",
    )
    code, report = run_import("sales", sales)
    assert code == 1
    assert "is ambiguous (day/month or month/day?)" in report["errors"][0]["message"]


def test_a_workbooks_numbers_keep_their_decimal_point(run_import, org, catalogue, tmp_path):
    """In an .xlsx a number cell is a number: 1234.567 stays 1,234.57 even when a text
    cell of the same sheet writes 999,90."""
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Customer", "Item", "Invoice Date", "Net Amount"])
    sheet.append([org.mine.name, "GTX Pro", datetime.datetime(2025, 3, 5), 1234.567])
    sheet.append([org.mine.name, "GTX Pro", datetime.datetime(2025, 3, 6), "999,90"])
    path = tmp_path / "sales.xlsx"
    book.save(path)
    code, report = run_import("sales", path)
    assert code == 0, report
    amounts = list(SaleLine.objects.order_by("date").values_list("amount", flat=True))
    assert amounts == [Decimal("1234.57"), Decimal("999.90")]


def test_a_data_loader_export_without_iswon_reads_the_status_from_the_stage(run_import, tmp_path):
    """An Opportunity.csv of chosen fields, without IsWon / IsClosed: "Closed Won" deals
    are won (with their line items as sales), not open."""
    files = copy.deepcopy(FILES)
    header = files["Opportunity.csv"][0]
    dropped = [header.index("IsClosed"), header.index("IsWon")]
    stage = header.index("StageName")
    for row in files["Opportunity.csv"][1:]:
        row[stage] = {"Contract Signed": "Closed Won", "Not Selected": "Closed Lost"}.get(
            row[stage], row[stage]
        )
    files["Opportunity.csv"] = [
        [v for i, v in enumerate(row) if i not in dropped] for row in files["Opportunity.csv"]
    ]
    code, report = run_import("salesforce", make_folder(tmp_path, files))
    assert code == 0, report["errors"]
    status = dict(Opportunity.objects.values_list("name", "status"))
    assert status == {
        "Turbines 2025": "won",
        "Service renewal": "won",
        "Lost bid": "lost",
        "Expansion": "open",
    }
    assert SaleLine.objects.count() == 2


def test_a_salesforce_rejects_file_says_how_to_import_it(tmp_path, db):
    """The rejects file of a folder has keyplan's columns: the report names the command
    that imports it once fixed, and that command works."""
    from io import StringIO

    from django.core.management import call_command

    from keyplan.accounts.models import Account

    files = copy.deepcopy(FILES)
    header = files["Account.csv"][0]
    files["Account.csv"][2][header.index("AnnualRevenue")] = "five billion"
    folder = make_folder(tmp_path, files)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "salesforce", str(folder), "--skip-invalid", stdout=out)
    rejects = folder / "Account.rejects.csv"
    assert (
        f"  Rejected rows are in {rejects}, in keyplan's columns: fix them there and run "
        f"keyplan import accounts {rejects} — or fix Account.csv and import the folder again."
    ) in out.getvalue()
    rejects.write_text(rejects.read_text(encoding="utf-8").replace("five billion", "5.0E9"))
    call_command("import", "accounts", str(rejects), stdout=StringIO())
    assert Account.objects.get(name="Globex Corporation").annual_revenue == Decimal("5.0E9")


def test_a_fixed_file_leaves_no_stale_rejects_file(run_import, tmp_path):
    """Once the rejected row is fixed and the file imported again, the rejects file of the
    earlier run (listing a row that is now fine) is gone."""
    path = write(tmp_path / "accounts.csv", "name,employees\nGood,10\nBad,lots\n")
    code, report = run_import("accounts", path, "--skip-invalid")
    rejects = tmp_path / "accounts.rejects.csv"
    assert code == 1 and rejects.exists()
    write(path, "name,employees\nGood,10\nBad,12\n")
    code, report = run_import("accounts", path)
    assert code == 0 and report["rejects_file"] is None
    assert not rejects.exists()


def test_a_fixed_salesforce_folder_leaves_no_stale_rejects_files(run_import, tmp_path):
    files = copy.deepcopy(FILES)
    header = files["Account.csv"][0]
    files["Account.csv"][2][header.index("AnnualRevenue")] = "five billion"
    folder = make_folder(tmp_path, files)
    code, _report = run_import("salesforce", folder, "--skip-invalid")
    assert code == 1 and (folder / "Account.rejects.csv").exists()
    assert (folder / "Opportunity.rejects.csv").exists()
    account_csv = folder / "Account.csv"
    account_csv.write_text(account_csv.read_text().replace("five billion", "5.0E9"))
    code, report = run_import("salesforce", folder)
    assert code == 0, report["errors"]
    assert sorted(p.name for p in folder.glob("*.rejects.csv")) == []

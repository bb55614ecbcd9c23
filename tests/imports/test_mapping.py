"""Column mapping: headers that match, --map, and saved TOML mapping files."""

import pytest

from keyplan.sales.models import SaleLine
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

ERP = "Invoice Line;Customer No;Item;Posting Date;Net Value\nL1;{acc};P1;03/01/2025;1.234,50\n"


def test_map_on_the_command_line(tmp_path, run_import, org, catalogue):
    path = write(tmp_path / "erp.csv", ERP.format(acc=org.mine.external_id))
    code, report = run_import(
        "sales",
        path,
        "--map",
        "external_id=Invoice Line",
        "--map",
        "account=Customer No",
        "--map",
        "product=Item",
        "--map",
        "date=Posting Date",
        "--map",
        "amount=Net Value",
        "--date-format",
        "dmy",
    )
    assert code == 0, report
    line = SaleLine.objects.get(external_id="L1")
    assert str(line.date) == "2025-01-03" and str(line.amount) == "1234.50"


def test_saved_mapping_file(tmp_path, run_import, org, catalogue):
    mapping = write(
        tmp_path / "erp.toml",
        'kind = "sales"\ndate_format = "mdy"\n[map]\nexternal_id = "Invoice Line"\n'
        'account = "Customer No"\nproduct = "Item"\ndate = "Posting Date"\n'
        'amount = "Net Value"\n',
    )
    path = write(tmp_path / "erp.csv", ERP.format(acc=org.mine.external_id))
    code, report = run_import("sales", path, "--mapping", mapping)
    assert code == 0, report
    assert str(SaleLine.objects.get().date) == "2025-03-01"


def test_mapping_to_a_column_the_file_lacks(tmp_path, run_import, org, catalogue):
    path = write(tmp_path / "erp.csv", ERP.format(acc=org.mine.external_id))
    code, report = run_import("sales", path, "--map", "amount=Gross")
    assert code == 2
    assert "names the column “Gross”, which the file does not have" in report["failure"]


def test_mapping_file_for_another_kind_is_refused(tmp_path, run_import):
    mapping = write(tmp_path / "m.toml", 'kind = "contacts"\n[map]\nname = "X"\n')
    path = write(tmp_path / "a.csv", "name\nA\n")
    code, report = run_import("accounts", path, "--mapping", mapping)
    assert code == 2 and "is for contacts" in report["failure"]


def test_crm_report_headers_need_no_mapping(tmp_path, run_import, db):
    from keyplan.accounts.models import Account

    path = write(
        tmp_path / "report.csv",
        "Account ID,Account Name,Billing Country,Annual_Revenue,number of employees\n"
        'A1,Wayne Enterprises,United States,"4,230,000",120\n',
    )
    code, report = run_import("accounts", path)
    assert code == 0, report
    account = Account.objects.get(external_id="A1")
    assert (account.name, account.country, account.annual_revenue, account.employees) == (
        "Wayne Enterprises",
        "United States",
        4230000,
        120,
    )


def test_a_header_named_like_the_field_beats_an_alias_and_a_map_beats_both(
    tmp_path, run_import, db
):
    from keyplan.accounts.models import Account

    path = write(tmp_path / "a.csv", "Account Name,Name,Company\nAlias,Exact,Other\n")
    code, report = run_import("accounts", path)
    assert code == 0, report
    assert Account.objects.get().name == "Exact"
    code, report = run_import("accounts", path, "--map", "name=Company")
    assert code == 0 and Account.objects.filter(name="Other").exists()


def test_the_command_line_still_names_its_flags(tmp_path, run_import):
    path = write(tmp_path / "a.csv", "colour\nred\n")
    code, report = run_import("accounts", path)
    assert code == 2 and "(on the command line: --map FIELD=COLUMN)" in report["failure"]


def test_map_takes_a_field_by_the_label_the_mapping_page_shows(tmp_path, run_import):
    """`--map "Annual revenue=Turnover"` works as `--map annual_revenue=Turnover` does, and
    a field that does not exist is answered with the labels the mapping page shows."""
    from keyplan.accounts.models import Account

    path = write(tmp_path / "a.csv", "Id,Company,Turnover\nA1,Acme,1000\n")
    code, report = run_import(
        "accounts", path, "--map", "External id=Id", "--map", "name=Company",
        "--map", "Annual revenue=Turnover",
    )  # fmt: skip
    assert code == 0, report
    assert Account.objects.get(external_id="A1").annual_revenue == 1000

    code, report = run_import("accounts", path, "--map", "Revenue=Turnover")
    assert code == 2
    assert report["failure"].startswith(
        "“Revenue” is not a field of accounts; the fields are: External id, Name, Parent, "
        "Level, Industry, Country, Region, Employees, Annual revenue, Owner, Website"
    )

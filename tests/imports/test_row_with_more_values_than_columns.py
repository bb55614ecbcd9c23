"""A row with more values than the header has columns is rejected with a sentence saying
so: an amount written "$3,100.00" without quotes used to be read as an amount of 3 and a
quantity of 100, and the import went through."""

import pytest

from keyplan.sales.models import SaleLine
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

HEADER = "account,product,date,amount,quantity\n"
GOOD = "Mine Group,P1,2025-03-04,100.00,1\n"
SLID = "Mine Group,P2,2025-03-05,$3,100.00,1\n"


def test_a_row_whose_values_slid_is_rejected_and_nothing_is_written(
    tmp_path, run_import, org, catalogue
):
    code, report = run_import("sales", write(tmp_path / "a.csv", HEADER + GOOD + SLID))
    assert code != 0
    assert SaleLine.objects.count() == 0
    [error] = report["errors"]
    assert error["row"] == 3
    assert "6 values but the header has 5 columns" in error["message"]
    assert "3,100.00" in error["message"]
    assert error["value"] == "Mine Group,P2,2025-03-05,$3,100.00,1"  # the row as it is


def test_with_skip_invalid_the_other_rows_are_imported(tmp_path, run_import, org, catalogue):
    code, report = run_import(
        "sales", write(tmp_path / "a.csv", HEADER + GOOD + SLID), "--skip-invalid"
    )
    assert code == 1, report  # not everything was imported
    assert report["created"] == 1 and report["rejected"] == 1
    assert list(SaleLine.objects.values_list("amount", flat=True)) == [100]


def test_empty_cells_past_the_header_are_not_values(tmp_path, run_import, org, catalogue):
    code, report = run_import("sales", write(tmp_path / "a.csv", HEADER + GOOD.strip() + ",,\n"))
    assert code == 0, report["errors"]
    assert report["created"] == 1


def test_a_semicolon_file_shows_the_row_with_its_own_separator(
    tmp_path, run_import, org, catalogue
):
    """A European export separates with ";": the message shows the row as the file has
    it, not re-joined with commas."""
    header = "account;product;date;amount;quantity\n"
    good = "Mine Group;P1;2025-03-04;100,00;1\n"
    slid = "Mine Group;P2;2025-03-05;3;100,00;1\n"
    code, report = run_import("sales", write(tmp_path / "a.csv", header + good + slid))
    assert code != 0
    [error] = report["errors"]
    assert error["value"] == "Mine Group;P2;2025-03-05;3;100,00;1"

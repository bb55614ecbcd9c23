"""Sale lines without an external id are a multiset: two identical rows are two lines (the
same item ordered twice); re-importing the file changes nothing, and a row that appears
once more in a newer file adds exactly one line."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from keyplan.imports import engine
from keyplan.sales.models import SaleLine
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

HEADER = "account,product,date,amount,quantity\n"
X = "Mine Group,P1,2025-03-04,100.00,1\n"  # the same item, ordered twice
Y = "Mine Group,P2,2025-03-04,250.50,2\n"
Z = "Mine Group,P1,2025-03-05,40.00,1\n"


def total():
    return SaleLine.objects.aggregate(s=Sum("amount"))["s"]


def counts(report):
    return report["created"], report["unchanged"], report["updated"], report["rejected"]


def test_two_identical_rows_are_two_lines(tmp_path, run_import, org, catalogue):
    code, report = run_import("sales", write(tmp_path / "a.csv", HEADER + X + X + Y))
    assert code == 0, report["errors"]
    assert counts(report) == (3, 0, 0, 0)
    assert SaleLine.objects.count() == 3
    assert total() == Decimal("450.50")  # 100 + 100 + 250.50


def test_reimporting_the_same_file_changes_nothing(tmp_path, run_import, org, catalogue):
    path = write(tmp_path / "a.csv", HEADER + X + X + Y)
    run_import("sales", path)
    code, report = run_import("sales", path)
    assert code == 0
    assert counts(report) == (0, 3, 0, 0)
    assert SaleLine.objects.count() == 3 and total() == Decimal("450.50")


def test_a_row_once_more_in_a_newer_file_adds_one_line(tmp_path, run_import, org, catalogue):
    run_import("sales", write(tmp_path / "january.csv", HEADER + X + X + Y))
    # X three times now (the database has it twice), Y once (has it once), Z is new.
    code, report = run_import("sales", write(tmp_path / "february.csv", HEADER + X + Y + X + Z + X))
    assert code == 0
    assert counts(report) == (2, 3, 0, 0)
    assert SaleLine.objects.count() == 5
    assert total() == Decimal("590.50")  # 450.50 + 100 + 40


def test_a_file_with_fewer_copies_removes_nothing(tmp_path, run_import, org, catalogue):
    run_import("sales", write(tmp_path / "a.csv", HEADER + X + X + Y))
    code, report = run_import("sales", write(tmp_path / "b.csv", HEADER + X))
    assert counts(report) == (0, 1, 0, 0)
    assert SaleLine.objects.count() == 3 and total() == Decimal("450.50")


def test_occurrences_are_counted_across_batches(tmp_path, run_import, org, catalogue, monkeypatch):
    monkeypatch.setattr(engine, "BATCH", 2)
    # Something already in the table, so the first file is not a first load.
    run_import("sales", write(tmp_path / "seed.csv", HEADER + Z))
    path = write(tmp_path / "a.csv", HEADER + X + Y + Y + X + X)
    code, report = run_import("sales", path)
    assert counts(report) == (5, 0, 0, 0)
    code, report = run_import("sales", path)
    assert counts(report) == (0, 5, 0, 0)
    code, report = run_import("sales", write(tmp_path / "b.csv", HEADER + X + X + X + X + Y))
    assert counts(report) == (1, 4, 0, 0)
    assert SaleLine.objects.count() == 7
    # Z 40 + X 4 × 100 + Y 2 × 250.50
    assert total() == Decimal("941.00")


def test_a_repeated_external_id_is_still_an_error(tmp_path, run_import, org, catalogue):
    path = write(
        tmp_path / "sales.csv",
        "external_id," + HEADER + "L1," + X + "L1," + X,
    )
    code, report = run_import("sales", path)
    assert code == 1
    assert report["errors"][0]["row"] == 3
    assert "the same record as row 2; each record once per file" in report["errors"][0]["message"]
    assert SaleLine.objects.count() == 0

"""By default a file is imported all-or-nothing, and every error is reported."""

import pytest

from keyplan.sales.models import SaleLine
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def test_one_bad_row_means_nothing_is_written_and_every_error_is_listed(
    tmp_path, run_import, org, catalogue
):
    path = write(
        tmp_path / "sales.csv",
        "external_id,account,product,date,amount\n"
        f"S1,{org.mine.external_id},P1,2025-01-05,100\n"
        f"S2,{org.mine.external_id},P1,2025-13-01,abc\n"
        f"S3,NOPE,P2,2025-01-07,5\n"
        f"S4,{org.mine.external_id},P2,2025-01-08,7\n",
    )
    code, report = run_import("sales", path)
    assert code == 1
    assert report["committed"] is False and report["created"] == 0
    assert SaleLine.objects.count() == 0
    assert report["rejected"] == 2
    errors = {(e["row"], e["column"], e["value"]) for e in report["errors"]}
    assert errors == {(3, "date", "2025-13-01"), (3, "amount", "abc"), (4, "account", "NOPE")}
    assert all(e["message"] for e in report["errors"])


def test_dry_run_checks_everything_and_writes_nothing(tmp_path, run_import, org, catalogue):
    path = write(
        tmp_path / "sales.csv",
        f"external_id,account,product,date,amount\nS1,{org.mine.external_id},P1,2025-01-05,100\n",
    )
    code, report = run_import("sales", path, "--dry-run")
    assert code == 0 and report["created"] == 1 and report["dry_run"] is True
    assert SaleLine.objects.count() == 0


def test_the_same_record_twice_in_one_file_is_an_error(tmp_path, run_import, org, catalogue):
    path = write(
        tmp_path / "sales.csv",
        "external_id,account,product,date,amount\n"
        f"S1,{org.mine.external_id},P1,2025-01-05,100\n"
        f"S1,{org.mine.external_id},P1,2025-01-06,200\n",
    )
    code, report = run_import("sales", path)
    assert code == 1
    assert report["errors"][0]["row"] == 3
    assert "same record as row 2" in report["errors"][0]["message"]

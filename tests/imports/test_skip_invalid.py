"""--skip-invalid imports the good rows and writes the bad ones to a rejects file that
re-imports cleanly once fixed."""

import csv

import pytest

from keyplan.sales.models import SaleLine
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def test_rejects_file_holds_the_original_row_and_the_reason(tmp_path, run_import, org, catalogue):
    acc = org.mine.external_id
    path = write(
        tmp_path / "sales.csv",
        "external_id,account,product,date,amount,Comment\n"
        f"S1,{acc},P1,2025-01-05,100,fine\n"
        f"S2,{acc},GTXPro,2025-01-06,200,typo in product\n"
        f"S3,{acc},P2,2025-01-07,300,fine too\n",
    )
    rejects = tmp_path / "rejected.csv"
    code, report = run_import("sales", path, "--skip-invalid", "--rejects", rejects)
    assert code == 1  # not everything was imported
    assert report["created"] == 2 and report["rejected"] == 1 and report["committed"]
    assert sorted(SaleLine.objects.values_list("external_id", flat=True)) == ["S1", "S3"]
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert len(rows) == 1
    assert rows[0]["Comment"] == "typo in product" and rows[0]["product"] == "GTXPro"
    assert "did you mean “GTX Pro”" in rows[0]["error"]

    # The user fixes the product in the rejects file and imports it again.
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow({**rows[0], "product": "GTX Pro"})
    code, report = run_import("sales", fixed)
    assert code == 0 and report["created"] == 1
    assert SaleLine.objects.count() == 3


def test_default_rejects_file_sits_beside_the_source(tmp_path, run_import, org, catalogue):
    path = write(
        tmp_path / "sales.csv",
        f"external_id,account,product,date,amount\nS1,{org.mine.external_id},P1,bad,1\n",
    )
    code, report = run_import("sales", path, "--skip-invalid")
    assert report["rejects_file"] == str(tmp_path / "sales.rejects.csv")
    assert (tmp_path / "sales.rejects.csv").exists()


def test_child_of_a_rejected_parent_is_set_aside_whole(tmp_path, run_import):
    import csv as _csv

    from keyplan.accounts.models import Account

    path = write(
        tmp_path / "accounts.csv",
        "external_id,name,parent,employees\n"
        "P,Parent Co,,lots\n"  # rejected: employees is not a number
        "C,Child Co,P,10\n",  # valid itself, but its parent never arrives
    )
    code, report = run_import("accounts", path, "--skip-invalid")
    assert code == 1 and report["rejected"] == 2
    with open(tmp_path / "accounts.rejects.csv", encoding="utf-8") as fh:
        rows = {r["external_id"]: r for r in _csv.DictReader(fh)}
    assert rows["C"]["name"] == "Child Co" and rows["C"]["parent"] == "P"
    assert rows["C"]["error"].startswith("Parent: ")
    assert Account.objects.get(external_id="C").parent is None

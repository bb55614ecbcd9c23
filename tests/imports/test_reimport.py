"""Re-importing the same file changes nothing; an updated file updates exactly the
changed records; columns absent from the file are left alone."""

import pytest

from keyplan.accounts.models import Account
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

ACCOUNTS = (
    "external_id,name,industry,country,employees\n"
    "C1,Contoso,Retail,France,100\n"
    "C2,Fabrikam,Retail,Spain,200\n"
    "C3,Northwind,Food,Italy,300\n"
)


def test_same_file_twice_is_all_unchanged(tmp_path, run_import):
    path = write(tmp_path / "accounts.csv", ACCOUNTS)
    assert run_import("accounts", path)[1]["created"] == 3
    code, report = run_import("accounts", path)
    assert code == 0
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 3)


def test_changed_rows_are_updated_and_nothing_else(tmp_path, run_import):
    run_import("accounts", write(tmp_path / "a.csv", ACCOUNTS))
    changed = ACCOUNTS.replace("Fabrikam,Retail,Spain,200", "Fabrikam,Retail,Portugal,200")
    code, report = run_import("accounts", write(tmp_path / "b.csv", changed))
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 2)
    assert Account.objects.get(external_id="C2").country == "Portugal"


def test_a_column_missing_from_the_file_is_not_blanked(tmp_path, run_import):
    run_import("accounts", write(tmp_path / "a.csv", ACCOUNTS))
    code, report = run_import(
        "accounts", write(tmp_path / "b.csv", "external_id,name\nC1,Contoso SA\n")
    )
    contoso = Account.objects.get(external_id="C1")
    assert contoso.name == "Contoso SA" and contoso.industry == "Retail"
    assert contoso.employees == 100


def test_rows_without_external_id_match_by_name(tmp_path, run_import):
    path = write(tmp_path / "a.csv", "name,industry\nTailspin Toys,Toys\n")
    run_import("accounts", path)
    code, report = run_import(
        "accounts", write(tmp_path / "b.csv", "name,industry\n tailspin  toys ,Games\n")
    )
    assert (report["created"], report["updated"]) == (0, 1)
    assert Account.objects.get(name__iexact="tailspin toys").industry == "Games"

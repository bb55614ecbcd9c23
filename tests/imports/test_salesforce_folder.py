"""Folder-level rules of a Salesforce import: opportunities without an account are skipped
with their line items (the plain command succeeds), and one bad row does not cascade
into false "not found" errors in the files after it."""

import copy
import csv
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.accounts.models import Account
from keyplan.sales.models import Opportunity, SaleLine
from tests.imports.test_salesforce import FILES

pytestmark = pytest.mark.django_db

OPP_COLUMNS = FILES["Opportunity.csv"][0]
ACCOUNT_COLUMNS = FILES["Account.csv"][0]
LINE_COLUMNS = FILES["OpportunityLineItem.csv"][0]


def row(columns, **values):
    return [values.get(c, "") for c in columns]


def make_folder(tmp_path, files):
    folder = tmp_path / "WE_00D5g000004XyZ_1"
    folder.mkdir()
    for name, rows in files.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    return folder


@pytest.fixture
def without_account(tmp_path):
    """The valid export, plus a won deal and an open one that name no account (a person
    account's deal, an early one), the won one with a line item, and a private contact."""
    files = copy.deepcopy(FILES)
    files["Opportunity.csv"] += [
        row(
            OPP_COLUMNS,
            Id="0065g00000NoAc1AAB",
            IsDeleted="false",
            Name="Person account deal",
            StageName="Contract Signed",
            Amount="1200",
            Probability="100",
            CloseDate="2025-04-30",
            IsClosed="true",
            IsWon="true",
        ),
        row(
            OPP_COLUMNS,
            Id="0065g00000NoAc2AAB",
            IsDeleted="false",
            Name="Early idea",
            StageName="Discovery",
            Amount="",
            Probability="10",
            CloseDate="2026-09-30",
            IsClosed="false",
            IsWon="false",
        ),
    ]
    files["OpportunityLineItem.csv"].append(
        row(
            LINE_COLUMNS,
            Id="00k5g00000Line9AAB",
            OpportunityId="0065g00000NoAc1AAB",
            Product2Id="01t5g00000Prod1AAB",
            Quantity="1",
            UnitPrice="1200",
            TotalPrice="1200",
        )
    )
    files["Contact.csv"].append(
        row(
            FILES["Contact.csv"][0],
            Id="0035g00000Priv0AAB",
            IsDeleted="false",
            LastName="Private",
            FirstName="Pat",
        )
    )
    return make_folder(tmp_path, files)


def test_the_plain_command_succeeds_and_counts_them_as_skipped(without_account):
    out = StringIO()
    call_command("import", "salesforce", str(without_account), stdout=out)  # no SystemExit
    text = out.getvalue()
    assert "Imported Opportunity.csv (opportunities): 6 rows — 4 created, 0 updated, " in text
    assert "0 rejected, 2 skipped in " in text
    assert "row 6 skipped: it has no account; keyplan plans accounts and cannot place it" in text
    line_items = next(t for t in text.splitlines() if t.startswith("Imported OpportunityLine"))
    assert " — 2 created, " in line_items and "0 rejected, 1 skipped in " in line_items
    assert (
        "row 5 skipped: its opportunity 0065g00000NoAc1AAB was skipped: it has no account" in text
    )
    assert Opportunity.objects.count() == 4
    assert not Opportunity.objects.filter(name__in=["Person account deal", "Early idea"]).exists()
    assert SaleLine.objects.count() == 2


def test_json_lists_each_skipped_row_and_the_rejects_files_hold_them(run_import, without_account):
    code, report = run_import("salesforce", without_account)
    assert code == 0 and report["ok"]
    assert report["skipped"] == 4 and report["rejected"] == 0 and report["errors"] == []
    assert [(s["file"], s["row"]) for s in report["skipped_rows"]] == [
        ("Contact.csv", 4),
        ("Opportunity.csv", 6),
        ("Opportunity.csv", 7),
        ("OpportunityLineItem.csv", 5),
    ]
    rejects = list(
        csv.DictReader((without_account / "Opportunity.rejects.csv").open(encoding="utf-8"))
    )
    assert [(r["external_id"], r["name"], r["error"]) for r in rejects] == [
        (
            "0065g00000NoAc1AAB",
            "Person account deal",
            "skipped: it has no account; keyplan plans accounts and cannot place it",
        ),
        (
            "0065g00000NoAc2AAB",
            "Early idea",
            "skipped: it has no account; keyplan plans accounts and cannot place it",
        ),
    ]
    lines = list(
        csv.DictReader((without_account / "OpportunityLineItem.rejects.csv").open(encoding="utf-8"))
    )
    assert [(r["external_id"], r["opportunity"], r["amount"]) for r in lines] == [
        ("00k5g00000Line9AAB", "0065g00000NoAc1AAB", "1200")
    ]
    assert lines[0]["error"].startswith("skipped: its opportunity 0065g00000NoAc1AAB")


@pytest.fixture
def one_bad_account(tmp_path):
    """The valid export plus an account with an unreadable employee count, which no other
    file references."""
    files = copy.deepcopy(FILES)
    files["Account.csv"].append(
        row(
            ACCOUNT_COLUMNS,
            Id="0015g00000InitcAAB",
            IsDeleted="false",
            Name="Initech",
            NumberOfEmployees="lots",
        )
    )
    return files


def test_one_bad_account_is_the_only_error_reported(tmp_path, run_import, one_bad_account):
    folder = make_folder(tmp_path, one_bad_account)
    code, report = run_import("salesforce", folder)
    assert code == 1 and not report["ok"]
    assert [(e["file"], e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        ("Account.csv", 5, "employees", "lots")
    ]
    # One report per file; OpportunityLineItem.csv has two (won deals' sale lines, open
    # deals' products).
    assert [f["error_count"] for f in report["files"]] == [0, 1, 0, 0, 0, 0, 0]
    # All or nothing still: nothing is written, and no rejects file is left behind.
    assert Account.objects.count() == 0 and Opportunity.objects.count() == 0
    assert not list(folder.glob("*.rejects.csv"))


def test_with_skip_invalid_the_rest_of_the_folder_is_imported(
    tmp_path, run_import, one_bad_account
):
    folder = make_folder(tmp_path, one_bad_account)
    code, report = run_import("salesforce", folder, "--skip-invalid")
    assert code == 1 and report["rejected"] == 1
    assert Account.objects.count() == 2 and Opportunity.objects.count() == 4
    assert SaleLine.objects.count() == 2
    assert (folder / "Account.rejects.csv").exists()


def test_a_reference_to_a_rejected_row_says_so(tmp_path, run_import, one_bad_account):
    one_bad_account["Opportunity.csv"].append(
        row(
            OPP_COLUMNS,
            Id="0065g00000InitdAAB",
            IsDeleted="false",
            AccountId="0015g00000Initc",
            Name="Initech deal",
            StageName="Discovery",
            Amount="10",
            CloseDate="2026-01-31",
            IsClosed="false",
            IsWon="false",
        )
    )
    code, report = run_import("salesforce", make_folder(tmp_path, one_bad_account))
    assert code == 1
    assert [(e["file"], e["row"], e["message"]) for e in report["errors"]] == [
        ("Account.csv", 5, "“lots” is not a number"),
        (
            "Opportunity.csv",
            6,
            "account “0015g00000Initc” is row 5 of Account.csv, which was rejected: "
            "fix that row first",
        ),
    ]


def test_with_skip_invalid_the_rejects_file_says_which_row_to_fix_first(
    tmp_path, run_import, one_bad_account
):
    one_bad_account["Contact.csv"].append(
        row(
            FILES["Contact.csv"][0],
            Id="0035g00000Init0AAB",
            IsDeleted="false",
            AccountId="0015g00000InitcAAB",
            LastName="Lumbergh",
        )
    )
    folder = make_folder(tmp_path, one_bad_account)
    code, report = run_import("salesforce", folder, "--skip-invalid")
    assert code == 1 and report["rejected"] == 2
    contacts = list(csv.DictReader((folder / "Contact.rejects.csv").open(encoding="utf-8")))
    assert [(r["last_name"], r["error"]) for r in contacts] == [
        (
            "Lumbergh",
            "Account: account “0015g00000InitcAAB” is row 5 of Account.csv, which was "
            "rejected: fix that row first",
        )
    ]

"""A Salesforce data-export folder imports with no mapping at all."""

import csv
from decimal import Decimal

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.people.models import User
from keyplan.sales.models import Opportunity, SaleLine, SalesMonth

pytestmark = pytest.mark.django_db

# Ids are real-format Salesforce ids (15 characters, or 18 with the checksum); references
# mix both forms as real exports do. Real exports carry many more columns than keyplan
# reads; a few of them are kept here so the test proves they are ignored.
FILES = {
    "User.csv": [
        [
            "Id",
            "Username",
            "LastName",
            "FirstName",
            "Name",
            "Email",
            "IsActive",
            "UserRoleId",
            "ManagerId",
            "Title",
        ],
        [
            "0055g00000AbCdEAAV",
            "sam@corp.example",
            "Seller",
            "Sam",
            "Sam Seller",
            "sam@corp.example",
            "true",
            "",
            "0055g00000BossAAAR",
            "AE",
        ],
        [
            "0055g00000BossAAAR",
            "bo@corp.example",
            "Boss",
            "Bo",
            "Bo Boss",
            "bo@corp.example",
            "true",
            "",
            "",
            "VP",
        ],
    ],
    "Account.csv": [
        [
            "Id",
            "IsDeleted",
            "MasterRecordId",
            "Name",
            "Type",
            "ParentId",
            "BillingCity",
            "BillingCountry",
            "Phone",
            "Website",
            "Industry",
            "AnnualRevenue",
            "NumberOfEmployees",
            "OwnerId",
            "CreatedDate",
        ],
        [
            "0015g00000ChildAAB",
            "false",
            "",
            "Globex Europe",
            "Customer",
            "0015g00000Paren",
            "Berlin",
            "Germany",
            "",
            "globex.de",
            "Energy",
            "",
            "800",
            "0055g00000AbCdE",
            "2020-01-01T10:00:00.000Z",
        ],
        [
            "0015g00000ParenAAB",
            "false",
            "",
            "Globex Corporation",
            "Customer",
            "",
            "Springfield",
            "United States",
            "",
            "https://globex.com",
            "Energy",
            "5.0E9",
            "12000",
            "0055g00000AbCdEAAV",
            "2019-01-01T10:00:00.000Z",
        ],
        [
            "0015g00000GoneXAAR",
            "true",
            "",
            "Deleted Account",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "0055g00000AbCdEAAV",
            "",
        ],
    ],
    "Product2.csv": [
        ["Id", "Name", "ProductCode", "Description", "IsActive", "Family"],
        ["01t5g00000Prod1AAB", "Turbine X", "TX-1", "Big\nturbine", "true", "Hardware"],
        ["01t5g00000Prod2AAB", "Service Plan", "SP", "", "true", "Services"],
    ],
    "PricebookEntry.csv": [
        ["Id", "Pricebook2Id", "Product2Id", "UnitPrice", "IsActive"],
        ["01u5g00000EntryAAB", "01s", "01t5g00000Prod2AAB", "100", "true"],
    ],
    "Contact.csv": [
        [
            "Id",
            "IsDeleted",
            "AccountId",
            "LastName",
            "FirstName",
            "Salutation",
            "Name",
            "Email",
            "Title",
            "Department",
            "Phone",
            "ReportsToId",
            "OwnerId",
        ],
        [
            "0035g00000Cfo00AAB",
            "false",
            "0015g00000ParenAAB",
            "Penny",
            "Cleo",
            "Ms.",
            "Cleo Penny",
            "cleo@globex.com",
            "CFO",
            "Finance",
            "",
            "",
            "0055g00000AbCdEAAV",
        ],
        [
            "0035g00000Ctl00AAB",
            "false",
            "0015g00000ParenAAB",
            "Count",
            "Carl",
            "Mr.",
            "Carl Count",
            "carl@globex.com",
            "Controller",
            "Finance",
            "",
            "0035g00000Cfo00",
            "0055g00000AbCdEAAV",
        ],
    ],
    "Opportunity.csv": [
        [
            "Id",
            "IsDeleted",
            "AccountId",
            "Name",
            "StageName",
            "Amount",
            "Probability",
            "CloseDate",
            "Type",
            "IsClosed",
            "IsWon",
            "OwnerId",
            "CreatedDate",
        ],
        [
            "0065g00000Won01AAB",
            "false",
            "0015g00000ParenAAB",
            "Turbines 2025",
            "Contract Signed",
            "250000",
            "100",
            "2025-03-31",
            "New",
            "true",
            "true",
            "0055g00000AbCdEAAV",
            "2024-11-02T09:00:00.000Z",
        ],
        [
            "0065g00000Won02AAB",
            "false",
            "0015g00000ChildAAB",
            "Service renewal",
            "Contract Signed",
            "40000",
            "100",
            "2025-05-31",
            "Renewal",
            "true",
            "true",
            "0055g00000AbCdEAAV",
            "2025-01-10T09:00:00.000Z",
        ],
        [
            "0065g00000Lost1AAB",
            "false",
            "0015g00000ParenAAB",
            "Lost bid",
            "Not Selected",
            "90000",
            "0",
            "2025-02-28",
            "New",
            "true",
            "false",
            "0055g00000AbCdEAAV",
            "2024-10-01T09:00:00.000Z",
        ],
        [
            "0065g00000Open1AAB",
            "false",
            "0015g00000ParenAAB",
            "Expansion",
            "Discovery",
            "",
            "10",
            "2026-06-30",
            "New",
            "false",
            "false",
            "0055g00000AbCdEAAV",
            "2025-09-01T09:00:00.000Z",
        ],
    ],
    "OpportunityLineItem.csv": [
        [
            "Id",
            "OpportunityId",
            "PricebookEntryId",
            "Product2Id",
            "Quantity",
            "UnitPrice",
            "TotalPrice",
            "ServiceDate",
        ],
        [
            "00k5g00000Line1AAB",
            "0065g00000Won01AAB",
            "",
            "01t5g00000Prod1AAB",
            "2",
            "100000",
            "200000",
            "2025-04-15",
        ],
        [
            "00k5g00000Line2AAB",
            "0065g00000Won01AAB",
            "01u5g00000Entry",
            "",
            "1",
            "50000",
            "50000",
            "",
        ],
        ["00k5g00000Line3AAB", "0065g00000Open1AAB", "", "01t5g00000Prod1AAB", "1", "9", "9", ""],
    ],
}


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "WE_00D5g000004XyZ_1"
    folder.mkdir()
    for name, rows in FILES.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    return folder


def test_whole_export_imports_in_dependency_order(run_import, export):
    code, report = run_import("salesforce", export)
    assert code == 0, report
    assert [f["file"] for f in report["files"]] == [
        "User.csv",
        "Account.csv",
        "Product2.csv",
        "Contact.csv",
        "Opportunity.csv",
        "OpportunityLineItem.csv",  # won deals' line items: sale lines
        "OpportunityLineItem.csv",  # open deals' line items: the deals' products
    ]
    assert [f["kind"] for f in report["files"]][-2:] == ["sales", "opportunity_products"]
    sam = User.objects.get(username="sam@corp.example")
    assert sam.manager.username == "bo@corp.example"
    europe = Account.objects.get(name="Globex Europe")
    assert europe.parent.name == "Globex Corporation"  # 15-character ParentId matched
    assert europe.owner == sam and europe.website == "https://globex.de"
    assert not Account.objects.filter(name="Deleted Account").exists()
    assert Account.objects.get(name="Globex Corporation").annual_revenue == Decimal("5.0E9")
    carl = Contact.objects.get(last_name="Count")
    assert carl.reports_to.last_name == "Penny" and carl.function == "Finance"


def test_status_comes_from_iswon_and_isclosed(run_import, export):
    run_import("salesforce", export)
    status = dict(Opportunity.objects.values_list("name", "status"))
    assert status == {
        "Turbines 2025": "won",
        "Service renewal": "won",
        "Lost bid": "lost",
        "Expansion": "open",
    }
    # An empty Amount takes the total of the deal's line items (one line of 9).
    assert Opportunity.objects.get(name="Expansion").amount == Decimal(9)


def test_line_items_of_won_deals_are_sales_not_counted_twice(run_import, export):
    run_import("salesforce", export)
    lines = SaleLine.objects.order_by("external_id")
    assert [(s.product.name, str(s.date), s.amount) for s in lines] == [
        ("Turbine X", "2025-04-15", Decimal(200000)),
        ("Service Plan", "2025-03-31", Decimal(50000)),  # no ServiceDate: the close date
    ]
    group = Account.objects.get(name="Globex Corporation")
    europe = Account.objects.get(name="Globex Europe")
    # The won deal with line items counts once (250,000 via its lines) ...
    assert sum(r.amount for r in SalesMonth.objects.filter(account=group)) == Decimal(250000)
    # ... and the won deal without line items counts through the opportunity itself.
    assert sum(r.amount for r in SalesMonth.objects.filter(account=europe)) == Decimal(40000)


def test_reimporting_the_export_changes_nothing(run_import, export):
    run_import("salesforce", export)
    code, report = run_import("salesforce", export)
    assert code == 0
    assert report["created"] == 0 and report["updated"] == 0
    assert report["unchanged"] == 2 + 2 + 2 + 2 + 4 + 2 + 1


def test_one_bad_file_rolls_back_the_whole_folder(run_import, export):
    path = export / "Contact.csv"
    path.write_text(path.read_text().replace("cleo@globex.com", "not-an-email"))
    code, report = run_import("salesforce", export)
    assert code == 1
    assert report["errors"][0]["file"] == "Contact.csv"
    assert report["errors"][0]["row"] == 2 and report["errors"][0]["column"] == "email"
    assert Account.objects.count() == 0 and User.objects.count() == 0

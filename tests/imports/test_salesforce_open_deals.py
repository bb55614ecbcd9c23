"""Salesforce: an open opportunity's products are its line items (the white space shows
its pipeline in each product, by the line amounts); an empty Amount is not known, or the
total of the line items — never 0."""

import csv
import datetime
from decimal import Decimal

import pytest

from keyplan.accounts.models import Account
from keyplan.sales.models import Opportunity, OpportunityProduct
from keyplan.territory.analysis.params import Window
from keyplan.territory.analysis.whitespace import whitespace

pytestmark = pytest.mark.django_db

OPPORTUNITY = ["Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "IsClosed", "IsWon"]
LINE_ITEM = ["Id", "OpportunityId", "Product2Id", "Quantity", "UnitPrice", "TotalPrice"]


def folder_with(tmp_path, opportunities, line_items):
    folder = tmp_path / "export"
    folder.mkdir()
    files = {
        "Account.csv": [["Id", "Name"], ["0015g00000AcmeAAB", "Acme"]],
        "Product2.csv": [
            ["Id", "Name", "Family", "IsActive"],
            ["01t5g00000TurbAAB", "Turbine", "Hardware", "true"],
            ["01t5g00000ServAAB", "Service", "Services", "true"],
        ],
        "Opportunity.csv": [OPPORTUNITY, *opportunities],
        "OpportunityLineItem.csv": [LINE_ITEM, *line_items],
    }
    for name, rows in files.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    return folder


def open_deal(ident, name, amount=""):
    return [ident, "0015g00000AcmeAAB", name, "Discovery", amount, "2026-09-30", "false", "false"]


def test_open_deal_with_two_line_items_is_in_the_pipeline_of_both(tmp_path, run_import):
    folder = folder_with(
        tmp_path,
        [open_deal("0065g00000Exp01AAB", "Expansion")],
        [
            ["00k5g00000Line1AAB", "0065g00000Exp01AAB", "01t5g00000TurbAAB", "1", "300", "300"],
            ["00k5g00000Line2AAB", "0065g00000Exp01", "01t5g00000ServAAB", "7", "100", "700"],
        ],
    )
    code, report = run_import("salesforce", folder)
    assert code == 0, report["errors"]
    deal = Opportunity.objects.get(name="Expansion")
    assert deal.status == "open" and deal.amount == Decimal("1000.00")  # 300 + 700
    products = {(p.product.name, p.amount) for p in OpportunityProduct.objects.all()}
    assert products == {("Turbine", Decimal("300.00")), ("Service", Decimal("700.00"))}

    window = Window(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    result = whitespace(user=None, window=window)
    names = {item_id: name for item_id, name, _line in result.items}
    acme = Account.objects.get(name="Acme")
    cells = {names[c.item_id]: (c.state, c.value, c.stage) for c in result.row(acme.pk).cells}
    assert cells == {
        "Turbine": ("pipeline", Decimal("300.00"), "Discovery"),
        "Service": ("pipeline", Decimal("700.00"), "Discovery"),
    }
    assert result.counts["pipeline"] == 2


def test_empty_amount_without_line_items_stays_unknown(tmp_path, run_import):
    folder = folder_with(tmp_path, [open_deal("0065g00000New01AAB", "New logo")], [])
    code, report = run_import("salesforce", folder)
    assert code == 0, report["errors"]
    assert Opportunity.objects.get(name="New logo").amount is None


def test_given_amount_is_kept_and_reimport_changes_nothing(tmp_path, run_import):
    folder = folder_with(
        tmp_path,
        [open_deal("0065g00000Exp01AAB", "Expansion", "1000")],
        [["00k5g00000Line1AAB", "0065g00000Exp01AAB", "01t5g00000TurbAAB", "1", "1000", "1000"]],
    )
    run_import("salesforce", folder)
    code, report = run_import("salesforce", folder)
    assert code == 0 and report["created"] == report["updated"] == 0
    assert Opportunity.objects.get().amount == Decimal("1000.00")
    assert OpportunityProduct.objects.get().amount == Decimal("1000.00")


def test_given_amount_that_differs_from_the_line_items_is_kept(tmp_path, run_import):
    # The line items total 300; the deal's own Amount (1200) wins, and is not replaced.
    folder = folder_with(
        tmp_path,
        [open_deal("0065g00000Exp01AAB", "Expansion", "1200")],
        [["00k5g00000Line1AAB", "0065g00000Exp01AAB", "01t5g00000TurbAAB", "1", "300", "300"]],
    )
    code, report = run_import("salesforce", folder)
    assert code == 0, report["errors"]
    assert Opportunity.objects.get().amount == Decimal("1200.00")
    assert OpportunityProduct.objects.get().amount == Decimal("300.00")


def test_won_deal_without_amount_or_line_items_is_refused(tmp_path, run_import):
    won = ["0065g00000Won01AAB", "0015g00000AcmeAAB", "Won", "Closed Won", "", "2025-03-31"]
    folder = folder_with(tmp_path, [[*won, "true", "true"]], [])
    code, report = run_import("salesforce", folder)
    assert code == 1
    assert [(e["file"], e["row"], e["message"]) for e in report["errors"]] == [
        (
            "Opportunity.csv",
            2,
            "a won opportunity needs an amount; only an open one may leave it empty",
        )
    ]


def test_line_items_of_an_open_deal_without_account_are_skipped_once(tmp_path, run_import):
    orphan = ["0065g00000Orph1AAB", "", "Person deal", "Discovery", "", "2026-09-30"]
    folder = folder_with(
        tmp_path,
        [[*orphan, "false", "false"]],
        [["00k5g00000Line1AAB", "0065g00000Orph1AAB", "01t5g00000TurbAAB", "1", "300", "300"]],
    )
    code, report = run_import("salesforce", folder)
    assert code == 0, report["errors"]
    assert report["skipped"] == 2  # the deal and its one line item
    assert not Opportunity.objects.exists() and not OpportunityProduct.objects.exists()

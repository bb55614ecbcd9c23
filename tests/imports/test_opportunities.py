"""Opportunity stages map to open/won/lost; won deals become sales history."""

import datetime
from decimal import Decimal

import pytest

from keyplan.sales.models import Opportunity, SalesMonth
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def opp_file(tmp_path, acc, *rows):
    lines = ["external_id,name,account,stage,amount,close_date"]
    lines += [f"O{i},Deal {i},{acc},{stage},1000,2025-06-30" for i, stage in enumerate(rows)]
    return write(tmp_path / "opps.csv", "\n".join(lines) + "\n")


def test_common_stage_names(tmp_path, run_import, org):
    path = opp_file(
        tmp_path,
        org.mine.external_id,
        "Closed Won",
        "Won",
        "Closed Lost",
        "lost",
        "Negotiation",
        "Signed",
    )
    code, report = run_import("opportunities", path)
    assert code == 0
    status = dict(Opportunity.objects.values_list("external_id", "status"))
    assert status == {
        "O0": "won",
        "O1": "won",
        "O2": "lost",
        "O3": "lost",
        "O4": "open",
        "O5": "open",
    }
    assert Opportunity.objects.get(external_id="O0").probability == 100


def test_stage_option_maps_a_source_stage(tmp_path, run_import, org):
    path = opp_file(tmp_path, org.mine.external_id, "Signed")
    code, _ = run_import("opportunities", path, "--stage", "Signed=won")
    assert Opportunity.objects.get().status == "won"


def test_won_deals_become_sales_history(tmp_path, run_import, org):
    path = opp_file(tmp_path, org.mine.external_id, "Closed Won", "Negotiation")
    run_import("opportunities", path)
    rollup = SalesMonth.objects.get(account=org.mine)
    assert rollup.month == datetime.date(2025, 6, 1) and rollup.amount == Decimal(1000)


def test_close_before_created_is_refused(tmp_path, run_import, org):
    path = write(
        tmp_path / "o.csv",
        "name,account,stage,amount,created_date,close_date\n"
        f"Deal,{org.mine.external_id},Proposal,5,2025-07-01,2025-06-30\n",
    )
    code, report = run_import("opportunities", path)
    assert code == 1 and report["errors"][0]["column"] == "close_date"

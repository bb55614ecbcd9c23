"""The forecast through the API and the command line: the same access rules as the other
analyses (a rep sees only their accounts), clear refusals of bad input, and figures
worked out by hand — the same on SQLite and PostgreSQL."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keyplan.catalog.models import ProductLine
from tests.factories import OpportunityFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org):
    """Two years of 1,000.00 a month for rep's account and 300.00 for another rep's."""
    line = ProductLine.objects.create(name="Analytics")
    product = ProductFactory(product_line=line)
    for m in range(24):
        day = datetime.date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 5)
        SaleLineFactory(account=org.mine, product=product, date=day, amount=Decimal("1000"))
        SaleLineFactory(account=org.theirs, product=product, date=day, amount=Decimal("300"))
    OpportunityFactory(
        account=org.mine,
        stage="Proposal",
        probability=50,
        amount=Decimal("8000"),
        created_date=datetime.date(2026, 9, 1),
        close_date=datetime.date(2027, 2, 14),
    )
    return org


def test_flat_history_forecasts_its_level_with_a_band(history, api_client):
    api_client.force_authenticate(history.ops)
    body = api_client.get("/api/v1/analyses/forecast/?horizon=6").json()
    assert body["summary"]["months"] == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
        "2027-04",
    ]
    rows = {r["name"]: r for r in body["results"]}
    mine = rows["Mine Group"]
    assert mine["expected"] == "6000.00"  # 1,000 a month, 6 months, on every database
    assert rows["Theirs Inc"]["expected"] == "1800.00"
    assert Decimal(mine["low"]) <= Decimal(mine["expected"]) <= Decimal(mine["high"])
    assert [m["expected"] for m in mine["months"]] == ["1000.00"] * 6
    # No closed deals yet: the deal counts at the CRM's 50%, in February.
    assert mine["pipeline"] == "4000.00"
    assert mine["months"][3]["pipeline"] == "4000.00"
    assert body["summary"]["backtest"]["held_out"] == "2025-11 to 2026-10"


def test_a_rep_sees_only_their_accounts_forecast(history, api_client):
    api_client.force_authenticate(history.rep)
    names = [r["name"] for r in api_client.get("/api/v1/analyses/forecast/").json()["results"]]
    assert names == ["Mine Group"]
    mine = api_client.get(f"/api/v1/accounts/{history.mine.pk}/forecast/")
    assert mine.status_code == 200
    assert mine.json()["forecast"]["expected"] == "12000.00"
    assert mine.json()["lines"][0]["line"] == "Analytics"
    assert mine.json()["deals"][0]["weighted"] == "4000.00"
    theirs = api_client.get(f"/api/v1/accounts/{history.theirs.pk}/forecast/")
    assert theirs.status_code == 404


def test_bad_parameters_are_refused_with_a_reason(history, api_client):
    api_client.force_authenticate(history.ops)
    answer = api_client.get("/api/v1/analyses/forecast/?horizon=99")
    assert answer.status_code == 400
    assert answer.json()["detail"] == "Horizon must be 1 to 36 months; 99 was given."
    answer = api_client.get("/api/v1/analyses/forecast/?horizon=soon")
    assert "not a whole number of months" in answer.json()["detail"]
    answer = api_client.get("/api/v1/analyses/forecast/?scope=planet:mars")
    assert answer.status_code == 400
    assert api_client.get("/api/v1/accounts/99999999999999999999/forecast/").status_code == 404


def test_the_command_line_gives_each_account_expected_low_high_and_months(history):
    out = StringIO()
    call_command("forecast", "--scope", "rep:rep", "--horizon", "3", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [a["name"] for a in data["accounts"]] == ["Mine Group"]
    account = data["accounts"][0]
    assert account["expected"] == "3000.00"
    assert [m["month"] for m in account["months"]] == ["2026-11", "2026-12", "2027-01"]
    assert {"low", "high", "pipeline"} <= set(account)
    with pytest.raises(CommandError, match="Horizon must be 1 to 36 months"):
        call_command("forecast", "--horizon", "40", stdout=StringIO())
    text = StringIO()
    call_command("forecast", stdout=text)
    assert "Mine Group" in text.getvalue() and "12,000.00" in text.getvalue()

"""The account page: profile, hierarchy, team, contacts, sales history and pipeline."""

import datetime
import json
from decimal import Decimal

import pytest

from tests.factories import (
    AccountFactory,
    AccountTeamMemberFactory,
    ContactFactory,
    OpportunityFactory,
    ProductFactory,
    ProductLineFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org):
    analytics = ProductLineFactory(name="Analytics")
    services = ProductLineFactory(name="Services")
    dash = ProductFactory(name="Dashboards", product_line=analytics)
    consult = ProductFactory(name="Consulting days", product_line=services)
    SaleLineFactory(
        account=org.mine, product=dash, date=datetime.date(2025, 3, 10), amount=Decimal(1000)
    )
    SaleLineFactory(
        account=org.mine, product=dash, date=datetime.date(2025, 3, 20), amount=Decimal(500)
    )
    SaleLineFactory(
        account=org.mine_child,
        product=consult,
        date=datetime.date(2026, 1, 5),
        amount=Decimal(2000),
    )
    # Someone else's sale must not be counted.
    SaleLineFactory(
        account=org.theirs, product=dash, date=datetime.date(2025, 3, 1), amount=Decimal(99999)
    )
    return {"dash": dash, "consult": consult}


def test_sales_chart_data_is_stacked_by_product_line_per_month(client, org, history):
    client.force_login(org.rep)
    response = client.get(f"/accounts/{org.mine.pk}/")
    data = response.context["monthly_chart"]
    # Every month from the first sale to the last, quiet ones included.
    assert data["months"][0] == "2025-03" and data["months"][-1] == "2026-01"
    assert len(data["months"]) == 11
    series = {s["name"]: s["data"] for s in data["series"]}
    # The group's history includes its division's (Services in 2026).
    assert series == {
        "Analytics": [1500.0] + [0.0] * 10,
        "Services": [0.0] * 10 + [2000.0],
    }
    assert json.loads(_script(response.content.decode(), "sales-data")) == data


def test_sales_table_by_year_and_product_totals(client, org, history):
    client.force_login(org.rep)
    yearly = client.get(f"/accounts/{org.mine.pk}/").context["yearly"]
    assert yearly["years"] == [2025, 2026]
    rows = {product: amounts for _, product, amounts, _ in yearly["rows"]}
    assert rows == {
        "Dashboards": [Decimal(1500), Decimal(0)],
        "Consulting days": [Decimal(0), Decimal(2000)],
    }
    assert yearly["grand"] == Decimal(3500)


def test_division_page_shows_its_own_sales_and_its_place_in_the_hierarchy(client, org, history):
    client.force_login(org.rep)
    response = client.get(f"/accounts/{org.mine_child.pk}/")
    assert response.context["yearly"]["grand"] == Decimal(2000)
    assert [a.name for a in response.context["ancestors"]] == ["Mine Group"]
    assert b'href="/accounts/%d/"' % org.mine.pk in response.content


def test_parent_page_lists_children_team_contacts_and_opportunities(client, org):
    AccountTeamMemberFactory(account=org.mine, user=org.executive, role="executive_sponsor")
    ContactFactory(account=org.mine, first_name="Grace", last_name="Hopper", title="CIO")
    OpportunityFactory(account=org.mine_child, name="Renewal 2027", status="open")
    OpportunityFactory(
        account=org.mine, name="Lost bid", status="lost", stage="Closed Lost", probability=0
    )
    client.force_login(org.rep)
    page = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    for text in ("Mine Division", "Executive sponsor", "Grace Hopper", "CIO"):
        assert text in page
    assert "Renewal 2027" in page and "Lost bid" in page
    assert "1 won" not in page and "0 won, 1 lost" in page


def test_account_without_sales_says_so(client, org):
    client.force_login(org.rep)
    lonely = AccountFactory(owner=org.rep, name="Fresh Prospect")
    page = client.get(f"/accounts/{lonely.pk}/").content.decode()
    assert "No sales recorded." in page
    assert "sales-chart" not in page


def _script(html: str, element_id: str) -> str:
    start = html.index(f'<script id="{element_id}" type="application/json">')
    start = html.index(">", start) + 1
    return html[start : html.index("</script>", start)]

"""An open opportunity whose amount or close date is not known shows "—" (never 0) on
every page and null in the API; it counts among the open deals, not in pipeline value."""

import datetime
import re
from decimal import Decimal

import pytest

from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def early(org):
    return OpportunityFactory(
        account=org.mine, name="Early deal", amount=None, close_date=None, stage="Prospecting"
    )


def row_of(page: str, name: str) -> str:
    return page[page.index(f">{name}</a>") :].split("</tr>")[0]


def test_opportunity_list_shows_dashes(org, early, client):
    client.force_login(org.rep)
    row = row_of(client.get("/opportunities/").content.decode(), "Early deal")
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in row.split("<td")[1:]]
    header = ["account", "product", "stage", "status", "amount", "probability", "close", "owner"]
    shown = dict(zip(header, [c.split(">", 1)[1] for c in cells], strict=True))
    assert (shown["amount"], shown["close"], shown["probability"]) == ("—", "—", "50")


def test_opportunity_page_says_not_known(org, early, client):
    client.force_login(org.rep)
    page = client.get(f"/opportunities/{early.pk}/").content.decode()
    assert "<dt>Amount</dt><dd>— " in page and "not known yet" in page
    assert "<dt>Close date</dt><dd>—</dd>" in page
    assert "weighted" not in page


def test_account_page_counts_the_deal_not_its_value(org, early, client):
    OpportunityFactory(account=org.mine, name="Sized deal", amount=Decimal("4230000"))
    client.force_login(org.rep)
    page = client.get(org.mine.get_absolute_url()).content.decode()
    assert '<div class="value">2</div><div class="label">open opportunities</div>' in page
    assert '<div class="value">4,230,000</div><div class="label">open pipeline' in page
    assert "1 with amount not known" in page
    row = row_of(page, "Early deal")
    assert '<td class="num">—</td>' in row and "<td>—</td>" in row


def test_home_page_counts_the_deal_and_does_not_list_it_as_closing(org, early, client):
    OpportunityFactory(
        account=org.mine,
        name="Dated deal",
        amount=Decimal("1500"),
        close_date=datetime.date(2026, 7, 31),
    )
    client.force_login(org.rep)
    page = client.get("/").content.decode()
    assert ">Dated deal</a>" in page and ">Early deal</a>" not in page


def test_api_gives_null(org, early, api_client):
    api_client.force_authenticate(org.rep)
    body = api_client.get(f"/api/v1/opportunities/{early.pk}/").json()
    assert (body["amount"], body["weighted_amount"], body["close_date"]) == (None, None, None)


def test_api_refuses_a_won_deal_without_amount(org, api_client):
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        "/api/v1/opportunities/",
        {
            "account": org.mine.pk,
            "name": "Won",
            "stage": "Closed Won",
            "created_date": "2026-01-05",
            "close_date": "2026-05-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"amount": ["A won opportunity needs its amount."]}
    created = api_client.post(
        "/api/v1/opportunities/",
        {
            "account": org.mine.pk,
            "name": "Early",
            "stage": "Prospecting",
            "created_date": "2026-01-05",
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["amount"] is None


def test_api_and_page_show_a_deals_products(org, early, api_client, client):
    from keyplan.sales.models import OpportunityProduct
    from tests.factories import ProductFactory

    for name, amount in (("Turbine", "300.00"), ("Service", "700.00")):
        OpportunityProduct.objects.create(
            opportunity=early, product=ProductFactory(name=name), amount=amount
        )
    api_client.force_authenticate(org.rep)
    body = api_client.get(f"/api/v1/opportunities/{early.pk}/").json()
    assert [(i["product_name"], i["amount"]) for i in body["line_items"]] == [
        ("Service", "700.00"),
        ("Turbine", "300.00"),
    ]
    client.force_login(org.rep)
    page = client.get(f"/opportunities/{early.pk}/").content.decode()
    assert "Service" in page and "700 " in page and "Turbine" in page

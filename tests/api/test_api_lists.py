"""Lists through the API: the same filters as the pages, ordering by the listed fields
with stable pages, and a bounded page size."""

import datetime
from decimal import Decimal

import pytest

from keyplan.catalog.models import Product
from tests.factories import (
    AccountFactory,
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
    ProductFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db


def names(response, key="name"):
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def test_account_filters(as_user, org):
    AccountFactory(name="Mine Ventures", owner=org.rep, country="France", industry="Retail")
    client = as_user(org.rep)
    assert names(client.get("/api/v1/accounts/?q=ventures")) == ["Mine Ventures"]
    assert names(client.get("/api/v1/accounts/?country=France")) == ["Mine Ventures"]
    assert names(client.get("/api/v1/accounts/?industry=Retail")) == ["Mine Ventures"]
    assert names(client.get("/api/v1/accounts/?top_level=true")) == ["Mine Group", "Mine Ventures"]
    assert names(client.get("/api/v1/accounts/?kind=division")) == ["Mine Division"]
    assert names(client.get(f"/api/v1/accounts/?parent={org.mine.pk}")) == ["Mine Division"]
    assert names(client.get(f"/api/v1/accounts/?within={org.mine.pk}")) == [
        "Mine Division",
        "Mine Group",
    ]
    assert names(client.get(f"/api/v1/accounts/?owner={org.rep.pk}")) == [
        "Mine Group",
        "Mine Ventures",
    ]
    assert names(client.get(f"/api/v1/accounts/?q={org.mine.external_id}")) == ["Mine Group"]


def test_contact_and_interaction_filters(as_user, org):
    ada = ContactFactory(account=org.mine, last_name="Lovelace", seniority="c_level")
    ContactFactory(account=org.mine_child, last_name="Babbage", is_active=False)
    call = InteractionFactory(account=org.mine, kind="call", date=datetime.date(2026, 2, 1))
    call.contacts.add(ada)
    InteractionFactory(account=org.mine_child, kind="meeting", date=datetime.date(2026, 4, 1))
    client = as_user(org.rep)
    assert names(client.get("/api/v1/contacts/?q=love"), "last_name") == ["Lovelace"]
    assert names(client.get("/api/v1/contacts/?is_active=false"), "last_name") == ["Babbage"]
    assert names(client.get("/api/v1/contacts/?seniority=c_level"), "last_name") == ["Lovelace"]
    assert names(client.get(f"/api/v1/contacts/?account={org.mine_child.pk}"), "last_name") == [
        "Babbage"
    ]
    assert names(client.get(f"/api/v1/interactions/?contact={ada.pk}"), "kind") == ["call"]
    assert names(client.get("/api/v1/interactions/?date_after=2026-03-01"), "kind") == ["meeting"]
    assert names(client.get("/api/v1/interactions/?kind=call&date_before=2026-03-01"), "kind") == [
        "call"
    ]


def test_sales_filters(as_user, org):
    analytics = ProductFactory(product_line__name="Analytics")
    security = ProductFactory(product_line__name="Security")
    SaleLineFactory(account=org.mine, product=analytics, amount=Decimal("100.00"))
    SaleLineFactory(account=org.mine_child, product=security, amount=Decimal("200.00"))
    OpportunityFactory(account=org.mine, name="Open deal", product=analytics)
    OpportunityFactory(
        account=org.mine, name="Won deal", stage="Closed Won", status="won", product=security
    )
    client = as_user(org.rep)
    line_id = analytics.product_line_id
    assert names(client.get(f"/api/v1/sale-lines/?product_line={line_id}"), "amount") == ["100.00"]
    assert names(client.get(f"/api/v1/sale-lines/?account={org.mine_child.pk}"), "amount") == [
        "200.00"
    ]
    assert names(client.get("/api/v1/opportunities/?status=won")) == ["Won deal"]
    assert names(client.get(f"/api/v1/opportunities/?product_line={line_id}")) == ["Open deal"]
    assert names(client.get("/api/v1/opportunities/?q=open")) == ["Open deal"]


def test_product_filters(as_user, org):
    ProductFactory(name="Old", is_active=False, product_line__name="Legacy")
    current = ProductFactory(name="New", product_line__name="Analytics")
    client = as_user(org.rep)
    assert names(client.get("/api/v1/products/?is_active=true")) == ["New"]
    assert names(client.get(f"/api/v1/products/?product_line={current.product_line_id}")) == ["New"]
    assert names(client.get("/api/v1/product-lines/?is_core=true")) == ["Analytics", "Legacy"]


def test_ordering_by_listed_fields(as_user, org):
    for name, revenue in [("Mine Small", "10.00"), ("Mine Big", "900.00")]:
        AccountFactory(name=name, owner=org.rep, annual_revenue=Decimal(revenue))
    client = as_user(org.rep)
    by_revenue = names(client.get("/api/v1/accounts/?ordering=-annual_revenue"))
    assert by_revenue[-1] == "Mine Small"
    assert names(client.get("/api/v1/accounts/?ordering=name")) == sorted(by_revenue)
    # A field not offered for ordering is ignored, never an error or a leak.
    assert names(client.get("/api/v1/accounts/?ordering=owner__password")) == sorted(by_revenue)


def test_pages_never_repeat_or_skip_rows_with_equal_values(as_user, org):
    for i in range(9):
        AccountFactory(name=f"Mine Branch {i}", owner=org.rep, country="Germany")
    client = as_user(org.rep)
    seen = []
    url = "/api/v1/accounts/?ordering=country&page_size=4"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 11


def test_page_size_is_bounded(as_user, org):
    line = ProductFactory().product_line
    Product.objects.bulk_create(
        Product(name=f"Part {i:04d}", product_line=line) for i in range(520)
    )
    client = as_user(org.rep)
    default = client.get("/api/v1/products/").json()
    assert default["count"] == 521 and len(default["results"]) == 50
    huge = client.get("/api/v1/products/?page_size=100000").json()
    assert len(huge["results"]) == 500 and huge["next"]

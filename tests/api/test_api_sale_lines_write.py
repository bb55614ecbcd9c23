"""Sale lines through the API: every write refreshes the sales roll-up in the same
transaction; a line delivers a deal of its own account only. Written by sales ops (only
they and admins write sale lines since issue 14: tests/api/test_api_business_rules.py)."""

from decimal import Decimal

import pytest

from keyplan.sales.models import SaleLine, SalesMonth
from tests.factories import OpportunityFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


def test_a_new_sale_line_shows_in_the_rollup(as_user, org):
    product = ProductFactory(product_line__name="Analytics")
    response = as_user(org.ops).post(
        "/api/v1/sale-lines/",
        {
            "account": org.mine.pk,
            "product": product.pk,
            "date": "2026-05-05",
            "amount": "120.50",
            "quantity": "2",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount"] == "120.50" and body["quantity"] == "2.00"
    assert (body["product_name"], body["product_line_name"]) == (product.name, "Analytics")
    assert SalesMonth.objects.get(account=org.mine).amount == Decimal("120.50")


def test_moving_a_sale_line_moves_it_in_the_rollup(as_user, org):
    line = SaleLineFactory(account=org.mine, amount=Decimal("300.00"))
    response = as_user(org.ops).patch(
        f"/api/v1/sale-lines/{line.pk}/", {"account": org.mine_child.pk}, format="json"
    )
    assert response.status_code == 200
    assert not SalesMonth.objects.filter(account=org.mine).exists()
    assert SalesMonth.objects.get(account=org.mine_child).amount == Decimal("300.00")


def test_deleting_a_sale_line_takes_it_out_of_the_rollup(as_user, org):
    line = SaleLineFactory(account=org.mine)
    assert as_user(org.ops).delete(f"/api/v1/sale-lines/{line.pk}/").status_code == 204
    assert not SalesMonth.objects.filter(account=org.mine).exists()


def test_a_sale_line_delivers_a_deal_of_its_own_account_only(as_user, org):
    deal_at_child = OpportunityFactory(account=org.mine_child)
    response = as_user(org.ops).post(
        "/api/v1/sale-lines/",
        {
            "account": org.mine.pk,
            "product": ProductFactory().pk,
            "date": "2026-05-05",
            "amount": "10.00",
            "opportunity": deal_at_child.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "another account" in response.json()["opportunity"][0]
    assert not SaleLine.objects.exists()


def test_invalid_sale_line_gets_field_errors(as_user, org):
    response = as_user(org.ops).post(
        "/api/v1/sale-lines/",
        {"account": org.mine.pk, "product": 987654, "date": "2026-02-30", "amount": "ten"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"product", "date", "amount"}

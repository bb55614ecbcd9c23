"""The sales roll-up: what every analysis and the account page read."""

import datetime
from decimal import Decimal

import pytest

from keyplan.sales.models import SalesMonth
from keyplan.sales.rollup import rollup_refresh
from keyplan.sales.services import opportunity_delete, sale_line_delete
from tests.factories import OpportunityFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


def cells(account):
    return {
        (r.product_id, r.month.strftime("%Y-%m")): (r.amount, r.from_opportunities)
        for r in SalesMonth.objects.filter(account=account)
    }


def won(account, product, amount, close):
    return OpportunityFactory(
        account=account,
        product=product,
        amount=Decimal(amount),
        stage="Closed Won",
        probability=100,
        created_date=datetime.date(2025, 1, 1),
        close_date=close,
    )


def test_sale_lines_sum_per_account_product_month(org):
    product = ProductFactory()
    SaleLineFactory(account=org.mine, product=product, date=datetime.date(2025, 5, 2), amount=100)
    SaleLineFactory(account=org.mine, product=product, date=datetime.date(2025, 5, 30), amount=50)
    SaleLineFactory(account=org.mine, product=product, date=datetime.date(2025, 6, 1), amount=7)
    assert cells(org.mine) == {
        (product.pk, "2025-05"): (Decimal(150), Decimal(0)),
        (product.pk, "2025-06"): (Decimal(7), Decimal(0)),
    }


def test_won_deals_count_as_sales_at_their_close_date(org):
    """A CRM that records only opportunities still has a sales history."""
    product = ProductFactory()
    won(org.mine, product, 9000, datetime.date(2025, 11, 20))
    OpportunityFactory(account=org.mine, product=product, amount=Decimal(5000))  # open
    OpportunityFactory(account=org.mine, product=product, amount=Decimal(3000), stage="Closed Lost")
    assert cells(org.mine) == {(product.pk, "2025-11"): (Decimal(9000), Decimal(9000))}


def test_won_deal_with_its_own_sale_lines_is_not_counted_twice(org):
    product = ProductFactory()
    deal = won(org.mine, product, 9000, datetime.date(2025, 11, 20))
    SaleLineFactory(
        account=org.mine,
        product=product,
        date=datetime.date(2025, 12, 1),
        amount=Decimal(9000),
        opportunity=deal,
    )
    assert cells(org.mine) == {(product.pk, "2025-12"): (Decimal(9000), Decimal(0))}


def test_deleting_facts_updates_the_rollup(org):
    product = ProductFactory()
    line = SaleLineFactory(account=org.mine, product=product, date=datetime.date(2025, 5, 2))
    deal = won(org.mine, product, 100, datetime.date(2025, 7, 1))
    sale_line_delete(sale_line=line)
    assert set(cells(org.mine)) == {(product.pk, "2025-07")}
    opportunity_delete(opportunity=deal)
    assert cells(org.mine) == {}


def test_moving_a_sale_to_another_account_updates_both(org):
    line = SaleLineFactory(account=org.mine, amount=Decimal(10))
    line.account = org.teammate
    from keyplan.sales.services import sale_line_save

    sale_line_save(sale_line=line)
    assert cells(org.mine) == {}
    assert sum(a for a, _ in cells(org.teammate).values()) == Decimal(10)


def test_full_rebuild_matches_incremental_updates(org):
    product = ProductFactory()
    for day in (1, 15):
        SaleLineFactory(account=org.mine, product=product, date=datetime.date(2025, 3, day))
    won(org.teammate, None, 400, datetime.date(2025, 4, 4))
    before = sorted(SalesMonth.objects.values_list("account", "product", "month", "amount"))
    rollup_refresh()
    after = sorted(SalesMonth.objects.values_list("account", "product", "month", "amount"))
    assert before == after and len(after) == 2


def test_account_page_shows_history_from_won_deals(client, org):
    won(org.mine, None, 1234, datetime.date(2025, 2, 14))
    client.force_login(org.rep)
    response = client.get(f"/accounts/{org.mine.pk}/")
    assert response.context["yearly"]["grand"] == Decimal(1234)
    assert "No product" in response.content.decode()

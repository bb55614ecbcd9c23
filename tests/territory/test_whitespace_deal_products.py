"""White space reads the open pipeline by product: a deal with line items counts in each
of their products for the line's amount; a deal without, in its own product; a deal of
unknown amount puts the cell in the pipeline without a value ("—", never 0)."""

import datetime
from decimal import Decimal

import pytest

from keyplan.sales.models import OpportunityProduct
from keyplan.territory.analysis.params import Window
from keyplan.territory.analysis.whitespace import whitespace
from tests.factories import AccountFactory, OpportunityFactory, ProductFactory, ProductLineFactory

pytestmark = pytest.mark.django_db

WINDOW = Window(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.fixture
def products():
    line = ProductLineFactory(name="Analytics")
    return {n: ProductFactory(name=n, product_line=line) for n in ("Dash", "Cast", "Rare")}


def cells_of(result, account):
    names = {item_id: name for item_id, name, _line in result.items}
    return {names[c.item_id]: (c.state, c.value) for c in result.row(account.pk).cells}


def test_line_items_split_a_deal_across_products(products):
    acme = AccountFactory(name="Acme")
    OpportunityFactory(account=acme, product=products["Dash"], amount=Decimal(700))
    # Its own product (Rare) does not count: its line items say what it is made of.
    split = OpportunityFactory(account=acme, product=products["Rare"], amount=Decimal(300))
    for name, amount in (("Dash", 200), ("Cast", 100)):
        OpportunityProduct.objects.create(
            opportunity=split, product=products[name], amount=Decimal(amount)
        )
    # A lost deal's line items are no pipeline.
    lost = OpportunityFactory(account=acme, stage="Closed Lost", amount=Decimal(5000))
    OpportunityProduct.objects.create(opportunity=lost, product=products["Rare"], amount=5000)
    result = whitespace(user=None, window=WINDOW)
    assert cells_of(result, acme) == {
        "Dash": ("pipeline", Decimal("900.00")),  # 700 + 200
        "Cast": ("pipeline", Decimal("100.00")),
        "Rare": ("white_space", Decimal("0.00")),
    }
    # The account page reads the same pipeline for one account.
    assert result.pipeline.get(acme.pk)[products["Cast"].pk] == (10000, "Proposal")


def test_deal_of_unknown_amount_is_in_the_pipeline_without_a_value(products, client, org):
    account = AccountFactory(name="Early Ltd", owner=org.rep)
    OpportunityFactory(account=account, product=products["Cast"], amount=None, close_date=None)
    result = whitespace(user=None, window=WINDOW)
    assert cells_of(result, account)["Cast"] == ("pipeline", None)
    client.force_login(org.executive)
    page = client.get("/territory/whitespace/").content.decode()
    assert 'title="In pipeline (Proposal)">—</td>' in page

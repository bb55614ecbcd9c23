"""An idea's row on the plan says what it offers in words — "Product line: Analytics"
or "Product: Forecasting" — on its own labelled line, not as a bare name that reads as
the end of the customer goal above it."""

import pytest

from keyplan.catalog.models import Product
from tests.factories import ProductFactory, ProductLineFactory
from tests.plans.conftest import add_idea


@pytest.fixture
def analytics(db):
    line = ProductLineFactory(name="Analytics")
    ProductFactory(name="Forecasting", product_line=line)
    return line


def _row(html: str, title: str) -> str:
    return html.split(title)[1].split("</td>")[0]


def test_an_ideas_product_line_and_product_are_labelled(org, plan, analytics, client):
    add_idea(plan, org.rep, "250000", title="Forecast demand", product_line=analytics)
    add_idea(
        plan,
        org.rep,
        "90000",
        title="Forecast returns",
        product=Product.objects.get(name="Forecasting"),
    )
    client.force_login(org.rep)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Product line: Analytics</span>" in _row(html, "Forecast demand")
    assert "Product: Forecasting</span>" in _row(html, "Forecast returns")

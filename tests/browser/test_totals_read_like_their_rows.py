"""A table's total row reads as large and as dark as the rows it adds up: the account
page's "Sales by year and product" and the forecast's "12 months" row used the column
headings' style (small capitals, grey), so the figure a sales person looks for first —
1,469,741 in all — was the smallest on the table."""

import datetime
from decimal import Decimal

import pytest

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ProductFactory, SaleLineFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STYLE = """el => { const s = getComputedStyle(el);
  return [s.fontSize, s.color, s.textTransform]; }"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_sales_total_reads_like_the_rows(page, live_server, width):
    rep = UserFactory(username="rita", first_name="Rita", last_name="Rep")
    account = AccountFactory(name="Orbit Silver Markets", owner=rep)
    product = ProductFactory(name="Cloud Storage")
    for year in (2025, 2026):
        SaleLineFactory(
            account=account,
            product=product,
            date=datetime.date(year, 3, 5),
            amount=Decimal("1234567"),
        )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    table = page.get_by_test_id("sales-by-year")
    row = table.locator("tbody tr").first.locator("td.num").last
    total = table.locator("tfoot th.num").last
    assert total.inner_text() == "2,469,134"
    assert total.evaluate(STYLE) == row.evaluate(STYLE)
    label = table.locator("tfoot th").first
    assert label.inner_text() == "Total"  # as written, not "TOTAL"

"""A rep signs in, opens an account and sees its sales drawn."""

import datetime
from decimal import Decimal

import pytest

from tests.browser.conftest import sign_in
from tests.factories import (
    AccountFactory,
    ProductFactory,
    ProductLineFactory,
    SaleLineFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_open_account_and_see_the_sales_chart(page, live_server):
    rep = UserFactory(username="rita", first_name="Rita")
    account = AccountFactory(name="Umbrella Holdings", owner=rep)
    analytics, services = ProductLineFactory(name="Analytics"), ProductLineFactory(name="Services")
    dash = ProductFactory(name="Dashboards", product_line=analytics)
    days = ProductFactory(name="Consulting", product_line=services)
    for month in range(1, 7):
        SaleLineFactory(
            account=account, product=dash, date=datetime.date(2025, month, 10), amount=Decimal(1000)
        )
    SaleLineFactory(
        account=account, product=days, date=datetime.date(2025, 6, 3), amount=Decimal(500)
    )

    sign_in(page, live_server, "rita")
    page.click("nav >> text=Accounts")
    page.click("text=Umbrella Holdings")
    page.wait_for_selector("[data-testid=sales-chart][data-rendered=true]")
    canvas = page.locator("[data-testid=sales-chart] canvas").first
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    option = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('sales-chart'));
            const o = chart.getOption();
            return {months: o.xAxis[0].data, series: o.series.map(s => [s.name, s.data])};
        }"""
    )
    assert option["months"] == [f"2025-0{m}" for m in range(1, 7)]
    assert dict(option["series"]) == {
        "Analytics": [1000.0] * 6,
        "Services": [0.0] * 5 + [500.0],
    }
    total = page.locator("[data-testid=sales-by-year] tfoot th").last.inner_text()
    assert total.replace(",", "") == "6500"

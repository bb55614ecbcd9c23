"""Sales ops open the territory page and see the Pareto chart drawn."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ProductFactory, SaleLineFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_territory_page_draws_the_pareto_chart(page, live_server):
    UserFactory(username="olga", role="sales_ops")
    product = ProductFactory()
    for i, amount in enumerate((5000, 3000, 1000, 500, 500)):
        SaleLineFactory(
            account=AccountFactory(name=f"Account {i}"),
            product=product,
            amount=Decimal(amount),
            date=datetime.date(2025, 5, 1),
        )
    sign_in(page, live_server, "olga")
    page.click("nav >> text=Territory")
    page.wait_for_selector("[data-testid=pareto-chart][data-rendered=true]")
    option = page.evaluate(
        """() => {
            const o = echarts.getInstanceByDom(document.getElementById('pareto-chart')).getOption();
            return {bars: o.series[0].data.map(d => d.value), line: o.series[1].data,
                    threshold: o.series[1].markLine.data[0].yAxis};
        }"""
    )
    assert option["bars"] == [5000, 3000, 1000, 500, 500]
    assert option["line"] == [50, 80, 90, 95, 100]
    assert option["threshold"] == 80
    assert page.inner_text("[data-testid=core-count]") == "2"


def test_white_space_heatmap_is_drawn(page, live_server):
    UserFactory(username="olga", role="sales_ops")
    product = ProductFactory(name="Dash")
    ProductFactory(name="Cast")
    owner = AccountFactory(name="Owner Co", employees=500)
    AccountFactory(name="Prospect Co", employees=500)
    SaleLineFactory(
        account=owner, product=product, amount=Decimal(1000), date=datetime.date(2025, 5, 1)
    )
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/territory/whitespace/")
    page.wait_for_selector("[data-testid=whitespace-chart][data-rendered=true]")
    option = page.evaluate(
        """() => {
            const o = echarts.getInstanceByDom(document.getElementById('whitespace-chart'))
                .getOption();
            return {accounts: o.yAxis[0].data, owned: o.series[1].data.length,
                    white: o.series[0].data.length};
        }"""
    )
    assert sorted(option["accounts"]) == ["Owner Co", "Prospect Co"]
    assert option["owned"] == 1 and option["white"] == 3
    page.click("text=Prospect Co")
    expect(page.locator("h1")).to_contain_text("Prospect Co")

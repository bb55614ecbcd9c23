"""A rep signs in through the login form, opens an account from the accounts list and sees
its sales drawn: one stacked series per product line, one bar per month (quiet months
too), the account's divisions included, and the year-by-product table adding up."""

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


def sell(account, product, year, month, amount):
    SaleLineFactory(
        account=account,
        product=product,
        date=datetime.date(year, month, 10),
        amount=Decimal(amount),
    )


def test_sign_in_open_account_and_see_the_sales_chart(page, live_server):
    rep = UserFactory(username="rita", first_name="Rita")
    rep.set_password("correct horse battery")
    rep.save()
    account = AccountFactory(name="Umbrella Holdings", owner=rep)
    division = AccountFactory(name="Umbrella Retail", owner=rep, parent=account, kind="division")
    elsewhere = AccountFactory(name="Wayne Enterprises", owner=rep)
    dashboards = ProductFactory(
        name="Dashboards", product_line=ProductLineFactory(name="Analytics")
    )
    consulting = ProductFactory(name="Consulting", product_line=ProductLineFactory(name="Services"))
    sell(account, dashboards, 2024, 11, 1000)
    sell(account, dashboards, 2024, 12, 1000)
    sell(account, consulting, 2024, 12, 500)
    # January 2025: nothing sold.
    sell(account, dashboards, 2025, 2, 1000)
    sell(division, dashboards, 2025, 3, 1000)  # a division's sales count for its group
    sell(division, consulting, 2025, 3, 250)
    sell(elsewhere, dashboards, 2025, 6, 9999)  # another account's: not on this chart

    sign_in(page, live_server, "rita", "correct horse battery")
    page.click("nav >> text=Accounts")
    page.locator("#results").get_by_role("link", name="Umbrella Holdings", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/accounts/{account.pk}/")
    assert page.inner_text("h1") == "Umbrella Holdings"

    page.wait_for_selector("[data-testid=sales-chart][data-rendered=true]")
    canvas = page.locator("[data-testid=sales-chart] canvas")
    assert canvas.count() == 1
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    painted = page.evaluate(
        """() => {
            const c = document.querySelector('[data-testid=sales-chart] canvas');
            const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
            return n;
        }"""
    )
    assert painted > 1000  # bars, axes and legend, not a blank canvas

    option = page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid=sales-chart]');
            const o = echarts.getInstanceByDom(el).getOption();
            return {months: o.xAxis[0].data,
                    series: o.series.map(s => [s.name, s.type, s.stack, s.data])};
        }"""
    )
    assert option["months"] == ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
    assert {name: (kind, stack) for name, kind, stack, _ in option["series"]} == {
        "Analytics": ("bar", "revenue"),
        "Services": ("bar", "revenue"),
    }
    assert {name: data for name, _, _, data in option["series"]} == {
        "Analytics": [1000, 1000, 0, 1000, 1000],
        "Services": [0, 500, 0, 0, 250],
    }

    table = page.locator("[data-testid=sales-by-year]")
    # Text as written, not as styled (headings are shown in capitals).
    assert table.locator("thead th").all_text_contents() == [
        "Product line",
        "Product",
        "2024",
        "2025",
        "Total",
    ]
    assert table.locator("tfoot th").all_text_contents() == ["Total", "2,500", "2,250", "4,750"]
    rows = [row.locator("td").all_text_contents() for row in table.locator("tbody tr").all()]
    assert rows == [
        ["Analytics", "Dashboards", "2,000", "2,000", "4,000"],
        ["Services", "Consulting", "500", "250", "750"],
    ]

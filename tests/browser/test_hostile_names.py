"""A name that is markup stays text: every chart and the relationship map show accounts,
products and people named ``<img src=x onerror=…>`` as those characters, in the chart and
in the tooltip shown on hover, and run nothing. (The page fixture also fails on anything
the Content-Security-Policy blocked, so escaping, not the policy, is what is tested.)"""

import datetime
from decimal import Decimal

import pytest

from keyplan.plans import services
from tests.browser.conftest import sign_in
from tests.factories import (
    AccountFactory,
    ContactFactory,
    ProductFactory,
    ProductLineFactory,
    SaleLineFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = "<img src=x onerror=window.__xss=1>"


def tooltip_for(page, chart_id, **target):
    """Show the chart's tooltip for one data point (as hovering it does); its text and
    whether it holds any element made from the data."""
    return page.evaluate(
        """([id, target]) => new Promise((resolve) => {
            const el = document.getElementById(id);
            const chart = echarts.getInstanceByDom(el);
            chart.dispatchAction(Object.assign({type: 'showTip'}, target));
            // The tooltip is drawn asynchronously: look for it until it shows (a busy
            // machine may take longer than a fixed wait), for at most five seconds.
            const started = Date.now();
            const look = () => {
                const tip = Array.from(el.querySelectorAll(':scope > div'))
                    .find((d) => !d.querySelector('canvas') && d.innerText.trim());
                if (!tip && Date.now() - started < 5000) return setTimeout(look, 50);
                resolve({text: tip ? tip.innerText : null,
                         images: tip ? tip.querySelectorAll('img').length : 0,
                         xss: window.__xss === undefined ? null : window.__xss});
            };
            setTimeout(look, 50);
        })""",
        [chart_id, target],
    )


def assert_shown_as_text(page, tip):
    assert tip["text"] is not None, "no tooltip was shown"
    assert HOSTILE in tip["text"]
    assert tip["images"] == 0
    assert tip["xss"] is None
    assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0


def test_account_sales_chart(page, live_server):
    rep = UserFactory(username="rita")
    account = AccountFactory(name=HOSTILE, owner=rep)
    product = ProductFactory(name=HOSTILE, product_line=ProductLineFactory(name=HOSTILE))
    SaleLineFactory(account=account, product=product, date=datetime.date(2025, 3, 10))
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    page.wait_for_selector("[data-testid=sales-chart][data-rendered=true]")
    assert page.inner_text("h1") == HOSTILE
    tip = tooltip_for(page, "sales-chart", seriesIndex=0, dataIndex=0)
    assert_shown_as_text(page, tip)


def test_territory_pareto_and_white_space_charts(page, live_server):
    UserFactory(username="olga", role="sales_ops")
    product = ProductFactory(name=HOSTILE)
    ProductFactory(name="Cast")
    owner = AccountFactory(name=HOSTILE, employees=500)
    AccountFactory(name=f"{HOSTILE} prospect", employees=500)
    SaleLineFactory(
        account=owner, product=product, amount=Decimal(1000), date=datetime.date(2025, 5, 1)
    )
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/territory/")
    page.wait_for_selector("[data-testid=pareto-chart][data-rendered=true]")
    assert_shown_as_text(page, tooltip_for(page, "pareto-chart", seriesIndex=0, dataIndex=0))

    page.goto(f"{live_server.url}/territory/whitespace/")
    page.wait_for_selector("[data-testid=whitespace-chart][data-rendered=true]")
    # Every cell of the heatmap: white space, owned and in pipeline.
    cells = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('whitespace-chart'))
            .getOption().series.map((s) => s.data.length)"""
    )
    assert sum(cells) >= 2
    for series, count in enumerate(cells):
        for index in range(count):
            tip = tooltip_for(page, "whitespace-chart", seriesIndex=series, dataIndex=index)
            assert_shown_as_text(page, tip)


def test_relationship_map(page, live_server):
    rep = UserFactory(username="rob")
    account = AccountFactory(name=HOSTILE, owner=rep)
    boss = ContactFactory(account=account, first_name=HOSTILE, last_name="Boss", title=HOSTILE)
    ContactFactory(account=account, first_name="Nora", last_name=HOSTILE, reports_to=boss)
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}/plans/{plan.pk}/map/")
    page.wait_for_selector("#map-chart[data-rendered=true]")
    nodes = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('map-chart'));
            return chart.getModel().getSeriesByIndex(0).getData().count();
        }"""
    )
    assert nodes >= 3  # the account and both people
    for index in range(nodes):
        tip = tooltip_for(page, "map-chart", seriesIndex=0, dataIndex=index)
        assert tip["images"] == 0 and tip["xss"] is None
    tip = tooltip_for(page, "map-chart", seriesIndex=0, dataIndex=0)
    assert_shown_as_text(page, tip)

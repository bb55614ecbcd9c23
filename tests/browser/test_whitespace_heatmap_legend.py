"""The white-space heatmap's colour scale sits below the rotated product names, not on
top of them, and says its ends as amounts ("24,176 USD", not "24176"); on a phone the
heatmap scrolls inside its card and the page never scrolls sideways."""

import datetime
from decimal import Decimal

import pytest

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ProductFactory, SaleLineFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the rotated product names end (the grid's bottom, the label margin, the longest
# name measured in the axis label's font, turned 40 degrees) and where the colour scale
# starts.
BOXES = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('whitespace-chart'));
  const grid = chart.getModel().getComponent('grid').coordinateSystem.getRect();
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '12px sans-serif';
  const names = chart.getOption().xAxis[0].data;
  const longest = Math.max(...names.map(n => ctx.measureText(n).width));
  const turn = 40 * Math.PI / 180;
  const labelsEnd = grid.y + grid.height + 8 + longest * Math.sin(turn) + 12 * Math.cos(turn);
  const view = chart._componentsViews.find(v => v.type && v.type.indexOf('visualMap') === 0);
  const r = view.group.getBoundingRect().clone();
  r.applyTransform(view.group.getLocalTransform());
  const f = chart.getOption().visualMap[0].formatter;
  return {labelsEnd: labelsEnd, scaleTop: r.y,
          label: typeof f === 'function' ? f(24176.4) : String(Math.round(24176.4))};
}"""


def _territory():
    UserFactory(username="olga", role="sales_ops")
    products = [
        ProductFactory(name=f"Very Long Product Name Number {i}", list_price=Decimal(1000))
        for i in range(6)
    ]
    for a in range(4):
        account = AccountFactory(name=f"Account {a}", employees=500)
        SaleLineFactory(
            account=account,
            product=products[a],
            amount=Decimal(24176 + a),
            date=datetime.date(2025, 5, 1),
        )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_colour_scale_does_not_cover_the_product_names(browser, live_server, width):
    _territory()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/territory/whitespace/")
    page.wait_for_selector("[data-testid=whitespace-chart][data-rendered=true]")
    boxes = page.evaluate(BOXES)
    assert boxes["labelsEnd"] <= boxes["scaleTop"], boxes
    assert boxes["label"].replace("\u202f", ",").startswith("24,176"), boxes["label"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    chart_width = page.get_by_test_id("whitespace-chart").bounding_box()["width"]
    assert chart_width >= 720
    context.close()

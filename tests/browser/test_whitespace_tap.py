"""The white-space heatmap on a phone: a phone cannot point, so tapping a cell writes what
the cell holds under the legend — its probability, expected value and the reasons — and
the tooltip (for those who point) shows the probability as well as the value."""

import pytest

from tests.browser.conftest import phone_on_whitespace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The first white-space cell the model scored that lies in sight (the heatmap is wider
# than a phone and scrolls inside its card), where it is on the chart and what it holds.
SCORED_CELL = """() => {
  const el = document.getElementById('whitespace-chart');
  const chart = echarts.getInstanceByDom(el);
  const o = chart.getOption();
  const cells = o.series[0].data;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c.probability == null || !c.why) continue;
    const [x, y] = chart.convertToPixel({seriesIndex: 0}, c.value);
    if (x > 320) continue;
    return {index: i, x: x, y: y, why: c.why, probability: Math.round(c.probability * 100),
            account: o.yAxis[0].data[c.value[1]], item: o.xAxis[0].data[c.value[0]]};
  }
  return null;
}"""


def test_a_tapped_cell_shows_its_probability_and_reasons(browser, live_server):
    page, errors = phone_on_whitespace(browser, live_server, **PHONE)
    page.wait_for_selector("[data-testid=whitespace-chart][data-rendered=true]")
    assert "Point at or tap a cell for its probability, expected value and the reasons" in (
        page.inner_text("main")
    )
    detail = page.get_by_test_id("whitespace-cell-detail")
    assert not detail.is_visible()  # nothing tapped yet: no empty box

    cell = page.evaluate(SCORED_CELL)
    assert cell is not None, "no scored white-space cell in sight"
    page.get_by_test_id("whitespace-chart").tap(position={"x": cell["x"], "y": cell["y"]})
    page.wait_for_function(
        "() => document.getElementById('whitespace-cell-detail').innerText.trim() !== ''"
    )
    text = detail.inner_text()
    assert cell["account"] in text and cell["item"] in text
    assert f"{cell['probability']}% likely to buy it within 12 months, expected " in text
    assert "USD in the first year" in text
    assert cell["why"] in text
    box = detail.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    # The tooltip (pointing) says the same: the probability as well as the value.
    page.evaluate(
        """(i) => echarts.getInstanceByDom(document.getElementById('whitespace-chart'))
            .dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: i})""",
        cell["index"],
    )
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('#whitespace-chart > div'))
            .some((d) => !d.querySelector('canvas') && d.innerText.includes('likely'))"""
    )
    tip = page.evaluate(
        """() => Array.from(document.querySelectorAll('#whitespace-chart > div'))
            .find((d) => !d.querySelector('canvas') && d.innerText.includes('likely'))
            .innerText"""
    )
    assert f"{cell['probability']}% likely to buy it within 12 months" in tip
    assert cell["why"] in tip
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert not errors
    page.context.close()

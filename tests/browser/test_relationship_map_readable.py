"""In the browser: the largest map of the demo (`keyplan generate --seed 42`: 60+
contacts over 3+ business units) stays readable. It starts with its business units
folded; clicking a unit shows its people and clicking it again folds them; with every
unit shown, no two labels overlap and none is cut at the chart's edge. The PNG and SVG
exports hold the same map on white, at twice the screen's resolution. At 390 px the
chart scrolls inside its card."""

import html
import struct

import pytest

from keyplan.accounts.models import AccountLineage
from keyplan.plans.models import AccountPlan
from keyplan.plans.relationships import relationship_map
from tests.browser.conftest import sign_in
from tests.territory.conftest import run_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The label boxes ECharts drew (its renderer's text elements, in chart pixels), and the
# chart's size. Read independently of map.js.
LABELS = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('map-chart'));
  const seen = new Set(), labels = [];
  chart.getZr().storage.getDisplayList().forEach(el => {
    const text = el.parent;
    if (el.type !== 'tspan' || !text || seen.has(text)) return;
    seen.add(text);
    const r = text.getBoundingRect().clone();
    const m = text.getComputedTransform();
    if (m) r.applyTransform(m);
    const words = text.style.text.replace(/\\{[a-z]+\\|/g, '').replace(/\\}/g, '');
    labels.push({x: r.x, y: r.y, w: r.width, h: r.height, text: words});
  });
  return {labels, width: chart.getWidth(), height: chart.getHeight()};
}"""


def _labels(page):
    return page.evaluate(LABELS)


def _problems(drawn):
    """Labels that overlap another or stick out of the chart."""
    out = []
    boxes = drawn["labels"]
    for i, a in enumerate(boxes):
        if a["x"] < 0 or a["y"] < 0:
            out.append(f"cut at the top/left: {a['text']!r}")
        if a["x"] + a["w"] > drawn["width"] or a["y"] + a["h"] > drawn["height"]:
            out.append(f"cut at the bottom/right: {a['text']!r}")
        for b in boxes[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                out.append(f"overlap: {a['text']!r} and {b['text']!r}")
    return out


def _names(node):
    return {node["name"]} | {n for child in node.get("children", []) for n in _names(child)}


def _label(drawn, starts):
    return next(label for label in drawn["labels"] if label["text"].startswith(starts))


def _click_label(page, label):
    """Click a label where it is, scrolling the chart's frame to it first."""
    page.evaluate(
        "([x, y]) => { const f = document.querySelector('[data-testid=map-frame]');"
        " f.scrollLeft = Math.max(0, x - 40); f.scrollTop = Math.max(0, y - 40); }",
        [label["x"], label["y"]],
    )
    box = page.get_by_test_id("map-chart").bounding_box()
    page.mouse.click(box["x"] + label["x"] + 8, box["y"] + label["y"] + label["h"] / 2)
    page.wait_for_selector("#map-chart[data-rendered=true]")


@pytest.fixture
def largest(live_server):
    run_generate("--seed", 42)
    plan = max(AccountPlan.objects.all(), key=lambda p: len(relationship_map(p).contacts))
    rmap = relationship_map(plan)
    units = {a.pk for a in rmap.accounts if a.parent_id == plan.account_id}
    staffed = set(
        AccountLineage.objects.filter(
            ancestor_id__in=units, descendant_id__in={c.account_id for c in rmap.contacts}
        ).values_list("ancestor_id", flat=True)
    )
    assert len(rmap.contacts) >= 60 and len(staffed) >= 3
    groups = [n for n in rmap.tree["children"] if n.get("is_group")]
    return plan, rmap, groups


def test_the_largest_demo_map_is_readable_folded_and_unfolded(page, live_server, largest):
    plan, rmap, groups = largest
    sign_in(page, live_server, "rep", "demo")
    page.goto(f"{live_server.url}/plans/{plan.pk}/map/")
    page.wait_for_selector("#map-chart[data-rendered=true]")
    assert "a map this large starts folded" in page.get_by_test_id("map-legend").inner_text()

    # Folded below the business units: the account and one label per unit.
    drawn = _labels(page)
    assert sorted(label["text"].split("\n")[0] for label in drawn["labels"]) == sorted(
        [plan.account.name, *(g["name"] for g in groups)]
    )
    assert _problems(drawn) == []
    unit = max(groups, key=lambda g: g["count"])
    assert f"{unit['people']} · click to show" in _label(drawn, unit["name"])["text"]

    # Click the unit: its people appear, the other units stay folded.
    _click_label(page, _label(drawn, unit["name"]))
    drawn = _labels(page)
    shown = {label["text"].split("\n")[0] for label in drawn["labels"]}
    assert _names(unit) <= shown
    others = set().union(*(_names(g) for g in groups if g is not unit)) - {
        g["name"] for g in groups
    }
    assert not (others & shown)
    assert f"{unit['people']} · click to hide" in _label(drawn, unit["name"])["text"]
    assert _problems(drawn) == []

    # Click it again: folded.
    _click_label(page, _label(drawn, unit["name"]))
    drawn = _labels(page)
    assert len(drawn["labels"]) == 1 + len(groups)

    # Everyone: every contact labelled, no label over another, none cut at the edge.
    page.get_by_test_id("map-expand-all").click()
    page.wait_for_selector("#map-chart[data-rendered=true]")
    drawn = _labels(page)
    assert len(drawn["labels"]) == 1 + len(groups) + len(rmap.contacts)
    shown = {label["text"].split("\n")[0] for label in drawn["labels"]}
    assert {c.name for c in rmap.contacts} <= shown
    assert _problems(drawn) == []
    # Each person's label says their role and strength in words.
    person = next(c for c in rmap.contacts if c.decision_role and c.relationship_owner_id)
    assert (
        f"{person.get_decision_role_display()} · {person.get_relationship_strength_display()} "
        f"({person.relationship_owner})"
    ) in _label(drawn, person.name + "\n")["text"]
    # The chart is larger than its card and scrolls inside it; the page does not.
    frame = page.get_by_test_id("map-frame")
    assert frame.evaluate("f => f.scrollHeight > f.clientHeight && f.scrollWidth > f.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    # Exports: the same map (every unit shown), on white, twice the screen's resolution.
    with page.expect_download() as png:
        page.get_by_test_id("export-png").click()
    with open(png.value.path(), "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == drawn["width"] * 2 and height >= drawn["height"] * 2
    assert len(data) > 200_000
    with page.expect_download() as svg:
        page.get_by_test_id("export-svg").click()
    with open(svg.value.path(), encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("<svg") and 'fill="#ffffff"' in text.lower()
    assert f"Relationship map: {plan.account.name}" in text
    assert all(html.escape(c.name) in text or c.name in text for c in rmap.contacts)

    # A click on a person (not a group) still opens their form.
    _click_label(page, _label(_labels(page), person.name + "\n"))
    form = page.get_by_test_id("map-contact-form")
    form.wait_for()
    assert form.locator("#id_last_name").input_value() == person.last_name


def test_at_phone_width_the_map_scrolls_inside_its_card(browser, live_server, largest):
    plan, rmap, groups = largest
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, live_server, "rep", "demo")
        page.goto(f"{live_server.url}/plans/{plan.pk}/map/")
        page.wait_for_selector("#map-chart[data-rendered=true]")
        page.get_by_test_id("map-expand-all").click()
        page.wait_for_selector("#map-chart[data-rendered=true]")
        assert _problems(_labels(page)) == []
        card = page.locator("#map").bounding_box()
        frame = page.get_by_test_id("map-frame")
        inside = frame.bounding_box()
        assert card["x"] >= 0 and card["x"] + card["width"] <= 390
        assert (
            inside["x"] >= card["x"] and inside["x"] + inside["width"] <= card["x"] + card["width"]
        )
        assert page.locator("#map").evaluate("c => c.scrollWidth <= c.clientWidth")
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
        # The first unit was brought into view when everyone was shown.
        assert frame.evaluate("f => f.scrollTop > 0 || f.scrollLeft > 0")
        assert errors == []
    finally:
        context.close()

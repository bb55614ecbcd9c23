"""The manager's and the executive's homes in a browser at desktop and phone width: the
team board and the company view open on sign-in, a figure opens the list behind it, and
the page itself never scrolls sideways (wide tables scroll in their own box)."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import TODAY

territory = test_rollups.territory  # the small territory of the roll-up tests
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KEYPLAN_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _no_page_scroll(page, width):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


KPI_LINES = """() => [...document.querySelectorAll('.kpi .value')].map(e => {
  const range = document.createRange();
  range.selectNodeContents(e);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  const card = e.closest('.kpi').getBoundingClientRect();
  return [e.innerText, lines.size, e.scrollWidth <= e.clientWidth && card.right <= innerWidth];
})"""


def _kpis_on_one_line(page):
    """Each headline figure ("18,600,000 USD") reads on one line, inside its card."""
    kpis = page.evaluate(KPI_LINES)
    assert kpis
    assert [k for k in kpis if k[1] != 1 or not k[2]] == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_manager_lands_on_the_team_board(browser, live_server, territory, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    sign_in(page, live_server, "m1")
    assert page.get_by_role("heading", name="Team board · FY 2027").is_visible()
    rows = page.get_by_test_id("rollup-row")
    assert rows.count() == 2
    ann = rows.nth(0).inner_text()
    assert "Ann Archer" in ann and "1,200,000\u00a0USD" in ann and "1.1×" in ann
    flags = page.get_by_test_id("at-risk-flags").first.inner_text()
    assert "Ann Archer: coverage 1.1× is below 2.5×" in flags
    _no_page_scroll(page, width)
    _kpis_on_one_line(page)
    box = page.get_by_test_id("rollup-table")
    if width == 390:  # the table is wider than a phone: it scrolls in its own box
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    _shot(page, f"team-{width}")
    # A figure opens the list behind it.
    rows.nth(0).get_by_role("link", name="800,000\u00a0USD").click()
    expect(
        page.get_by_role("heading", name="Open pipeline closing in the period · FY 2027")
    ).to_be_visible()
    assert "Rep: Ann Archer · 800,000 USD in all" in page.locator("main").inner_text()
    _no_page_scroll(page, width)
    _shot(page, f"drill-{width}")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_executive_lands_on_the_company_view(browser, live_server, territory, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    sign_in(page, live_server, "exec")
    assert page.get_by_role("heading", name="The company · FY 2027").is_visible()
    teams = page.get_by_test_id("rollup-row")
    assert [teams.nth(i).locator("td").first.inner_text() for i in range(teams.count())] == [
        "North",
        "South",
    ]
    at_risk = page.get_by_test_id("at-risk").inner_text()
    assert "not confirmed for 125 days" in at_risk
    assert "Training" in page.get_by_test_id("approved").inner_text()
    _no_page_scroll(page, width)
    _kpis_on_one_line(page)
    _shot(page, f"company-{width}")
    page.get_by_role("link", name="Tier", exact=True).click()
    expect(page.get_by_role("heading", name="By tier")).to_be_visible()
    assert "Tier A" in page.get_by_test_id("rollup-table").inner_text()
    _no_page_scroll(page, width)
    _shot(page, f"company-tier-{width}")
    context.close()

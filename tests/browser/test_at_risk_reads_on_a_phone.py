"""On a phone the team board's table is wider than the screen and scrolls in its own
box; a rep's "At risk" line under their row stays inside what the box shows, wrapped,
instead of running off its right edge ("Ann Archer: coverage 1.1× is below 2." and the
rest hidden until one scrolls the table)."""

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import TODAY

territory = test_rollups.territory  # the small territory of the roll-up tests
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


INSIDE = """flag => {
  const box = flag.closest('[data-testid="rollup-table"]').getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(flag);
  return [...range.getClientRects()]
    .every(r => r.left >= box.left - 0.5 && r.right <= box.right + 0.5);
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_at_risk_line_stays_in_view(page, live_server, territory, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "m1")
    box = page.get_by_test_id("rollup-table")
    if width == 390:
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table still scrolls
    flag = page.get_by_test_id("at-risk-flags").first.locator("td")
    assert "Ann Archer: coverage 1.1× is below 2.5×" in flag.inner_text()
    assert flag.evaluate(INSIDE), "part of the at-risk line is past the visible edge"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width

"""A review sitting's agenda at 390 px: the "#" column holds one digit, but as a first
column it took 9.5rem (phone tables keep a first column wide enough for a name), and the
plans' names wrapped a word a line in what was left. The number column is narrow; the
plan reads on one or two lines."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keyplan.reviews import services
from tests.browser.conftest import sign_in
from tests.reviews import conftest as reviews
from tests.reviews.conftest import BEFORE_Q1, MON, Q1, at

team = reviews.team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_Q1)


def test_the_agenda_number_column_is_narrow_on_a_phone(browser, live_server, team):
    sitting = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9)
    )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10000)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/reviews/{sitting.pk}/")
    row = page.get_by_test_id("agenda-row").first
    expect(row).to_contain_text("Atlas Freight")
    number, plan = row.locator("td").nth(0).bounding_box(), row.locator("td").nth(1).bounding_box()
    assert number["width"] < 60, number
    assert plan["width"] > 2 * number["width"], (number, plan)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    context.close()

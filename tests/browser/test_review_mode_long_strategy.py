"""Review mode at 1280 px: the new action's "For the strategy" menu is as wide as its
longest strategy (objective: strategy, some 130 characters), and ran past the card and
the window, so the whole page scrolled sideways. A menu never grows past its card."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keyplan.plans import services as plan_services
from keyplan.reviews import services
from tests.browser.conftest import sign_in
from tests.reviews import conftest as reviews
from tests.reviews.conftest import BEFORE_Q1, MON, Q1, at

team = reviews.team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_Q1)


def test_the_strategy_menu_stays_inside_the_card(browser, live_server, team):
    objective = plan_services.element_save(
        kind="objective",
        plan=team.plan_atlas,
        user=team.rep,
        category="revenue",
        title="Three marketing moments with Atlas Freight across every depot and every line "
        "of business: a case study, a speaker and a reference",
        metric="revenue",
        target=Decimal("10"),
        due_date=datetime.date(2027, 12, 31),
        owner=team.rep,
        progress_source="revenue",
    )
    plan_services.element_save(
        kind="strategy",
        plan=team.plan_atlas,
        user=team.rep,
        objective=objective,
        description="Expand Cloud Infrastructure and Data Platform to every service centre: "
        "the installed base is the fastest way to the goal this year",
    )
    sitting = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9)
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/reviews/{sitting.pk}/run/")
    expect(page.get_by_test_id("review-plan")).to_have_text("Atlas Freight")
    menu = page.get_by_test_id("action-form").get_by_label("For the strategy")
    expect(menu).to_contain_text("Expand Cloud Infrastructure")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280
    card = page.get_by_test_id("action-form").locator("xpath=ancestor::section[1]")
    menu_box, card_box = menu.bounding_box(), card.bounding_box()
    assert menu_box["x"] + menu_box["width"] <= card_box["x"] + card_box["width"]
    context.close()

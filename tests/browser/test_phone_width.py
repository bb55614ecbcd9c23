"""In the browser at a phone's width (390 x 844): the home page, an account plan, its
relationship map and My work are usable. The page never scrolls sideways, the top bar's
links fold behind a menu button that opens them, label/value rows stack, and a wide
table scrolls inside its card. At a desktop's width the top bar is as it was."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from keyplan.plans.models import AccountPlan
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_plan(db):
    """The demo territory with the example plans of the demo rep (long names, full
    plans, a relationship map of many people): what a phone has to fit."""
    call_command("generate", "--seed", "42", "--accounts", "80", stdout=StringIO())
    return AccountPlan.objects.filter(owner__username="rep").order_by("pk").first()


def _no_sideways_scroll(page, name):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide at 390 px"


def _menu_opens(page, name):
    button = page.get_by_test_id("menu-button")
    nav_link = page.locator("header nav a", has_text="My work")
    assert button.is_visible(), f"{name}: no menu button"
    assert not nav_link.is_visible(), f"{name}: the menu is open before it is asked for"
    button.click()
    expect(nav_link, f"{name}: the menu button does not open the menu").to_be_visible()
    assert button.get_attribute("aria-expanded") == "true"
    _no_sideways_scroll(page, f"{name} with the menu open")
    button.click()
    expect(nav_link).to_be_hidden()


def test_the_main_pages_fit_a_phone(browser, live_server, demo_plan):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "rep", "demo")
    pages = {
        "home": "/",
        "plan": demo_plan.get_absolute_url(),
        "map": f"/plans/{demo_plan.pk}/map/",
        "my work": "/my-work/",
    }
    for name, url in pages.items():
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        _no_sideways_scroll(page, name)
        _menu_opens(page, name)

    # On the plan, a label and its value stack (the value starts under the label).
    page.goto(f"{live_server.url}{demo_plan.get_absolute_url()}")
    label = page.locator("#basics dl.props dt").first.bounding_box()
    value = page.locator("#basics dl.props dd").first.bounding_box()
    assert value["y"] >= label["y"] + label["height"] - 1
    assert abs(value["x"] - label["x"]) < 2

    # A wide table scrolls inside its card; the card stays within the screen.
    table = page.locator("#ideas table").first
    sizes = table.evaluate(
        "t => ({scroll: t.scrollWidth, client: t.clientWidth,"
        " right: t.closest('.card').getBoundingClientRect().right})"
    )
    assert sizes["scroll"] > sizes["client"], "the ideas table should scroll sideways"
    assert sizes["right"] <= PHONE["width"]
    table.evaluate("t => { t.scrollLeft = 10000; }")
    assert table.evaluate("t => t.scrollLeft") > 0
    _no_sideways_scroll(page, "plan with its table scrolled")
    context.close()
    assert not errors, errors


def test_the_desktop_top_bar_is_unchanged(page, live_server, demo_plan):
    sign_in(page, live_server, "rep", "demo")
    assert not page.get_by_test_id("menu-button").is_visible()
    nav = page.locator("header nav")
    for name in ("Territory", "Plans", "Territory plans", "My work", "Accounts", "Opportunities"):
        assert nav.get_by_role("link", name=name, exact=True).is_visible()
    # The links sit in one row beside the brand, as before.
    brand = page.locator("header .brand").bounding_box()
    plans = nav.get_by_role("link", name="Plans", exact=True).bounding_box()
    assert abs(plans["y"] - brand["y"]) < 20 and plans["x"] > brand["x"]

"""A deal's stage history on its page, and the forecast page's win rates by stage with
their back-test, at a phone's width (390 px) and a desktop's: readable, inside their
cards, and the page never scrolls sideways."""

from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.sales.models import Opportunity
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def territory(db):
    call_command("generate", "--seed", "42", "--accounts", "60", stdout=StringIO())
    call_command("forecast", stdout=StringIO())


def fits(page, card, width):
    right = card.evaluate("c => c.getBoundingClientRect().right")
    assert right <= width
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll} px wide at {width} px"


@pytest.mark.parametrize("width", [390, 1280])
def test_stage_history_and_rates_read_on_a_phone_and_a_desktop(
    browser, live_server, territory, width
):
    won = (
        Opportunity.objects.filter(status="won", account__owner__username="rep")
        .order_by("pk")
        .first()
    )
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "rep", "demo")
    page.goto(f"{live_server.url}/opportunities/{won.pk}/")
    card = page.get_by_test_id("stage-history")
    steps = card.locator("li")
    assert steps.count() == 5  # Prospecting to Negotiation, then Closed Won
    assert steps.first.inner_text().startswith("Prospecting")
    assert "created at this stage" in steps.first.inner_text()
    assert steps.last.inner_text().startswith("Closed Won")
    assert f"{won.close_date:%Y-%m-%d}" in steps.last.inner_text()
    fits(page, card, width)
    card.screenshot(path=f"/tmp/h5-stage-history-{width}.png")

    page.goto(f"{live_server.url}/territory/forecast/")
    rates = page.get_by_test_id("stage-rates")
    assert "deals that reached Proposal" in rates.inner_text()
    fits(page, rates, width)
    rates.screenshot(path=f"/tmp/h5-stage-rates-{width}.png")
    context.close()
    assert not errors, errors

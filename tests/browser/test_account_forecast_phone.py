"""The account page's forecast at a phone's width (390 px) and a desktop's: the months
table with its band and pipeline is readable, scrolls inside its card if it must, and
the page never scrolls sideways."""

from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.accounts.models import Account
from keyplan.sales.models import SalesMonth
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forecast_account(db):
    call_command("generate", "--seed", "42", "--accounts", "60", stdout=StringIO())
    call_command("forecast", stdout=StringIO())  # fills the cache the page reads
    owned = SalesMonth.objects.filter(account__owner__username="rep").values("account")
    return Account.objects.filter(pk__in=owned).order_by("-pk").first()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_account_forecast_reads_on_a_phone_and_a_desktop(
    browser, live_server, forecast_account, width
):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "rep", "demo")
    page.goto(f"{live_server.url}/accounts/{forecast_account.pk}/")
    card = page.get_by_test_id("account-forecast")
    assert "Expected from the sales history" in card.inner_text()
    months = page.get_by_test_id("forecast-months")
    assert months.locator("tbody tr").count() == 12
    assert months.locator("tbody tr").first.locator("td").first.inner_text() == "2026-11"
    assert page.get_by_test_id("forecast-lines").locator("tbody tr").count() >= 1
    right = card.evaluate("c => c.getBoundingClientRect().right")
    assert right <= width
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"the page is {scroll} px wide at {width} px"
    card.screenshot(path=f"/tmp/h5-account-forecast-{width}.png")
    context.close()
    assert not errors, errors

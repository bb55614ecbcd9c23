"""Under the strict Content-Security-Policy everything still works: the API's Swagger UI
draws its operations, a Cancel link closes the form opened in place, and the capacity
page's team menu shows the team chosen. (The page fixture fails on any violation.)"""

from decimal import Decimal

import pytest

from keyplan.plans import services
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ContactFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_work_under_the_policy(page, live_server):
    UserFactory(username="rita")
    sign_in(page, live_server, "rita")
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .info .title")
    assert "keyplan API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary-path")
    assert page.locator(".opblock-summary-path", has_text="/api/v1/accounts/").count() >= 1


def test_cancel_closes_the_form_opened_in_place(page, live_server):
    rep = UserFactory(username="rob")
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    ContactFactory(account=account, first_name="Clara", last_name="Finance")
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}/plans/{plan.pk}/map/")
    page.wait_for_selector("#map-chart[data-rendered=true]")
    page.get_by_test_id("add-contact").click()
    form = page.get_by_test_id("map-contact-form")
    form.wait_for()
    form.get_by_role("link", name="Cancel").click()
    form.wait_for(state="detached")
    assert page.url == f"{live_server.url}/plans/{plan.pk}/map/"  # closed in place


def test_choosing_a_team_shows_its_capacity(page, live_server):
    manager = UserFactory(username="mona", role="manager")
    TeamFactory(name="Enterprise", manager=manager)
    team = TeamFactory(name="Mid-market", manager=manager)
    UserFactory(username="ray", first_name="Ray", team=team, manager=manager)
    sign_in(page, live_server, "mona")
    page.click("nav >> text=Capacity")
    page.select_option("#team", label="Mid-market")
    page.wait_for_url(f"**/?team={team.pk}")
    assert page.locator("#team").evaluate("el => el.selectedOptions[0].text") == "Mid-market"

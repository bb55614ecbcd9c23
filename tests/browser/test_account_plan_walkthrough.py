"""Two people build an account plan in the browser: the rep starts a plan for a
strategic account, records a customer goal heard from its CFO, adds ideas until the
coverage gauge turns green, and submits an investment case; the manager approves it
from the inbox; both see it all in the activity feed. Every edit happens in place."""

import re

import pytest
from playwright.sync_api import expect

from keyplan.people.choices import Role
from keyplan.plans.models import AccountPlan
from keyplan.territory.models import StrategicAccount
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ContactFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.locator("header form button", has_text="Sign out").click()
    page.wait_for_url("**/login/**")


def test_rep_and_manager_build_a_plan(page, live_server):
    manager = UserFactory(username="maria", first_name="Maria", last_name="Lind", role=Role.MANAGER)
    team = TeamFactory(name="Enterprise", manager=manager)
    rep = UserFactory(
        username="rob", first_name="Rob", last_name="Kent", team=team, manager=manager
    )
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    StrategicAccount.objects.create(account=account, status="confirmed", decided_by=manager)
    ContactFactory(account=account, first_name="Clara", last_name="Berg", title="CFO")

    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{account.get_absolute_url()}")
    page.get_by_test_id("start-plan").click()
    page.fill("#id_revenue_goal", "400000")
    page.fill("#id_stretch_goal", "500000")
    page.get_by_role("button", name="Create draft plan").click()
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    plan = AccountPlan.objects.get(account=account)
    assert page.get_by_test_id("plan-status").inner_text() == "Draft"
    page.evaluate("window.__samePage = true")  # proves the edits below are in place

    # The customer's goal, from a conversation with the CFO.
    page.get_by_test_id("add-goal").click()
    page.select_option("#id_level", "corporate")
    page.fill("#id_title", "Cut cost per shipment by 8%")
    page.select_option("#id_contacts", label="Clara Berg")
    page.select_option("#id_source_contact", label="Clara Berg")
    page.fill("#id_source_date", "2026-10-02")
    page.get_by_role("button", name="Save").click()
    goal = page.get_by_test_id("goal")
    goal.wait_for()
    assert "Clara Berg on 2026-10-02" in goal.inner_text()
    assert "complete" in page.get_by_test_id("step-goals").inner_text()

    # Ideas until the gauge reaches the 2.5-3x band (1M of a 400k goal).
    gauge = page.get_by_test_id("gauge-revenue")
    assert gauge.get_attribute("data-status") == "low"
    page.get_by_test_id("add-idea").click()
    page.fill("#id_title", "Route optimisation for the Nordic hubs")
    page.select_option("#id_goal", label="Cut cost per shipment by 8%")
    page.fill("#id_annual_value", "500000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=idea]').length === 1")
    assert page.get_by_test_id("gauge-revenue").get_attribute("data-status") == "low"
    assert "You need 500k" in page.get_by_test_id("gauge-revenue").inner_text()

    page.get_by_test_id("add-idea").click()
    page.fill("#id_title", "Joint automation pilot in Gothenburg")
    page.select_option("#id_delivery", "joint")
    page.fill("#id_annual_value", "600000")
    page.check("#id_needs_investment")
    page.get_by_role("button", name="Save").click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=idea]').length === 2")
    gauge = page.get_by_test_id("gauge-revenue")
    assert gauge.get_attribute("data-status") == "in-band"
    assert "2.75x" in gauge.inner_text()

    # The investment the pilot needs, submitted to the manager.
    page.locator("[data-testid=idea]", has_text="Gothenburg").get_by_test_id("make-case").click()
    page.fill("#id_title", "Pilot robots and integration")
    page.fill("#id_cost", "150000")
    page.fill("#id_customer_share", "40")
    page.fill("#id_expected_return", "600000")
    page.get_by_role("button", name="Save").click()
    page.get_by_test_id("submit-case").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=investment-status]').textContent"
        " === 'Submitted for approval'"
    )
    assert page.evaluate("window.__samePage") is True
    _sign_out(page)

    # The manager sees it in the inbox and approves it with a comment.
    sign_in(page, live_server, "maria")
    assert page.get_by_test_id("unread").inner_text() == "1"
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("link", name=re.compile("asks you to decide")).click()
    page.wait_for_url(re.compile(rf".*/plans/{plan.pk}/#investments$"))
    page.fill("textarea[name=comment]", "Approved: co-funded and pays back within the year.")
    page.get_by_test_id("approve").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=investment-status]').textContent === 'Approved'"
    )
    feed = page.get_by_test_id("activity").inner_text()
    assert "Maria Lind decided investment case “Pilot robots and integration”" in feed
    assert "status: Submitted for approval → Approved" in feed
    assert "Rob Kent added customer goal “Cut cost per shipment by 8%”" in feed
    assert "Rob Kent added idea “Joint automation pilot in Gothenburg”" in feed
    _sign_out(page)

    # The rep is told, and the pilot can now become an opportunity.
    sign_in(page, live_server, "rob")
    assert page.get_by_test_id("unread").inner_text() == "1"
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    pilot = page.locator("[data-testid=idea]", has_text="Gothenburg")
    pilot.get_by_test_id("move-qualified").click()
    stage = page.locator("[data-testid=idea]", has_text="Gothenburg").get_by_test_id("idea-stage")
    expect(stage).to_have_text("Qualified")
    page.locator("[data-testid=idea]", has_text="Gothenburg").get_by_test_id(
        "move-opportunity"
    ).click()
    # The stage badge, not the "→ Opportunity" button: the test ends only once the
    # move (and its roll-up refresh) has committed.
    expect(stage).to_have_text("Opportunity")
    assert page.get_by_test_id("gauge-revenue").get_attribute("data-status") == "in-band"

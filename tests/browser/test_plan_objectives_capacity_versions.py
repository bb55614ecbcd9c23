"""In the browser: an objective gets a strategy and actions in place; an action that
needs more hours than its owner has shows the capacity warning; two versions of the plan
are compared side by side."""

import datetime
from decimal import Decimal

import pytest

from keyplan.people.choices import Role
from keyplan.plans import services
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_objective_strategy_actions_capacity_and_versions(page, live_server):
    manager = UserFactory(username="maria", role=Role.MANAGER)
    rep = UserFactory(
        username="rob",
        first_name="Rob",
        last_name="Kent",
        manager=manager,
        team=TeamFactory(manager=manager),
        weekly_hours=Decimal("5"),
    )
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))
    services.plan_activate(plan=plan, user=rep)  # keeps version 1
    due = (plan.period_start + datetime.timedelta(days=20)).isoformat()

    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_test_id("add-objective").click()
    page.select_option("#id_category", "revenue")
    page.fill("#id_title", "Grow to 400k in the Nordics")
    page.fill("#id_metric", "revenue")
    page.fill("#id_target", "400000")
    page.fill("#id_due_date", plan.period_end.isoformat())
    page.select_option("#id_owner", label="Rob Kent")
    page.select_option("#id_progress_source", "revenue")
    page.get_by_role("button", name="Save").click()
    objective = page.get_by_test_id("objective")
    objective.wait_for()

    objective.get_by_test_id("add-strategy").click()
    page.fill("#id_description", "Win the Gothenburg hub through a joint pilot")
    page.get_by_role("button", name="Save").click()
    page.get_by_test_id("strategy").wait_for()

    page.get_by_test_id("strategy").get_by_test_id("add-action").click()
    page.fill("#id_title", "Run the pilot workshop")
    page.select_option("#id_owner", label="Rob Kent")
    page.fill("#id_due_date", due)
    page.fill("#id_effort_hours", "10")
    page.get_by_role("button", name="Save").click()
    page.get_by_test_id("action").wait_for()
    assert page.get_by_test_id("over-committed").count() == 0  # 10 h of ~21 h that month

    page.get_by_test_id("strategy").get_by_test_id("add-action").click()
    page.fill("#id_title", "Build the business case")
    page.select_option("#id_owner", label="Rob Kent")
    page.fill("#id_due_date", due)
    page.fill("#id_effort_hours", "16")
    page.get_by_role("button", name="Save").click()
    warning = page.get_by_test_id("over-committed")
    warning.wait_for()
    assert "Rob Kent" in warning.inner_text()
    assert page.locator("td.over").count() == 1

    page.get_by_test_id("save-version").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}#health")
    page.goto(f"{live_server.url}/plans/{plan.pk}/versions/")
    page.select_option("#a", "1")
    page.select_option("#b", "2")
    page.get_by_role("button", name="Compare").click()
    comparison = page.get_by_test_id("comparison")
    comparison.wait_for()
    text = comparison.inner_text()
    assert "added: Grow to 400k in the Nordics" in text
    assert "added: Run the pilot workshop" in text and "added: Build the business case" in text

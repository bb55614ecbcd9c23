"""Removing an objective or a strategy from a plan: before anything goes, the browser asks
with what goes with it (the objective's strategies), what stays (their actions, without
a strategy) and that it can be restored from the recycle bin; after it, the bin has it."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from keyplan.audit.models import DeletedRecord
from keyplan.plans import services
from keyplan.plans.models import Action
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots-walk2"


def test_removing_an_objective_asks_with_its_strategies_and_their_actions(page, live_server):
    rep = UserFactory(username="rob", first_name="Rob", last_name="Kent")
    plan = services.plan_create(
        account=AccountFactory(name="Nordwind Logistics", owner=rep),
        user=rep,
        revenue_goal=Decimal("400000"),
    )
    due = plan.period_start + datetime.timedelta(days=20)
    objective = services.element_save(
        kind="objective", plan=plan, user=rep, category="revenue", title="Grow in the Nordics",
        metric="revenue", target=Decimal("400000"), due_date=plan.period_end, owner=rep,
    )  # fmt: skip
    strategies = [
        services.element_save(
            kind="strategy", plan=plan, user=rep, objective=objective, description=text
        )
        for text in ("Land the Oslo hub", "Win back Malmö")
    ]
    for n, strategy in enumerate([strategies[0], strategies[0], strategies[1]]):
        services.element_save(
            kind="action", plan=plan, user=rep, strategy=strategy, title=f"Step {n}",
            owner=rep, due_date=due, effort_hours=Decimal("2"),
        )  # fmt: skip

    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss() if len(asked) == 1 else dialog.accept()

    page.on("dialog", answer)
    strategy_row = page.get_by_test_id("strategy").filter(has_text="Land the Oslo hub")
    strategy_row.locator("form[action*='/strategy/'] button").click()
    expect(strategy_row).to_be_visible()  # dismissed: nothing went
    assert asked[0] == (
        "Remove “Land the Oslo hub”? Its 2 actions stay in the plan, without a strategy. "
        "You can restore it from the recycle bin for 30 days."
    )

    page.locator("form[action*='/objective/'] button").click()
    expect(page.get_by_test_id("strategy")).to_have_count(0)
    assert asked[1] == (
        "Remove “Grow in the Nordics” with its 2 strategies? Their 3 actions stay in the "
        "plan, without a strategy. You can restore it from the recycle bin for 30 days."
    )
    assert Action.objects.filter(plan=plan, strategy=None).count() == 3
    assert DeletedRecord.objects.get().summary == "With it: 2 strategies."
    page.screenshot(path=f"{SHOTS}/objective-removed.png", full_page=True)

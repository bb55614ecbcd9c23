"""In the browser: saving one section of the plan answers with that section and the parts
that show what it holds. What a user sees is as before: the saved section shows the new
text, the guided steps and the health score move, and every other form open on the page
keeps what was typed (the very same form, untouched) and still saves."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from keyplan.plans import services
from keyplan.plans.health import plan_health
from keyplan.plans.models import AccountPlan
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(db):
    rep = UserFactory(username="rob", first_name="Rob", last_name="Kent")
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))
    # With a quantified value, the insights step lacks only its two texts.
    services.element_save(
        kind="value", plan=plan, user=rep, metric="Hours saved a month", amount=Decimal("120")
    )
    return plan


def test_saving_a_section_keeps_other_open_forms_and_updates_steps_and_health(
    page, live_server, plan
):
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.evaluate("window.__samePage = true")
    step = page.get_by_test_id("step-insights")
    expect(step).to_contain_text("2 missing")
    score_before = plan_health(AccountPlan.objects.get(pk=plan.pk)).score
    expect(page.get_by_test_id("health-score")).to_have_text(str(score_before))

    # The user types into the research section's form and a new goal's form...
    page.locator("#research").get_by_role("link", name="Edit").first.click()
    research = page.locator("#slot-section-research form")
    research.locator("[name=customer_business]").fill("They move spare parts for 40 plants.")
    research.evaluate("form => { form.__typedIn = true; }")
    page.get_by_test_id("add-goal").click()
    goal = page.locator("#slot-goal-new form")
    goal.locator("[name=title]").fill("Cut cost per shipment by 8%")

    # ...then opens the insights section and saves it.
    page.locator("#insights").get_by_role("link", name="Edit").first.click()
    insights = page.locator("#slot-section-insights form")
    insights.locator("[name=value_perception]").fill("A reliable carrier, not yet a partner.")
    insights.locator("[name=our_aspirations]").fill("Their partner for the whole supply chain.")
    insights.get_by_role("button", name="Save").click()

    # The saved section shows the new text, its form is closed.
    expect(page.locator("#insights")).to_contain_text("A reliable carrier, not yet a partner.")
    expect(page.locator("#slot-section-insights form")).to_have_count(0)
    # The guided steps and the health score follow.
    expect(step).to_contain_text("complete")
    score_after = plan_health(AccountPlan.objects.get(pk=plan.pk)).score
    assert score_after > score_before
    expect(page.get_by_test_id("health-score")).to_have_text(str(score_after))
    expect(page.get_by_test_id("health")).to_contain_text("2 of 6 steps")
    expect(page.get_by_test_id("activity")).to_contain_text("A reliable carrier")

    # The other forms are still open with what was typed: the very same forms.
    research = page.locator("#slot-section-research form")
    expect(research.locator("[name=customer_business]")).to_have_value(
        "They move spare parts for 40 plants."
    )
    assert research.evaluate("form => form.__typedIn === true")
    expect(page.locator("#slot-goal-new form [name=title]")).to_have_value(
        "Cut cost per shipment by 8%"
    )

    # The research form still saves (it carries the plan's new version), in place.
    research.get_by_role("button", name="Save").click()
    expect(page.locator("#research")).to_contain_text("They move spare parts for 40 plants.")
    expect(page.locator("#slot-section-research form")).to_have_count(0)
    expect(page.locator("#slot-goal-new form [name=title]")).to_have_value(
        "Cut cost per shipment by 8%"
    )
    assert page.evaluate("window.__samePage") is True
    saved = AccountPlan.objects.get(pk=plan.pk)
    assert saved.value_perception == "A reliable carrier, not yet a partner."
    assert saved.customer_business == "They move spare parts for 40 plants."
    assert saved.version == 3

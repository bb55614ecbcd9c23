"""In the browser at a phone's width (390 px): the owner shares the plan with the
customer's Clara, copies the link from the plan page, and Clara — not signed in to
keyplan — opens it, confirms her goal, and the confirmation shows in the plan's feed
under her name."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import REPORT_CSP_VIOLATIONS, sign_in
from tests.mutual.conftest import mutual_plan  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page, name):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide at 390 px"


def test_the_owner_shares_and_the_customer_confirms_a_goal_on_a_phone(
    page,
    browser,
    live_server,
    mutual_plan,  # noqa: F811
):
    p = mutual_plan
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}{p.plan.get_absolute_url()}")
    page.get_by_test_id("share-plan").click()
    expect(page.get_by_test_id("share-form")).to_be_visible()
    _fits(page, "share form")
    page.get_by_label("Clara Finance", exact=False).check()
    page.get_by_test_id("create-share").click()
    link_box = page.get_by_test_id("share-link")
    expect(link_box).to_be_visible()
    expect(page.get_by_test_id("share-state")).to_have_text("Active")
    _fits(page, "plan page with the shared panel")
    link = link_box.input_value()
    assert link.startswith(f"{live_server.url}/shared/")

    customer_context = browser.new_context(viewport=PHONE)
    customer_context.add_init_script(REPORT_CSP_VIOLATIONS)
    customer = customer_context.new_page()
    problems = []
    customer.on("pageerror", lambda error: problems.append(str(error)))
    customer.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    customer.goto(link)
    expect(customer.get_by_test_id("shared-title")).to_have_text("Our plan with Mine Group")
    expect(customer.locator("header nav")).to_have_count(0)
    _fits(customer, "the customer's page")
    goal = customer.get_by_test_id("goal").first
    expect(goal).to_contain_text("Halve unplanned downtime")
    goal.get_by_test_id("who").select_option(label="Clara Finance")
    goal.get_by_test_id("confirm-goal").click()
    expect(customer.get_by_role("status")).to_contain_text(
        "Thank you: your confirmation is recorded."
    )
    expect(customer.get_by_test_id("response").first).to_contain_text("Clara Finance")
    _fits(customer, "the customer's page after confirming")
    assert not problems, problems
    customer_context.close()

    page.reload()
    expect(page.get_by_test_id("activity")).to_contain_text(
        "Clara Finance (customer) confirmed their goal “Halve unplanned downtime”"
    )
    expect(page.get_by_test_id("access-log")).to_contain_text("confirmed a goal")

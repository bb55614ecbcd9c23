"""At a phone's width (390 px), the customer adds an action of theirs whose text is one
long unbroken string (a pasted address, a reference number): the page that thanks them
quotes it and must still fit the screen, without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import REPORT_CSP_VIOLATIONS
from tests.mutual.conftest import mutual_plan, share, share_path  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASTED = "https://intranet.mine.example/projects/" + "x" * 200


def test_a_long_unbroken_action_text_keeps_the_customer_page_on_the_screen(
    browser,
    live_server,
    mutual_plan,  # noqa: F811
):
    link = share(mutual_plan)
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    customer = context.new_page()
    customer.goto(f"{live_server.url}{share_path(link)}")
    form = customer.get_by_test_id("add-action")
    form.get_by_label("What you will do").fill(PASTED)
    form.get_by_test_id("who").select_option(label="Clara Finance")
    form.get_by_role("button", name="Add it to the plan").click()
    expect(customer.get_by_role("status")).to_contain_text("is added to the plan")
    expect(customer.get_by_test_id("own-action").first).to_contain_text("intranet.mine.example")
    width = customer.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the customer's page is {width} px wide at 390 px"
    context.close()

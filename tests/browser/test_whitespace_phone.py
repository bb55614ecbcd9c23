"""The white-space page on a phone (390 px): the best cells' reasons read as lines of a
sentence, not two words a line — a row used to be a screen tall."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_best_cells_reasons_are_readable_on_a_phone(browser, live_server):
    call_command("generate", "--seed", "42", "--accounts", "80", stdout=StringIO())
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, "rep", "demo")
    page.goto(f"{live_server.url}/territory/whitespace/")
    best = page.get_by_test_id("whitespace-best")
    why = best.locator("td.why").first
    assert why.inner_text().strip()
    assert why.bounding_box()["width"] >= 200
    row = best.locator("tbody tr").first.bounding_box()
    assert row["height"] < 200, f"a best cell's row is {row['height']} px tall"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    context.close()

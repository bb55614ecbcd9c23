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


def test_the_best_cells_figures_are_in_sight_on_a_phone_and_in_columns_on_a_laptop(
    browser, live_server
):
    """A best cell's probability and expected value sat off-screen inside the table's
    scrolling box on a phone: there each row is a block that says both in words; on a
    laptop they stay columns under their headings."""
    call_command("generate", "--seed", "42", "--accounts", "80", stdout=StringIO())
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        sign_in(page, live_server, "rep", "demo")
        page.goto(f"{live_server.url}/territory/whitespace/")
        best = page.get_by_test_id("whitespace-best")
        row = best.locator("tbody tr").first
        probability, value = row.locator("td.num").all()
        box = best.bounding_box()
        for figure in (probability, value):  # where they are before any sideways scroll
            shown = figure.bounding_box()
            assert shown["x"] >= 0 and shown["x"] + shown["width"] <= width, shown
            assert shown["x"] + shown["width"] <= box["x"] + box["width"]
        if width == 390:
            assert probability.inner_text().endswith("% likely")
            assert value.inner_text().startswith("expected ")
            assert value.inner_text().endswith(" USD")
        else:
            headings = best.locator("thead th").all_inner_texts()
            assert [h.lower() for h in headings] == [
                "account",
                "product",
                "probability",
                "expected value",
                "why",
            ]
            assert probability.inner_text().endswith("%") and "likely" not in (
                probability.inner_text()
            )
            assert value.inner_text().replace(",", "").isdigit()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        context.close()

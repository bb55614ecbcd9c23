"""The white-space tables on a phone: a cell's probability and reasons sit in its title,
which shows only to a pointer, and a phone cannot point. A tap writes the cell in words
(its product, account, figure and the reasons) under the table, and the hint says so."""

import pytest

from tests.browser.conftest import phone_on_whitespace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# A white-space cell the model scored (its title gives the probability), in sight.
SCORED = """(table) => {
  const cells = Array.from(table.querySelectorAll('td.ws-white_space[title*="% within"]'));
  const cell = cells.find((c) => {
    const box = c.getBoundingClientRect();
    return box.right <= 380 && box.left >= 0 && box.top >= 0 && box.bottom <= innerHeight;
  }) || cells[0];
  cell.setAttribute('data-picked', 'yes');
  cell.scrollIntoView({block: 'center', inline: 'center'});
  const head = table.tHead.rows[0].cells[cell.cellIndex].textContent.trim();
  const link = cell.parentElement.cells[0].querySelector('a');
  return {title: cell.title, product: head, account: link ? link.textContent.trim() : null,
          figure: cell.textContent.trim()};
}"""


def _tap_scored_cell(page, table_selector, detail_testid):
    detail = page.get_by_test_id(detail_testid)
    assert not detail.is_visible()  # nothing tapped yet: no empty box
    cell = page.locator(table_selector).evaluate(SCORED)
    page.locator("td[data-picked=yes]").tap()
    page.wait_for_function(
        f"() => document.querySelector('[data-testid={detail_testid}]').innerText.trim() !== ''"
    )
    text = detail.inner_text()
    assert cell["product"] in text
    assert f"White space: expected {cell['figure']} USD in the first year" in text
    assert cell["title"] in text  # the probability and the reasons
    assert "% within 12 months. " in cell["title"]
    box = detail.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]  # in sight
    return cell, text


def test_a_tapped_white_space_cell_shows_its_reasons_on_a_phone(browser, live_server):
    page, errors = phone_on_whitespace(browser, live_server, **PHONE)

    # The territory's white-space matrix: the tap names the account too.
    table = page.get_by_test_id("whitespace-table")
    assert "Point at or tap a cell for its probability, expected value and the reasons" in (
        page.locator("section", has=table).inner_text()
    )
    cell, text = _tap_scored_cell(page, "[data-testid=whitespace-table]", "whitespace-table-detail")
    assert cell["account"] in text
    account_url = page.locator("[data-testid=whitespace-table] tbody tr a").first.get_attribute(
        "href"
    )

    # The account page's row.
    page.goto(f"{live_server.url}{account_url}")
    section = page.get_by_test_id("account-whitespace")
    assert "point at or tap a cell for any other" in section.inner_text()
    _tap_scored_cell(page, "[data-testid=account-whitespace] table", "account-whitespace-detail")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert not errors
    page.context.close()

"""The import mapping page names keyplan's fields in words ("External id", "Close date"),
not by their codes (``external_id``), and every message about a field — the warning on the
mapping page, the report's table of rejected rows — names it the same way."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots-walk2"


def upload(page, live_server, path, kind):
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    page.click("text=Upload and map columns")
    page.wait_for_selector("table.mapping")


def test_mapping_page_and_report_name_fields_in_words(page, live_server, tmp_path):
    UserFactory(username="olga", role="sales_ops")
    AccountFactory(name="Acme Retail")
    path = tmp_path / "deals.csv"
    # No column says which account: the page asks for it by the label it shows.
    path.write_text("Deal Id,Deal,Stage,Amount,Close\nD1,Renewal,Prospecting,100,\n", "utf-8")

    sign_in(page, live_server, "olga")
    upload(page, live_server, path, "opportunities")
    labels = page.locator("table.mapping tbody td:first-child").all_inner_texts()
    assert labels[:3] == ["External id", "Name *", "Account *"]
    assert "Close date *" in labels and "Created date" in labels
    assert not [label for label in labels if "_" in label], labels
    still = page.inner_text("[data-testid=still-to-map]")
    assert "it has no column for Account" in still, still
    page.screenshot(path=f"{SHOTS}/map-words-1280.png", full_page=True)

    # The same column chosen twice: the message names the field as the table does.
    page.select_option("#id_map_external_id", "Deal Id")
    page.select_option("#id_map_name", "Deal")
    page.select_option("#id_map_account", "Deal")
    page.select_option("#id_map_close_date", "Close")
    page.click("button[name=dry_run]")
    page.wait_for_selector(".errorlist")
    assert "“Deal” is already mapped to Name." in page.inner_text("form.edit")

    # A report's rejected rows name the field by its label too.
    page.select_option("#id_map_account", "")
    path.write_text(
        "Deal Id,Deal,Account,Stage,Amount,Close\nD1,Renewal,Acme Retail,Closed Won,100,\n",
        "utf-8",
    )
    upload(page, live_server, path, "opportunities")
    page.click("button[name=dry_run]")
    page.wait_for_selector("[data-testid=import-errors]")
    cells = page.locator("[data-testid=import-errors] tbody td").all_inner_texts()
    assert cells[1] == "Close date", cells
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/report-words-390.png", full_page=True)

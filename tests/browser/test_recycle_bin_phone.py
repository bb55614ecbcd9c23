"""The recycle bin on a phone and a desktop: each deleted record's name and its Restore
button are in view without scrolling sideways, with the date it can be restored until,
and restoring brings the account back."""

import datetime

import pytest
from playwright.sync_api import expect

from keyplan.accounts.deletion import account_delete
from keyplan.accounts.models import Account
from keyplan.audit.models import DeletedRecord
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots-walk2"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_bin_shows_name_and_restore_in_view_and_restores(page, live_server, width):
    ops = UserFactory(username="olga", role="sales_ops")
    account = AccountFactory(name="Northwind Traders International")
    for n in range(3):
        ContactFactory(account=account, first_name=f"Ann{n}", last_name="Lee")
    account_delete(account=account, user=ops)
    record = DeletedRecord.objects.get()
    until = (record.deleted_at + datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M")

    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/recycle-bin/")
    row = page.get_by_test_id("bin-row")
    expect(row).to_contain_text("Northwind Traders International")
    expect(row).to_contain_text(until)
    expect(row).to_contain_text("3 contacts")
    assert "With it: " not in row.inner_text()  # the column says it already
    page.screenshot(path=f"{SHOTS}/bin-{width}.png", full_page=True)
    for part in (row.locator("strong"), row.get_by_role("button", name="Restore")):
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (part, box)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width

    row.get_by_role("button", name="Restore").click()
    expect(page.locator(".message.success")).to_contain_text(
        "Northwind Traders International was restored."
    )
    assert Account.objects.get(name="Northwind Traders International").contacts.count() == 3


def test_the_delete_confirmation_says_who_restores_it_and_when_it_is_purged(page, live_server):
    UserFactory(username="olga", role="sales_ops")
    account = AccountFactory(name="Northwind Traders")
    ContactFactory(account=account, first_name="Ann", last_name="Lee")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/accounts/{account.pk}/delete/")
    # "These go with it: 1 contact" read as a plural for one record.
    expect(page.get_by_test_id("goes-with-it-heading")).to_have_text("Deleted with it:")
    expect(page.locator(".goes-with-it")).to_have_text("1 contact")
    expect(page.get_by_test_id("restorable")).to_have_text(
        "You can restore it from the recycle bin for 30 days (administrators and sales "
        "operations can too); then it is purged."
    )
    page.screenshot(path=f"{SHOTS}/delete-confirm-390.png", full_page=True)

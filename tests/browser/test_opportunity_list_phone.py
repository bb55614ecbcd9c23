"""The opportunities list on a phone: each deal is a block — its name, then its account,
product, stage, status, amount, probability, close date and owner, each after its
column's name — all in view without scrolling sideways (as a table, only the name,
account and product fitted; the figures a rep looks for sat off-screen). On a laptop it
is the sortable table it was."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, OpportunityFactory, ProductFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_deals_figures_are_named_and_in_view_on_a_phone(page, live_server):
    rep = UserFactory(username="rita", first_name="Rita", last_name="Ramos")
    OpportunityFactory(
        name="Harbor Union Industries fleet renewal 2027",
        account=AccountFactory(name="Harbor Union Industries", owner=rep),
        product=ProductFactory(name="Fleet telematics"),
        stage="Negotiation",
        amount=Decimal("1234567.00"),
        close_date=datetime.date(2027, 3, 31),
        owner=rep,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/opportunities/")
    row = page.locator("#results tbody tr").first
    expect(row).to_contain_text("Harbor Union Industries fleet renewal 2027")
    for label, value in (
        ("Stage", "Negotiation"),
        ("Amount", "1,234,567"),
        ("Close date", "2027-03-31"),
        ("Owner", "Rita Ramos"),
    ):
        cell = row.locator(f'td[data-label="{label}"]')
        expect(cell).to_contain_text(value)
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (label, box)
        # The label is shown before the figure (a ::before of the cell).
        shown = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert shown == f'"{label}: "', shown
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert not page.locator("#results thead").is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("#results thead")).to_be_visible()
    assert [h.strip() for h in page.locator("#results th").all_text_contents()[:4]] == [
        "Name",
        "Account",
        "Product",
        "Stage",
    ]
    shown = row.locator('td[data-label="Stage"]').evaluate(
        "c => getComputedStyle(c, '::before').content"
    )
    assert shown in ("none", "normal"), shown

"""Proposed tier changes on a phone: the tick box takes only its own width, so an
account's name, its tier now and the tier proposed are in view without scrolling the
table sideways (the first column of a table keeps a name's width, which a tick box
does not need)."""

import datetime

import pytest
from playwright.sync_api import expect

from keyplan.territory.models import IcpVersion, TierProposal, TierRun
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_proposed_tier_is_in_view_on_a_phone(page, live_server):
    ops = UserFactory(username="olga", role="sales_ops")
    run = TierRun.objects.create(
        version=IcpVersion.objects.create(number=1, criteria=[]),
        window_start=datetime.date(2025, 11, 1),
        window_end=datetime.date(2026, 10, 31),
        created_by=ops,
    )
    TierProposal.objects.create(
        run=run,
        account=AccountFactory(name="Orbit Silver Markets"),
        old_tier="B",
        new_tier="A",
        score=74,
        reasons={"met": ["Industry is Technology", "Employees 1,000 or more"], "missed": []},
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/territory/tiers/")
    table = page.get_by_test_id("tier-proposals")
    expect(table).to_contain_text("Orbit Silver Markets")
    page.screenshot(path="/tmp/shots-walk3/tier-proposals-390.png", full_page=True)
    for part in (
        table.get_by_role("checkbox"),
        table.get_by_role("link", name="Orbit Silver Markets"),
        table.get_by_role("columnheader", name="Proposed"),
        table.locator("tbody strong", has_text="A"),
    ):
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (part, box)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390

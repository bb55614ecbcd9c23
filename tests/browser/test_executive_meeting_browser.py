"""The first-line manager asks our executive for a meeting from the executive program's
late pairing row; the executive finds it in My work and accepts it with a date and
time; the program then shows the meeting planned. At 390 px the program, the form, the
request and the briefing never scroll sideways (screenshots with KEYPLAN_SCREENSHOTS)."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.plans.test_executive_meeting_requests import paired  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KEYPLAN_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _open(browser, live_server, username, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    sign_in(page, live_server, username)
    return context, page


def _fits(page, width):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


def test_ask_accept_and_see_it_planned(browser, live_server, paired):  # noqa: F811
    for user in (paired.manager, paired.executive):
        user.set_password("pw")
        user.save()
    manager, page = _open(browser, live_server, "manager", 1280)
    page.goto(f"{live_server.url}/executive-program/")
    row = page.get_by_test_id("program-row")
    expect(row).to_contain_text("Eve Ekman ↔ Carl Chief")
    expect(row).to_contain_text("Never met")
    row.get_by_test_id("ask-meeting").click()
    expect(page.get_by_role("heading", name="Ask for an executive meeting")).to_be_visible()
    expect(page.get_by_label("Our executive to ask")).to_have_value(str(paired.executive.pk))
    expect(page.get_by_label("Carl Chief")).to_be_checked()
    page.get_by_label("Purpose and agenda").fill("Agree the roadmap before the budget round.")
    page.get_by_test_id("meeting-ask-send").click()
    expect(page.locator(".message.success")).to_contain_text("Asked Eve Ekman for a meeting")
    expect(page.get_by_test_id("meeting-status")).to_have_text("Requested")

    executive, theirs = _open(browser, live_server, "exec", 1280)
    theirs.goto(f"{live_server.url}/my-work/")
    theirs.get_by_test_id("meetings-asked-of-me").get_by_role("link").click()
    expect(theirs.get_by_test_id("meeting-purpose")).to_have_text(
        "Agree the roadmap before the budget round."
    )
    day = timezone.localdate() + datetime.timedelta(days=9)
    form = theirs.get_by_test_id("meeting-accept-form")
    form.get_by_label("Day").fill(day.isoformat())
    form.get_by_label("Starts at").fill("14:30")
    form.get_by_label("Place or link").fill("Their head office")
    form.get_by_test_id("meeting-accept").click()
    expect(theirs.locator(".message.success")).to_contain_text(f"Accepted: {day:%Y-%m-%d} 14:30")
    expect(theirs.get_by_test_id("meeting-status")).to_have_text(f"Accepted · {day:%Y-%m-%d} 14:30")
    executive.close()

    page.goto(f"{live_server.url}/executive-program/")
    expect(row).to_contain_text(f"Never met; planned {day:%Y-%m-%d}")
    expect(row.get_by_test_id("row-meeting")).to_have_text(
        f"Meeting accepted: {day:%Y-%m-%d} 14:30"
    )
    manager.close()


def test_the_pages_at_phone_width(browser, live_server, paired):  # noqa: F811
    from tests.plans.test_executive_meeting_requests import ask

    paired.manager.set_password("pw")
    paired.manager.save()
    meeting = ask(paired, purpose="Agree the roadmap " + "and much more detail " * 20)
    context, page = _open(browser, live_server, "manager", 390)
    for name, url in (
        ("program", "/executive-program/"),
        ("ask", f"/plans/{paired.plan.pk}/executive-meetings/new/?pairing={paired.pairing.pk}"),
        ("request", f"/executive-meetings/{meeting.pk}/"),
        ("briefing", f"/executive-meetings/{meeting.pk}/briefing/"),
    ):
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("h1")).to_be_visible()
        _shot(page, f"executive-meeting-{name}-390")
        _fits(page, 390)
    context.close()

"""A manager schedules the quarter's reviews from keyplan's proposal and runs one sitting
in review mode, plan by plan, at desktop and phone width: outcomes, decisions and a new
action recorded, the review closed and held; the page never scrolls sideways."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keyplan.plans.models import Action, PlanVersion
from keyplan.reviews.models import ReviewSitting
from tests.browser.conftest import sign_in
from tests.reviews import conftest as reviews
from tests.reviews.conftest import BEFORE_Q1

team = reviews.team  # the manager, two reps and their active plans

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KEYPLAN_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_Q1)


@pytest.mark.parametrize("width", [1280, 390])
def test_schedule_the_quarter_and_run_one_sitting(browser, live_server, team, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/reviews/?quarter=Q1+FY+2027")
    expect(page.get_by_role("heading", name="Quarterly reviews · Q1 FY 2027")).to_be_visible()
    rep_row = page.locator(f'[data-testid="rep-row"][data-rep="{team.rep}"]')
    expect(rep_row).to_contain_text("2 plans: Atlas Freight, Mine Group")
    # The manager moves the rep's sitting to the afternoon, then confirms the schedule.
    _shot(page, f"reviews-quarter-{width}")
    rep_row.locator("input[type=time]").fill("14:00")
    page.get_by_test_id("confirm-schedule").click()
    expect(page.locator(".message.success")).to_contain_text("Scheduled 2 sittings for Q1 FY 2027")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    expect(rep_row.get_by_test_id("sitting-link")).to_contain_text("2027-01-04 14:00, 60 minutes")
    rep_row.get_by_test_id("sitting-link").click()
    page.get_by_test_id("review-mode").click()

    expect(page.get_by_test_id("review-plan")).to_have_text("Atlas Freight")
    expect(page.get_by_test_id("review-health")).to_contain_text("/100")
    page.get_by_label("At risk").check()
    page.get_by_label("Decisions").fill("Qualify two more ideas before March.")
    page.get_by_test_id("save-outcome").click()
    expect(page.get_by_test_id("review-plan")).to_have_text("Mine Group")  # the next plan

    form = page.get_by_test_id("action-form")
    form.get_by_label("What").fill("Send the pilot proposal")
    form.get_by_label("Who").select_option(label=str(team.rep))
    form.get_by_label("By").fill("2027-02-01")
    page.get_by_test_id("add-action").click()
    expect(page.get_by_test_id("new-actions")).to_contain_text("Send the pilot proposal")
    _shot(page, f"reviews-mode-{width}")
    page.get_by_label("On track").check()
    page.get_by_test_id("save-outcome").click()
    expect(page.locator(".message.success")).to_contain_text("Outcome recorded for Mine Group")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("sitting-state")).to_have_text("Held")
    expect(page.get_by_test_id("agenda")).to_contain_text("At risk")
    _shot(page, f"reviews-held-{width}")

    sitting = ReviewSitting.objects.get(rep=team.rep)
    assert sitting.status == "held"
    assert Action.objects.get(plan=team.plan_mine).title == "Send the pilot proposal"
    assert PlanVersion.objects.filter(plan=team.plan_atlas, reason="review").count() == 1
    context.close()

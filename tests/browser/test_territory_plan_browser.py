"""A rep builds their territory plan in a browser, in Conti's order: starts it from the
list, reads the facts, adds a strategy with a colleague's hours per month, an activity,
revenue objectives for A, B and C accounts, a goal, and activates it. At a phone's width
the page never scrolls sideways (its tables scroll in their own box)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keyplan.people.choices import Role
from keyplan.salesplan.models import TerritoryPlan
from keyplan.salesplan.periods import Period
from keyplan.salesplan.services import quota_save
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, SaleLineFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FY = 2027
SHOTS = "/tmp/keyplan-territory-plan"


def _territory():
    from keyplan.territory.models import AccountTier

    manager = UserFactory(
        username="manager", first_name="Max", last_name="Moreno", role=Role.MANAGER
    )
    team = TeamFactory(name="North", manager=manager)
    rep = UserFactory(
        username="rep",
        first_name="Rita",
        last_name="Reyes",
        role=Role.REP,
        team=team,
        manager=manager,
    )
    UserFactory(
        username="sdr",
        first_name="Sam",
        last_name="Diaz",
        role=Role.REP,
        team=team,
        manager=manager,
    )
    ops = UserFactory(username="ops", role=Role.SALES_OPS)
    quota_save(user=ops, level="rep", rep=rep, period=Period(FY), amount=Decimal(1_000_000))
    for name, tier, revenue in (
        ("Nordic Manufacturing International Holdings", "A", 600_000),
        ("Acme Foods", "B", 250_000),
        ("Small Shop", "C", 40_000),
    ):
        account = AccountFactory(name=name, owner=rep)
        AccountTier.objects.create(account=account, tier=tier, score=60, accepted_at=timezone.now())
        SaleLineFactory(account=account, date=datetime.date(2026, 5, 1), amount=revenue)
    return rep


def _open(page, details_id):
    """Open a folded form (a <details>) if it is not open."""
    details = page.locator(f"#{details_id}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_a_rep_builds_a_territory_plan_in_order(page, live_server):
    _territory()
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/territory-plans/?year={FY}")
    page.get_by_role("button", name="Start my territory plan").first.click()
    page.wait_for_url("**/territory-plans/*/#facts")
    plan = TerritoryPlan.objects.get(rep__username="rep", fiscal_year=FY)
    strip = page.get_by_test_id("step-strip")
    assert "Strategies open once the facts have been read." in strip.inner_text()

    # 1. Facts.
    facts = page.get_by_test_id("section-facts").inner_text()
    assert "Nordic Manufacturing International Holdings" in facts and "Tier A" in facts
    page.get_by_label("What the facts say to you").fill("The A account carries the number")
    page.get_by_role("button", name="I have read the facts").click()
    page.wait_for_url("**#strategies")

    # 2. A strategy with a colleague's hours.
    form = page.get_by_test_id("form-strategy-new")
    form.get_by_label("Title").fill("Partner webinars")
    form.get_by_label("How").fill("Two webinars a quarter with our channel partners")
    form.get_by_label("Partners").check()
    form.get_by_label("A accounts").check()
    form.get_by_label("Accounts it aims at").select_option(label="Acme Foods (B)")
    form.get_by_label("First month").fill("2027-02")
    form.get_by_label("Last month").fill("2027-06")
    form.get_by_role("button", name="Add the strategy").click()
    page.wait_for_url("**#strategies")
    strategy = plan.strategies.get()
    _open(page, f"resource-details-{strategy.pk}")
    form = page.get_by_test_id(f"form-resource-new-{strategy.pk}")
    form.get_by_label("Who").select_option(label="Sam Diaz")
    form.get_by_label("Hours per month").fill("12")
    form.get_by_label("What they do").fill("runs the webinars")
    form.get_by_role("button", name="Add the person").click()
    page.wait_for_url("**#strategies")
    text = page.get_by_test_id("section-strategies").inner_text()
    assert "Partners" in text and "Sam Diaz" in text and "12 h" in text
    assert "partners" not in text.replace("Partners", "").split("Leverages")[1][:20]

    # 3. An activity.
    form = page.get_by_test_id(f"form-activity-new-{strategy.pk}")
    form.get_by_label("What").fill("Book the first webinar")
    form.get_by_label("Owner").select_option(label="Rita Reyes")
    form.get_by_label("Due").fill("2027-02-15")
    form.get_by_label("Effort (hours)").fill("6")
    form.get_by_role("button", name="Add the activity").click()
    page.wait_for_url("**#activities")

    # 4. Objectives: revenue from A, B and C accounts.
    for tier, target in (("A", "600,000"), ("B", "400,000"), ("C", "200,000")):
        _open(page, "objective-new")
        form = page.get_by_test_id("form-objective-new")
        form.get_by_label("What it measures").select_option(label="Revenue from a tier")
        form.get_by_label("Tier, channel or segment").select_option(f"{tier}")
        form.get_by_label("Target").fill(target)
        form.get_by_label("Partner webinars").check()
        form.get_by_role("button", name="Add the objective").click()
        page.wait_for_url("**#objectives")
    objectives = page.get_by_test_id("section-objectives").inner_text()
    assert "600,000 USD" in objectives and "Together 1,200,000 USD." in objectives

    # 5. A goal, then activate.
    form = page.get_by_test_id("form-goal-new")
    form.get_by_label("Goal").fill("Become the partner of record in the north")
    form.get_by_role("button", name="Add the goal").click()
    page.wait_for_url("**#goals")
    assert page.get_by_test_id("step-strip").inner_text().count("✓ done") == 5
    page.screenshot(path=f"{SHOTS}-1280.png", full_page=True)
    page.get_by_test_id("activate").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Active")
    plan.refresh_from_db()
    assert plan.status == "active" and plan.versions.count() == 1
    feed = page.get_by_test_id("feed").inner_text()
    assert "Rita Reyes activated the territory plan" in feed

    # On a phone: nothing reaches past the screen's edge.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_load_state("load")
    page.screenshot(path=f"{SHOTS}-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/territory-plans/?year={FY}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "All five steps done" in page.get_by_test_id("territory-plans").inner_text()


def test_a_long_unbroken_title_does_not_push_the_page_sideways_at_390(page, live_server):
    """An activity titled with one long word (a pasted link, a reference) is named in the
    activity feed and the comparison of versions: at a phone's width both wrap it instead
    of widening the page."""
    from keyplan.salesplan.territory import services

    rep = _territory()
    plan = services.territory_plan_create(user=rep, rep=rep, fiscal_year=FY)
    services.facts_review(user=rep, plan=plan, note="")
    strategy = services.strategy_save(
        user=rep,
        plan=plan,
        data={
            "title": "Grow A",
            "target_tiers": ["A"],
            "first_month": datetime.date(FY, 1, 1),
            "last_month": datetime.date(FY, 12, 1),
        },
    )
    services.resource_save(
        user=rep, strategy=strategy, data={"person": rep.pk, "hours_per_month": Decimal(4)}
    )
    services.territory_version_take(user=rep, plan=plan, note="before the link")
    services.activity_save(
        user=rep,
        plan=plan,
        data={
            "strategy": strategy.pk,
            "title": "https://example.com/" + "x" * 200,
            "owner": rep.pk,
            "due_date": datetime.date(FY, 3, 1),
            "effort_hours": Decimal(2),
        },
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/territory-plans/{plan.pk}/")
    assert "x" * 50 in page.get_by_test_id("feed").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Nor does the comparison of versions that says it was added.
    page.goto(f"{live_server.url}/territory-plans/{plan.pk}/versions/?old=1&new=now")
    assert "x" * 50 in page.get_by_test_id("comparison").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_facts_figures_stay_inside_their_boxes_at_390(page, live_server):
    """Billions in the facts' figures (“4,852,819,996 USD”, computed figures read to the
    unit): at a phone's width each figure stays inside its box (a box too narrow for it
    takes its own row)."""
    from keyplan.salesplan.territory import services

    rep = _territory()
    big = AccountFactory(name="Big Buyer", owner=rep)
    SaleLineFactory(account=big, date=datetime.date(2026, 6, 1), amount=Decimal("4852819995.95"))
    plan = services.territory_plan_create(user=rep, rep=rep, fiscal_year=FY)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/territory-plans/{plan.pk}/")
    assert "4,852,819,996 USD" in page.get_by_test_id("section-facts").inner_text()
    past_the_edge = page.evaluate(
        """() => [...document.querySelectorAll('.kpi')].filter(k => {
             const box = k.getBoundingClientRect(), v = k.querySelector('.value');
             const range = document.createRange(); range.selectNodeContents(v);
             return range.getBoundingClientRect().right > box.right - 1;
           }).map(k => k.textContent.trim())"""
    )
    assert past_the_edge == []

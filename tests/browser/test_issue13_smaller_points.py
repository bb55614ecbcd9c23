"""Issue 13's smaller points as a user sees them in Chromium: overdue opportunities
marked in words on the list (latest close date first), the ICP editor's "did you mean",
who will decide a submitted investment case, the Pareto page's basis, and an idea
becoming an opportunity with a product of its line, linked back to the plan."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keyplan.people.choices import Role
from keyplan.plans import services
from tests.browser.conftest import sign_in
from tests.factories import (
    AccountFactory,
    OpportunityFactory,
    ProductFactory,
    ProductLineFactory,
    SaleLineFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots-g"


@pytest.fixture
def people(db):
    manager = UserFactory(username="mia", first_name="Mia", last_name="Manager", role=Role.MANAGER)
    team = TeamFactory(name="Enterprise", manager=manager)
    rep = UserFactory(
        username="rita", first_name="Rita", last_name="Rep", team=team, manager=manager
    )
    ops = UserFactory(username="olga", first_name="Olga", last_name="Ops", role=Role.SALES_OPS)
    return rep, manager, ops


def _plan(account, rep):
    today = timezone.localdate()
    return services.plan_create(
        account=account,
        user=rep,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        revenue_goal=Decimal("1000000"),
    )


def test_opportunities_list_marks_overdue_deals_latest_first(page, live_server, people):
    rep = people[0]
    account = AccountFactory(name="Acme", owner=rep)
    today = timezone.localdate()
    created = today - datetime.timedelta(days=300)
    for name, days in (("Late renewal", -20), ("Next upsell", 40), ("Far expansion", 200)):
        OpportunityFactory(
            account=account,
            name=name,
            created_date=created,
            close_date=today + datetime.timedelta(days=days),
        )
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/opportunities/")
    names = page.locator("#results tbody tr td:first-child a").all_text_contents()
    assert names == ["Far expansion", "Next upsell", "Late renewal"]
    late = page.locator("#results tbody tr", has_text="Late renewal")
    mark = late.get_by_test_id("overdue")
    assert mark.is_visible() and mark.inner_text() == "⚠ Overdue"
    assert page.get_by_test_id("overdue").count() == 1
    page.screenshot(path=f"{SHOTS}/opportunities-overdue.png", full_page=True)


def test_icp_editor_suggests_the_existing_value_and_uses_it(page, live_server, people):
    AccountFactory(name="Clinic", industry="Healthcare")
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/territory/icp/")
    page.select_option("#id_kind", "industry_in")
    page.fill("#id_values", "Helthcare")
    page.fill("#id_weight", "30")
    page.get_by_role("button", name="Add", exact=True).click()
    did_you_mean = "No account has the industry “Helthcare” (did you mean"
    expect(page.get_by_text(did_you_mean)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/icp-did-you-mean.png", full_page=True)
    page.get_by_test_id("icp-use-suggestion").click()
    expect(page.get_by_test_id("icp-criteria")).to_contain_text("Industry is one of Healthcare")


def test_submitting_an_investment_case_names_who_decides(page, live_server, people):
    rep = people[0]
    plan = _plan(AccountFactory(name="Acme", owner=rep), rep)
    idea = services.element_save(
        kind="idea",
        plan=plan,
        user=rep,
        title="Joint lab",
        annual_value=Decimal("500000"),
        needs_investment=True,
    )
    services.element_save(
        kind="investment",
        plan=plan,
        user=rep,
        idea=idea,
        title="Lab hardware",
        cost=Decimal("100000"),
        expected_return=Decimal("500000"),
    )
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_test_id("submit-case").click()
    who = page.get_by_test_id("who-decides")
    who.wait_for()
    assert who.inner_text().startswith("Waiting for a decision by Mia Manager, who has been asked")
    page.reload()
    assert "Mia Manager" in page.get_by_test_id("who-decides").inner_text()


def test_pareto_page_says_what_the_shares_are_of_and_switches(page, live_server, people):
    product = ProductFactory()
    for name, amount in (("Big", 900), ("Small", 100)):
        SaleLineFactory(
            account=AccountFactory(name=name),
            product=product,
            amount=Decimal(amount),
            date=datetime.date(2025, 6, 15),
        )
    AccountFactory(name="Dormant")
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/territory/?start=2025-01&end=2025-12&scope=territory")
    basis = page.get_by_test_id("pareto-basis")
    assert "Accounts counted: all 3 in scope, 1 of them without revenue" in basis.inner_text()
    page.get_by_test_id("pareto-other-basis").click()
    page.wait_for_url("**basis=with_revenue**")
    text = page.get_by_test_id("pareto-basis").inner_text()
    assert "Accounts counted: the 2 with revenue in the window" in text
    assert page.locator("#id_basis").input_value() == "with_revenue"
    page.screenshot(path=f"{SHOTS}/pareto-basis.png", full_page=True)


def test_idea_becomes_an_opportunity_with_a_product_of_its_line(page, live_server, people):
    rep = people[0]
    line = ProductLineFactory(name="Analytics")
    ProductFactory(name="Dashboards", product_line=line)
    ProductFactory(name="Forecasting", product_line=line)
    plan = _plan(AccountFactory(name="Acme", owner=rep), rep)
    idea = services.element_save(
        kind="idea",
        plan=plan,
        user=rep,
        title="Forecast demand",
        annual_value=Decimal("250000"),
        product_line=line,
        confidence=65,
    )
    services.idea_move(idea=idea, user=rep, stage="qualified")
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    row = page.locator(f"#idea-{idea.pk}")
    row.get_by_test_id("idea-product").select_option(label="Forecasting")
    row.get_by_test_id("move-opportunity").click()
    link = page.locator(f"#idea-{idea.pk} a", has_text="Forecast demand")
    link.wait_for()
    link.click()
    page.wait_for_url("**/opportunities/**")
    body = page.locator("dl.props").inner_text()
    assert "Forecasting" in body and "65%" in body
    page.get_by_test_id("opportunity-idea").get_by_role("link", name="“Forecast demand”").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}#idea-{idea.pk}")
    page.screenshot(path=f"{SHOTS}/idea-opportunity.png")

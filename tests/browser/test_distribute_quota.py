"""Distributing a quota over accounts in a browser, at desktop width and on a phone: the
manager proposes goals by last period's revenue with a stretch, sees the sum against the
quota, changes one account by hand and saves; nothing reaches past the screen's edge."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from keyplan.people.choices import Role
from keyplan.salesplan.models import AccountGoal
from keyplan.salesplan.periods import Period
from keyplan.salesplan.services import quota_save
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, SaleLineFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _book():
    manager = UserFactory(username="manager", role=Role.MANAGER)
    team = TeamFactory(name="Enterprise", manager=manager)
    rep = UserFactory(username="rep", role=Role.REP, team=team, manager=manager)
    ops = UserFactory(username="ops", role=Role.SALES_OPS)
    quota, _ = quota_save(
        user=ops, level="rep", rep=rep, period=Period(2026), amount=Decimal(1_000_000)
    )
    for name, revenue in (
        ("Alpha Manufacturing International", 500_000),
        ("Beta", 300_000),
        ("Gamma", 200_000),
    ):
        account = AccountFactory(name=name, owner=rep)
        SaleLineFactory(account=account, date=datetime.date(2025, 5, 1), amount=revenue)
    return quota


@pytest.mark.parametrize("width", [1280, 390])
def test_a_manager_distributes_a_reps_quota(browser, live_server, width):
    quota = _book()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/quotas/?year=2026")
    page.get_by_role("link", name="Account goals").click()
    page.get_by_label("Propose by").select_option("last_period")
    page.get_by_label("Stretch factor").fill("1.1")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_label("Goal of Beta")).to_have_value("330,000")
    total = page.get_by_test_id("goal-sum").inner_text()
    assert "1,100,000 USD" in total and "110.0% of the quota" in total
    page.get_by_label("Goal of Gamma").fill("250,000")
    page.get_by_role("button", name="Save goals").click()
    saved = page.get_by_test_id("goal-sum").inner_text()
    assert "1,130,000 USD" in saved and "113.0% of the quota" in saved
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    goals = dict(AccountGoal.objects.values_list("account__name", "amount"))
    assert goals == {
        "Alpha Manufacturing International": 550_000,
        "Beta": 330_000,
        "Gamma": 250_000,
    }
    assert quota.rep.account_goals.count() == 3
    context.close()

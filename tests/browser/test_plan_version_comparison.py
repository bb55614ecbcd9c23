"""In the browser: a plan's version comparison reads in words — amounts with the
currency, choices by their label — and shows a changed insight word by word (what was
taken out struck through, what was put in marked), and so does the activity feed."""

from decimal import Decimal

import pytest

from keyplan.people.choices import Role
from keyplan.plans import services
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_version_comparison_reads_in_words_with_a_word_diff(page, live_server, tmp_path):
    rep = UserFactory(username="rob", first_name="Rob", last_name="Kent", role=Role.REP)
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))
    services.plan_update(
        plan=plan,
        user=rep,
        value_perception="They see us as a reliable carrier of spare parts, nothing more.",
    )
    vendor = services.element_save(
        kind="vendor", plan=plan, user=rep, relation="competitor", name="Baltic Freight"
    )
    services.plan_activate(plan=plan, user=rep)  # keeps version 1
    services.plan_update(
        plan=plan,
        user=rep,
        revenue_goal=Decimal("450000"),
        value_perception="They see us as a reliable partner for their whole supply chain, "
        "nothing more.",
    )
    services.element_save(
        kind="vendor", plan=plan, user=rep, instance=vendor, relation="introducer"
    )

    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}/plans/{plan.pk}/versions/")
    page.select_option("#a", "1")
    page.select_option("#b", "0")
    page.get_by_role("button", name="Compare").click()
    comparison = page.get_by_test_id("comparison")
    comparison.wait_for()
    text = comparison.inner_text()
    assert "revenue goal: 400,000 USD → 450,000 USD" in text
    assert (
        "relation to the customer: Competitor in the account → Other vendor who could "
        "introduce us" in text
    )
    insights = page.get_by_test_id("diff-insights")
    assert insights.locator("del").all_inner_texts() == ["carrier of spare parts,"]
    assert insights.locator("ins").all_inner_texts() == ["partner for their whole supply chain,"]
    struck = insights.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in struck
    assert "400000" not in text and "competitor" not in text
    page.screenshot(path=str(tmp_path / "comparison.png"), full_page=True)

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    feed = page.get_by_test_id("activity").inner_text()
    assert "Rob Kent changed plan" in feed
    assert "revenue goal: 400,000 USD → 450,000 USD" in feed
    assert "relation to the customer: Competitor in the account → Other vendor" in feed

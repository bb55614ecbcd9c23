"""In the browser at a phone's width (390 px): a rep comments on their plan, types "@",
picks the manager from the names offered and adds the comment; the manager finds the
mention in the inbox. Mentioning someone who cannot see the account is refused in
words, the text kept."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from keyplan.people.choices import Role
from keyplan.plans import services
from keyplan.plans.models import Comment, Notification
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_adding_a_comment_with_a_mention_at_390_px(page, live_server):
    manager = UserFactory(username="mara", first_name="Mara", last_name="Lind", role=Role.MANAGER)
    team = TeamFactory(name="North", manager=manager)
    rep = UserFactory(
        username="rob",
        first_name="Rob",
        last_name="Kent",
        role=Role.REP,
        team=team,
        manager=manager,
    )
    UserFactory(username="sam", first_name="Sam", last_name="Smith", role=Role.REP)
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}/plans/{plan.pk}/#comments")
    box = page.get_by_test_id("comment-input")
    box.click()
    box.press_sequentially("@sam please look")
    page.get_by_test_id("comment-submit").click()
    error = page.get_by_test_id("comment-error")
    expect(error).to_have_text("Sam Smith cannot see Nordwind Logistics, so cannot be mentioned.")
    expect(page.get_by_test_id("comment-input")).to_have_value("@sam please look")
    assert not Comment.objects.exists()

    box = page.get_by_test_id("comment-input")
    box.fill("")
    box.press_sequentially("Can you join the kick-off, @ma")
    options = page.get_by_test_id("mention-list").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Mara Lind (@mara)")
    options.first.click()
    expect(box).to_have_value("Can you join the kick-off, @mara ")
    box.press_sequentially("?")
    page.get_by_test_id("comment-submit").click()

    comment = page.get_by_test_id("comment")
    expect(comment).to_have_count(1)
    expect(comment.get_by_test_id("comment-text")).to_have_text(
        "Can you join the kick-off, @Mara Lind ?"  # read as the name, not the username
    )
    expect(comment.get_by_test_id("comment-mentions")).to_have_text("Mentioned: Mara Lind")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the plan page is {width} px wide at 390 px"
    assert Notification.objects.filter(recipient=manager, text__contains="kick-off").exists()


def test_the_new_offering_requests_fit_390_px(page, live_server):
    rep = UserFactory(username="rob", first_name="Rob", last_name="Kent", role=Role.REP)
    account = AccountFactory(name="Nordwind Logistics International Holding", owner=rep)
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))
    services.element_save(
        kind="idea",
        plan=plan,
        user=rep,
        title="One screen for every vendor's machines in all warehouses",
        annual_value=Decimal("120000"),
        needs_new_offering=True,
        new_offering_need="They want the conveyors of other vendors monitored beside ours.",
        new_offering_category="Multi-vendor monitoring",
    )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}/new-offerings/")
    need = page.get_by_test_id("offering-need")
    expect(need).to_have_count(1)
    expect(need.get_by_role("heading")).to_have_text("Multi-vendor monitoring")
    expect(need.get_by_test_id("need-account")).to_contain_text("120,000 USD a year")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide at 390 px"

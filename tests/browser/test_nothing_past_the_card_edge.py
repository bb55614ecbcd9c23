"""In the browser at 1280 px: a row's buttons stay inside their card and inside their
row. The ideas table (moves, a menu of opportunities with long names, edit, remove) used
to run past the plan card's right edge, its action cells' borders off the rows', and the
ICP editor's "Remove" buttons were half hidden under the next card, and the map's
executive pairings hid their "Remove" past the card's edge behind round status blobs."""

from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.people.choices import Role
from keyplan.plans import services
from keyplan.territory.generator.starting import STARTING_CRITERIA
from keyplan.territory.services import icp_save
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots-i"

# Every button, link-button and menu of a card: its box and the card's, and for one in
# a table cell, the cell's and its row's bottom edges.
OUTSIDE = """card => {
  const box = card.getBoundingClientRect();
  return [...card.querySelectorAll('button, .button, select')].filter(el => {
    const r = el.getBoundingClientRect();
    if (!r.width) return false;
    let clip = el.parentElement;  // a scrolling box inside the card hides what is past it
    while (clip && clip !== card && getComputedStyle(clip).overflowX === 'visible') {
      clip = clip.parentElement;
    }
    const edge = clip.getBoundingClientRect();
    return r.right > Math.min(box.right, edge.right) + 0.5 || r.left < box.left - 0.5;
  }).map(el => el.textContent.trim() || el.name);
}"""
OFF_ROW = """card => [...card.querySelectorAll('td')].filter(td => {
  const cell = td.getBoundingClientRect(), row = td.parentElement.getBoundingClientRect();
  return cell.height && Math.abs(cell.bottom - row.bottom) > 0.5;
}).map(td => td.textContent.trim().slice(0, 30))"""


def test_the_ideas_table_keeps_its_buttons_inside_the_card(page, live_server):
    rep = UserFactory(username="rita", first_name="Rita", last_name="Rep")
    account = AccountFactory(name="Orbit Silver Markets", owner=rep)
    today = timezone.localdate()
    plan = services.plan_create(
        account=account,
        user=rep,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        revenue_goal=Decimal("1000000"),
    )
    OpportunityFactory(
        account=account,
        owner=rep,
        name="Orbit Silver Markets Operations South Budget Centre 1 — Cloud Storage (expansion)",
    )
    for n, title in enumerate(["Move the merchandising systems to the cloud", "Data academy"]):
        idea = services.element_save(
            kind="idea",
            plan=plan,
            user=rep,
            title=title,
            problem_statement=(
                "The merchandising systems run on hardware out of support, and every "
                "change needs a maintenance weekend."
            ),
            root_cause="The data centre contract and the hardware were renewed out of habit.",
            annual_value=Decimal("9250000") - n,
            partner_name="Kestrel Integration Partners",
        )
        services.idea_move(idea=idea, user=rep, stage="qualified")

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    ideas = page.locator("#ideas")
    ideas.get_by_test_id("move-opportunity").first.wait_for()
    ideas.screenshot(path=f"{SHOTS}/ideas-inside-card.png")
    assert ideas.evaluate(OUTSIDE) == []
    assert ideas.evaluate(OFF_ROW) == []


def test_the_icp_criteria_keep_their_remove_buttons_in_view(page, live_server):
    ops = UserFactory(username="olga", first_name="Olga", last_name="Ops", role=Role.SALES_OPS)
    icp_save(user=ops, note="Starting profile", criteria=STARTING_CRITERIA)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/territory/icp/")
    criteria = page.locator("section.card", has=page.get_by_test_id("icp-criteria"))
    criteria.screenshot(path=f"{SHOTS}/icp-criteria.png")
    assert criteria.get_by_role("button", name="Remove").count() == len(STARTING_CRITERIA)
    assert criteria.evaluate(OUTSIDE) == []


def test_the_executive_pairings_keep_their_remove_buttons_in_view(page, live_server):
    rep = UserFactory(username="rita", first_name="Rita", last_name="Rep")
    account = AccountFactory(name="Maple Falcon Software", owner=rep)
    today = timezone.localdate()
    plan = services.plan_create(
        account=account,
        user=rep,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        revenue_goal=Decimal("1000000"),
    )
    for first, last, title in [
        ("Karin", "Gomez", "Chief Executive Officer"),
        ("Priya", "Andersen", "Finance Director"),
    ]:
        services.element_save(
            kind="pairing",
            plan=plan,
            user=rep,
            our_executive=UserFactory(first_name=first, last_name=last, role=Role.EXECUTIVE),
            their_executive=ContactFactory(account=account, title=title),
        )

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/plans/{plan.pk}/map/")
    pairings = page.get_by_test_id("pairings")
    pairings.screenshot(path=f"{SHOTS}/pairings.png")
    assert pairings.get_by_role("button", name="Remove").count() == 2
    assert pairings.evaluate(OUTSIDE) == []

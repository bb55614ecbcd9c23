"""A calendar subscribed to the feed follows the plan: a moved action keeps its UID and
moves (with a higher SEQUENCE), a done, deleted or reached one disappears."""

from keyplan.plans import services
from keyplan.rhythm.feed import site_host
from tests.rhythm.conftest import add_action, days
from tests.rhythm.feed_helpers import events, read_feed, start


def test_moved_done_and_deleted_actions(org, plan):
    host = site_host()
    moved = add_action(plan, org.rep, "Quarterly business review", days(10))
    done = add_action(plan, org.rep, "Send the minutes", days(11))
    deleted = add_action(plan, org.rep, "Book the venue", days(12))
    milestone = services.element_save(
        kind="milestone", plan=plan, user=org.rep, title="Pilot signed", date=days(40)
    )
    before = events(org.rep)
    uid = f"action-{moved.pk}@{host}"
    assert start(before[uid]) == days(10)
    sequence = int(before[uid]["SEQUENCE"])

    moved = services.element_save(
        kind="action", plan=plan, user=org.rep, instance=moved, due_date=days(17)
    )
    services.element_save(kind="action", plan=plan, user=org.rep, instance=done, status="done")
    services.element_delete(kind="action", plan=plan, user=org.rep, instance=deleted)
    services.element_save(
        kind="milestone", plan=plan, user=org.rep, instance=milestone, reached=True
    )

    after = events(org.rep)
    assert start(after[uid]) == days(17)  # the same event, moved
    assert int(after[uid]["SEQUENCE"]) > sequence
    assert after[uid].decoded("LAST-MODIFIED") >= before[uid].decoded("LAST-MODIFIED")
    assert set(after) == {uid}


def test_an_archived_plan_leaves_the_calendar(org, plan):
    add_action(plan, org.rep, "Quarterly business review", days(10))
    assert len(events(org.rep)) == 1
    plan.status = "archived"
    plan.save()
    assert events(org.rep) == {}


def test_dates_outside_the_window_are_left_out(org, plan):
    """90 days back, 18 months ahead: an old overdue action is not carried forever."""
    add_action(plan, org.rep, "Recent", days(-20))
    add_action(plan, org.rep, "Long overdue", days(-100), confirm_outside_period=True)
    add_action(plan, org.rep, "Far ahead", days(600), confirm_outside_period=True)
    titles = {str(e["SUMMARY"]) for e in read_feed(org.rep).walk("VEVENT")}
    assert titles == {"Recent (Mine Group)"}

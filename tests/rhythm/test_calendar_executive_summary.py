"""An executive meeting whose subject already says "Executive …" keeps its words in the
calendar: "Executive dinner (Mine Group)", not "Executive meeting: Executive dinner
(Mine Group)"; any other subject still says what kind of executive contact it is."""

from keyplan.rhythm.feed import site_host
from tests.factories import InteractionFactory
from tests.rhythm.conftest import days
from tests.rhythm.feed_helpers import events


def test_the_summary_does_not_say_executive_twice(org, plan):
    dinner = InteractionFactory(
        account=org.mine, kind="meeting", date=days(30), subject="Executive dinner",
        is_executive=True,
    )  # fmt: skip
    call = InteractionFactory(
        account=org.mine, kind="call", date=days(31), subject="Priorities for the year",
        is_executive=True,
    )  # fmt: skip
    for meeting in (dinner, call):
        meeting.participants.add(org.executive)
    host = site_host()
    found = events(org.executive)
    assert str(found[f"executive-meeting-{dinner.pk}@{host}"]["SUMMARY"]) == (
        "Executive dinner (Mine Group)"
    )
    assert str(found[f"executive-meeting-{call.pk}@{host}"]["SUMMARY"]) == (
        "Executive call: Priorities for the year (Mine Group)"
    )

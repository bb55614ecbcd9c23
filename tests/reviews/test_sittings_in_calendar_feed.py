"""A quarterly review sitting reaches the calendars of the people who attend it — the
rep presenting, the manager chairing, the team of a plan on the agenda — as a timed
meeting that moves when the sitting is moved and disappears when it is cancelled; an
executive who may read every sitting does not get them in their calendar."""

import datetime

import pytest

from keyplan.reviews import services
from tests.factories import AccountTeamMemberFactory
from tests.reviews.conftest import MON, Q1, at
from tests.rhythm.feed_helpers import events

pytestmark = pytest.mark.django_db


def test_the_sitting_is_a_timed_meeting_for_those_who_attend(team):
    # rep2 helps on Atlas Freight (its account team, so they see it) and its plan.
    AccountTeamMemberFactory(account=team.atlas, user=team.rep2)
    team.plan_atlas.team.add(team.rep2)
    sitting = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9)
    )
    uid = f"review-{sitting.pk}@127.0.0.1"
    event = events(team.rep)[uid]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start, end) == (at(MON, 9), at(MON, 10))  # two plans, 30 minutes each
    assert str(event["SUMMARY"]) == f"Quarterly review: {team.rep} · 2 plans"
    assert "1. Atlas Freight\n2. Mine Group" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(sitting.get_absolute_url())
    assert str(event["TRANSP"]) == "OPAQUE"
    assert uid in events(team.manager)
    # rep2 is on Atlas Freight's team only: told of that plan, linked to it.
    theirs = events(team.rep2)[uid]
    assert str(theirs["SUMMARY"]) == f"Quarterly review: {team.rep} · 1 plan"
    assert "Atlas Freight" in str(theirs["DESCRIPTION"])
    assert "Mine Group" not in str(theirs["DESCRIPTION"])
    assert str(theirs["URL"]).endswith(f"/plans/{team.plan_atlas.pk}/")
    assert uid not in events(team.executive)  # sees every sitting, attends none
    assert uid not in events(team.other)

    moved = services.sitting_update(
        sitting=sitting,
        user=team.manager,
        version=sitting.version,
        starts_at=at(MON + datetime.timedelta(days=1), 14),
        minutes=60,
    )
    event = events(team.rep)[uid]
    assert event.decoded("DTSTART") == at(MON + datetime.timedelta(days=1), 14)
    assert int(event["SEQUENCE"]) > 0

    services.sitting_cancel(sitting=moved, user=team.manager, version=moved.version)
    assert uid not in events(team.rep)

"""``sittings_between(user, start, end)``: the selector a calendar feed publishes
sittings from — what the user sees, overlapping the window, cancelled ones left out,
the agenda read with it."""

import datetime

import pytest

from keyplan.reviews import services
from keyplan.reviews.selectors import sittings_between
from tests.reviews.conftest import MON, Q1, at

pytestmark = pytest.mark.django_db


def test_the_window_the_people_and_cancellations(team, django_assert_max_num_queries):
    mine = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9)
    )
    theirs = services.sitting_schedule(
        user=team.manager, rep=team.rep2, period=Q1, starts_at=at(MON, 11)
    )
    tuesday = MON + datetime.timedelta(days=1)
    window = (at(MON, 9, 30), at(tuesday, 0))  # starts inside the rep's 09:00-10:00
    with django_assert_max_num_queries(3):
        found = sittings_between(team.manager, *window)
        agenda = [[i.plan.account.name for i in s.agenda] for s in found]
    assert found == [mine, theirs]
    assert agenda == [["Atlas Freight", "Mine Group"], ["Teammate Corp"]]
    assert sittings_between(team.rep, *window) == [mine]
    assert sittings_between(team.other, *window) == []
    assert sittings_between(team.executive, *window) == [mine, theirs]
    assert sittings_between(team.manager, at(MON, 10), at(MON, 11)) == []  # touching ends
    services.sitting_cancel(sitting=theirs, user=team.manager, version=theirs.version)
    assert sittings_between(team.manager, *window) == [mine]

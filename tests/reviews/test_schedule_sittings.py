"""A manager schedules the quarter's reviews: keyplan proposes one sitting per rep of
their team, the manager confirms or adjusts; a clash, a day outside the quarter or a
second sitting for the same rep is refused with the reason and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keyplan.reviews import selectors, services
from keyplan.reviews.models import ReviewItem, ReviewSitting
from tests.reviews.conftest import BEFORE_Q1, MON, Q1, at

pytestmark = pytest.mark.django_db


def test_the_proposal_holds_every_active_plan_of_each_rep_half_an_hour_each(team):
    plan = selectors.quarter_plan(user=team.manager, period=Q1, now=BEFORE_Q1)
    rows = {row.rep.username: row for row in plan.rows}
    assert set(rows) == {"rep", "rep2"}  # not the rep of another team
    assert [p.account.name for p in rows["rep"].plans] == ["Atlas Freight", "Mine Group"]
    # Names sort the reps (factory names), each gets the first free slot after the other.
    slots = sorted((r.slot.start, r.slot.minutes, name) for name, r in rows.items())
    first, second = slots
    assert first[0] == at(MON, 9)
    assert second[0] == first[0] + datetime.timedelta(minutes=first[1])
    assert {s[2]: s[1] for s in slots} == {"rep": 60, "rep2": 30}


def test_the_proposal_avoids_sittings_already_in_the_calendar(team):
    # The manager already chairs rep2's review on Monday 09:00-09:30.
    services.sitting_schedule(user=team.manager, rep=team.rep2, period=Q1, starts_at=at(MON, 9))
    plan = selectors.quarter_plan(user=team.manager, period=Q1, now=BEFORE_Q1)
    rows = {row.rep.username: row for row in plan.rows}
    assert rows["rep2"].sitting is not None and rows["rep2"].slot is None
    assert rows["rep"].slot.start == at(MON, 9, 30)  # after the manager's 09:00-09:30


def test_the_proposal_avoids_a_day_the_rep_meets_a_customer(team):
    from tests.factories import InteractionFactory

    meeting = InteractionFactory(account=team.mine, date=MON)
    meeting.participants.add(team.rep)
    plan = selectors.quarter_plan(user=team.manager, period=Q1, now=BEFORE_Q1)
    rows = {row.rep.username: row for row in plan.rows}
    assert rows["rep"].slot.start.date() == MON + datetime.timedelta(days=1)
    assert rows["rep2"].slot.start == at(MON, 9)


def test_scheduling_creates_the_sitting_with_its_agenda(team):
    sitting = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 10), location="Room 4"
    )
    assert (sitting.minutes, sitting.status, sitting.location) == (60, "scheduled", "Room 4")
    assert [i.plan.account.name for i in sitting.items.order_by("order")] == [
        "Atlas Freight",
        "Mine Group",
    ]
    assert sitting.changes.get().summary == "scheduled for 2027-01-04 10:00, 60 minutes, 2 plans"
    told = team.rep.notifications.get()
    assert told.text == (
        f"{team.manager} scheduled your Q1 FY 2027 review of 2 plans: 2027-01-04 10:00, 60 minutes."
    )
    assert told.url == f"/reviews/{sitting.pk}/"


@pytest.mark.parametrize(
    "starts_at, message",
    [
        # rep2's sitting with the same manager runs 09:00-09:30
        (at(MON, 9, 15), "2027-01-04 09:15 overlaps"),
        (at(datetime.date(2027, 4, 1), 9), "2027-04-01 is outside Q1 FY 2027"),
    ],
)
def test_a_clash_or_a_day_outside_the_quarter_is_refused(team, starts_at, message):
    services.sitting_schedule(user=team.manager, rep=team.rep2, period=Q1, starts_at=at(MON, 9))
    with pytest.raises(ValidationError) as refused:
        services.sitting_schedule(
            user=team.manager, rep=team.rep, period=Q1, starts_at=starts_at, minutes=60
        )
    assert message in " ".join(refused.value.messages)
    assert ReviewSitting.objects.filter(rep=team.rep).count() == 0


def test_a_second_sitting_for_the_same_rep_and_quarter_is_refused(team):
    services.sitting_schedule(user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9))
    with pytest.raises(ValidationError) as refused:
        services.sitting_schedule(user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 14))
    assert "already has a Q1 FY 2027 review" in refused.value.messages[0]
    assert ReviewItem.objects.count() == 2


def test_only_the_reps_managers_schedule(team):
    for user, rep in [(team.rep2, team.rep), (team.rep, team.rep), (team.manager, team.other)]:
        with pytest.raises(PermissionDenied):
            services.sitting_schedule(user=user, rep=rep, period=Q1, starts_at=at(MON, 9))
    assert not ReviewSitting.objects.exists()


def test_moving_a_sitting_checks_the_version_and_the_calendar_again(team):
    rep2 = services.sitting_schedule(
        user=team.manager, rep=team.rep2, period=Q1, starts_at=at(MON, 9)
    )
    mine = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 11)
    )
    with pytest.raises(ValidationError) as clash:
        services.sitting_update(
            sitting=mine, user=team.manager, version=mine.version, starts_at=at(MON, 9), minutes=60
        )
    assert "overlaps" in clash.value.messages[0]
    moved = services.sitting_update(
        sitting=mine, user=team.manager, version=mine.version, starts_at=at(MON, 14), minutes=60
    )
    assert moved.starts_at == at(MON, 14) and moved.version == 2
    with pytest.raises(ValidationError) as stale:
        services.sitting_update(
            sitting=mine, user=team.manager, version=1, starts_at=at(MON, 15), minutes=60
        )
    assert "moved to 2027-01-04 14:00" in stale.value.messages[0]
    assert "Your changes were not saved" in stale.value.messages[0]
    assert ReviewSitting.objects.get(pk=mine.pk).starts_at == at(MON, 14)
    assert rep2.starts_at == at(MON, 9)


def test_working_hours_are_the_managers_own_time_zone(team):
    from keyplan.rhythm.models import PersonalSettings

    PersonalSettings.objects.create(user=team.manager, time_zone="Europe/Berlin")
    plan = selectors.quarter_plan(user=team.manager, period=Q1, now=BEFORE_Q1)
    first = min(row.slot.start for row in plan.rows)
    assert first == at(MON, 8)  # 09:00 in Berlin is 08:00 UTC in January

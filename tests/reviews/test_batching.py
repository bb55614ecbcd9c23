"""The batching of a quarter's reviews (reviews.schedule.propose), on schedules checked
by hand: one sitting per rep, half an hour per plan, in working hours on working days,
clear of the manager's and the rep's other sittings."""

import datetime
from zoneinfo import ZoneInfo

from keyplan.reviews.schedule import Hours, Request, propose

UTC = ZoneInfo("UTC")
MANAGER, ANA, BEN, CAI = 1, 2, 3, 4
MON = datetime.date(2027, 1, 4)  # Q1 FY 2027's first Monday


def at(day: datetime.date, hh: int, mm: int = 0, tz=UTC) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hh, mm), tzinfo=tz)


def times(proposal) -> dict[int, tuple[str, str]]:
    return {
        s.rep_id: (s.start.strftime("%a %Y-%m-%d %H:%M"), s.end.strftime("%H:%M"))
        for s in proposal.slots
    }


def test_reps_are_placed_back_to_back_from_the_first_working_morning():
    proposal = propose(
        [Request(ANA, 3), Request(BEN, 2), Request(CAI, 1)],
        manager_id=MANAGER,
        first_day=MON,
        last_day=MON + datetime.timedelta(days=80),
    )
    assert times(proposal) == {
        ANA: ("Mon 2027-01-04 09:00", "10:30"),  # 3 plans x 30 minutes
        BEN: ("Mon 2027-01-04 10:30", "11:30"),
        CAI: ("Mon 2027-01-04 11:30", "12:00"),
    }
    assert proposal.unplaced == []


def test_the_managers_and_the_reps_other_sittings_are_avoided():
    busy = {
        MANAGER: [(at(MON, 9), at(MON, 12))],  # another team's reviews all morning
        BEN: [(at(MON, 14), at(MON, 15))],  # Ben presents to someone else at 14:00
    }
    proposal = propose(
        [Request(ANA, 3), Request(BEN, 2), Request(CAI, 1)],
        manager_id=MANAGER,
        first_day=MON,
        last_day=MON + datetime.timedelta(days=30),
        busy=busy,
    )
    # Ana: the first 90 free minutes after the manager's morning, 12:00-13:30.
    # Ben: 13:30, 14:00 and 14:30 would overlap his 14:00-15:00, so 15:00-16:00.
    # Cai: 13:30-14:00 is still free for the manager (Ben's slot moved past it).
    assert times(proposal) == {
        ANA: ("Mon 2027-01-04 12:00", "13:30"),
        BEN: ("Mon 2027-01-04 15:00", "16:00"),
        CAI: ("Mon 2027-01-04 13:30", "14:00"),
    }
    for slot in proposal.slots:
        for a, b in busy[MANAGER] + busy.get(slot.rep_id, []):
            assert not (slot.start < b and a < slot.end)


def test_a_sitting_ends_by_the_end_of_the_day_and_weekends_are_skipped():
    friday = datetime.date(2027, 1, 8)
    proposal = propose(
        [Request(ANA, 2), Request(BEN, 3)],
        manager_id=MANAGER,
        first_day=friday,
        last_day=friday + datetime.timedelta(days=10),
        busy={MANAGER: [(at(friday, 9), at(friday, 16))]},
    )
    assert times(proposal) == {
        ANA: ("Fri 2027-01-08 16:00", "17:00"),  # the last hour of Friday fits two plans
        BEN: ("Mon 2027-01-11 09:00", "10:30"),  # 90 minutes do not: Monday, not Saturday
    }


def test_a_day_the_rep_meets_customers_is_avoided_when_another_day_fits():
    proposal = propose(
        [Request(ANA, 1)],
        manager_id=MANAGER,
        first_day=MON,
        last_day=MON + datetime.timedelta(days=10),
        busy_days={ANA: [MON]},
    )
    assert times(proposal) == {ANA: ("Tue 2027-01-05 09:00", "09:30")}
    only_monday = propose(
        [Request(ANA, 1)],
        manager_id=MANAGER,
        first_day=MON,
        last_day=MON,
        busy_days={ANA: [MON]},
    )
    assert times(only_monday) == {ANA: ("Mon 2027-01-04 09:00", "09:30")}


def test_nothing_starts_before_now_and_starts_fall_on_the_half_hour():
    proposal = propose(
        [Request(ANA, 1)],
        manager_id=MANAGER,
        first_day=MON,
        last_day=MON + datetime.timedelta(days=5),
        earliest=at(MON, 10, 10),
    )
    assert times(proposal) == {ANA: ("Mon 2027-01-04 10:30", "11:00")}


def test_working_hours_are_read_in_the_installations_time_zone():
    berlin = ZoneInfo("Europe/Berlin")
    proposal = propose(
        [Request(ANA, 2)],
        manager_id=MANAGER,
        first_day=MON,
        last_day=MON,
        hours=Hours(tz=berlin, start=datetime.time(9), end=datetime.time(17)),
        busy={MANAGER: [(at(MON, 8), at(MON, 9))]},  # 09:00-10:00 in Berlin
    )
    slot = proposal.slots[0]
    assert slot.start == at(MON, 10, tz=berlin)
    assert slot.start.astimezone(UTC).hour == 9  # 10:00 in Berlin is 09:00 UTC in January


def test_a_rep_who_cannot_be_placed_is_returned_with_the_reason():
    proposal = propose(
        [Request(ANA, 17), Request(BEN, 2), Request(CAI, 0)],
        manager_id=MANAGER,
        first_day=MON,
        last_day=MON,
        busy={MANAGER: [(at(MON, 9), at(MON, 16, 30))]},
    )
    reasons = {u.rep_id: u.reason for u in proposal.unplaced}
    assert proposal.slots == []
    assert "17 plans at 30 minutes each take 8 h 30, more than a working day" in reasons[ANA]
    assert reasons[BEN] == (
        "No free 60 minutes left in working hours (09:00–17:00) between 2027-01-04 and "
        "2027-01-04 for both of them."
    )
    assert CAI not in reasons  # no plan, nothing to review


def test_minutes_per_plan_is_a_setting_of_the_caller():
    proposal = propose(
        [Request(ANA, 3)],
        manager_id=MANAGER,
        first_day=MON,
        last_day=MON,
        minutes_per_plan=45,
    )
    assert times(proposal) == {ANA: ("Mon 2027-01-04 09:00", "11:15")}

"""The batching of a quarter's reviews, as a pure function: one sitting per rep holding
all their plans, placed in the first free slot of the quarter.

No database here: the caller (``selectors.quarter_proposal``) reads who has which plans
and who is busy when, and this module only places sittings, so the rules are tested on
hand-checked schedules (tests/reviews/test_batching.py).

The rules, in order:
* a sitting lasts ``minutes_per_plan`` × the rep's plans (the SAP article's half hour
  per plan, setting ``KEYPLAN_REVIEW_MINUTES_PER_PLAN``);
* it starts on a working day (Monday to Friday) between ``first_day`` and ``last_day``,
  at a multiple of ``step_minutes`` from the start of working hours, and ends by the end
  of working hours (09:00-17:00 in the installation's time zone by default);
* it overlaps nothing the manager or the rep already has (their other sittings, and
  the sittings proposed before it in the same batch);
* a day on which the rep has a customer meeting on record is avoided when another day
  fits (meetings in keyplan carry a date, not a time, so the whole day counts as busy);
* reps are placed in the order given; a rep whose sitting cannot fit in one working
  day, or finds no free slot in the quarter, is returned with the reason.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

Interval = tuple[datetime.datetime, datetime.datetime]


@dataclass(frozen=True)
class Request:
    """A rep to review and how many plans they present."""

    rep_id: int
    plans: int


@dataclass(frozen=True)
class Slot:
    rep_id: int
    start: datetime.datetime
    end: datetime.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Unplaced:
    rep_id: int
    reason: str


@dataclass
class Proposal:
    slots: list[Slot] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)


@dataclass(frozen=True)
class Hours:
    """Working hours and days, in one time zone."""

    tz: datetime.tzinfo = ZoneInfo("UTC")
    start: datetime.time = datetime.time(9, 0)
    end: datetime.time = datetime.time(17, 0)
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    @property
    def words(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def _overlaps(start, end, intervals: Iterable[Interval]) -> bool:
    return any(start < b and a < end for a, b in intervals)


def _days(first: datetime.date, last: datetime.date, hours: Hours):
    day = first
    while day <= last:
        if day.weekday() in hours.working_days:
            yield day
        day += datetime.timedelta(days=1)


def _first_free(
    *,
    duration: datetime.timedelta,
    days: list[datetime.date],
    taken: list[Interval],
    hours: Hours,
    step: datetime.timedelta,
    not_after: datetime.datetime | None,
):
    for day in days:
        start = datetime.datetime.combine(day, hours.start, tzinfo=hours.tz)
        close = datetime.datetime.combine(day, hours.end, tzinfo=hours.tz)
        while start + duration <= close:
            if (not_after is None or start >= not_after) and not _overlaps(
                start, start + duration, taken
            ):
                return start
            start += step
    return None


def propose(
    requests: Iterable[Request],
    *,
    manager_id: int,
    first_day: datetime.date,
    last_day: datetime.date,
    busy: Mapping[int, Iterable[Interval]] | None = None,
    busy_days: Mapping[int, Iterable[datetime.date]] | None = None,
    minutes_per_plan: int = 30,
    hours: Hours = Hours(),
    step_minutes: int = 30,
    earliest: datetime.datetime | None = None,
) -> Proposal:
    """Place one sitting per request (see the module's rules). ``busy`` holds each
    person's taken intervals (aware datetimes), ``busy_days`` the days a person has a
    customer meeting; ``earliest`` is the first moment a sitting may start (now, when
    the quarter has begun)."""
    taken: dict[int, list[Interval]] = {k: list(v) for k, v in (busy or {}).items()}
    avoid = {k: set(v) for k, v in (busy_days or {}).items()}
    days = list(_days(first_day, last_day, hours))
    step = datetime.timedelta(minutes=step_minutes)
    out = Proposal()
    for request in requests:
        if request.plans < 1:
            continue
        minutes = request.plans * minutes_per_plan
        if minutes > hours.minutes:
            out.unplaced.append(
                Unplaced(
                    request.rep_id,
                    f"{request.plans} plans at {minutes_per_plan} minutes each take "
                    f"{minutes // 60} h {minutes % 60:02d}, more than a working day "
                    f"({hours.words}): schedule two sittings by hand.",
                )
            )
            continue
        duration = datetime.timedelta(minutes=minutes)
        both = taken.get(manager_id, []) + taken.get(request.rep_id, [])
        quiet = [d for d in days if d not in avoid.get(request.rep_id, ())]
        start = _first_free(
            duration=duration, days=quiet, taken=both, hours=hours, step=step, not_after=earliest
        )
        if start is None and len(quiet) < len(days):
            start = _first_free(
                duration=duration, days=days, taken=both, hours=hours, step=step, not_after=earliest
            )
        if start is None:
            out.unplaced.append(
                Unplaced(
                    request.rep_id,
                    f"No free {minutes} minutes left in working hours ({hours.words}) "
                    f"between {first_day:%Y-%m-%d} and {last_day:%Y-%m-%d} for both of them.",
                )
            )
            continue
        slot = Slot(request.rep_id, start, start + duration)
        out.slots.append(slot)
        for person in {manager_id, request.rep_id}:
            taken.setdefault(person, []).append((slot.start, slot.end))
    return out

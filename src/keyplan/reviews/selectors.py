"""Reads for quarterly reviews: the quarter's proposal for a manager, each rep's review
status for the team board, one plan's brief in review mode, and ``sittings_between`` —
the selector a calendar feed calls to publish sittings (README, "Quarterly reviews")."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone

from keyplan.reviews import schedule
from keyplan.reviews.choices import SittingStatus
from keyplan.reviews.models import ReviewItem, ReviewSitting
from keyplan.salesplan.periods import Period

# A sitting is at most this long (services refuse longer ones), so a window's sittings
# are found by their start alone.
MAX_MINUTES = 600


def minutes_per_plan() -> int:
    return int(getattr(settings, "KEYPLAN_REVIEW_MINUTES_PER_PLAN", 30))


def time_zone_of(person) -> ZoneInfo:
    """The person's own time zone (their personal settings), else the installation's."""
    from keyplan.rhythm.models import PersonalSettings

    chosen = (
        PersonalSettings.objects.filter(user_id=getattr(person, "pk", None))
        .values_list("time_zone", flat=True)
        .first()
    )
    return ZoneInfo(chosen or settings.TIME_ZONE)


def working_hours(person=None) -> schedule.Hours:
    """``KEYPLAN_REVIEW_HOURS`` ("09:00-17:00") in ``person``'s time zone (the manager's,
    who chairs the sittings), else the installation's."""
    raw = str(getattr(settings, "KEYPLAN_REVIEW_HOURS", "09:00-17:00"))
    try:
        first, last = (datetime.time.fromisoformat(p.strip()) for p in raw.split("-"))
    except ValueError:
        raise ImproperlyConfigured(
            f"KEYPLAN_REVIEW_HOURS={raw} is not working hours: give them as 09:00-17:00."
        ) from None
    if last <= first:
        raise ImproperlyConfigured(
            f"KEYPLAN_REVIEW_HOURS={raw} ends before it starts: give them as 09:00-17:00."
        )
    zone = time_zone_of(person) if person is not None else ZoneInfo(settings.TIME_ZONE)
    return schedule.Hours(tz=zone, start=first, end=last)


def current_quarter(today: datetime.date | None = None) -> Period:
    return Period.containing(today or timezone.localdate(), quarter=True)


def quarter_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """The quarter as aware datetimes: its first moment, and the first moment after it."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def team_reps(user) -> list:
    """The people whose reviews ``user`` schedules: their direct reports and the members
    of the teams they manage (active, by name)."""
    from keyplan.people.models import User

    return list(
        User.objects.filter(Q(manager=user) | Q(team__manager=user), is_active=True)
        .exclude(pk=user.pk)
        .select_related("team")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def live_plans(qs, rep_ids, period: Period):
    """The plans a quarter's review holds: the reps' *active* account plans (the
    strategic accounts they plan) that have not ended before the quarter begins — a plan
    activated for next year is reviewed while its pipeline is being built."""
    from keyplan.plans.choices import PlanStatus

    return (
        qs.filter(
            owner_id__in=list(rep_ids), status=PlanStatus.ACTIVE, period_end__gte=period.start
        )
        .select_related("account")
        .order_by("account__name", "pk")
    )


def plans_to_review(user, rep_ids, period: Period) -> dict[int, list]:
    """Per rep: the plans their quarter's review holds (``live_plans``), by account
    name, as ``user`` sees them. One query."""
    from keyplan.plans.models import AccountPlan

    out = defaultdict(list)
    for plan in live_plans(AccountPlan.objects.visible_to(user), rep_ids, period):
        out[plan.owner_id].append(plan)
    return out


@dataclass
class QuarterRow:
    rep: object
    plans: list
    sitting: ReviewSitting | None = None  # already scheduled (or held) this quarter
    slot: schedule.Slot | None = None  # proposed
    reason: str = ""  # why no slot was proposed


@dataclass
class QuarterPlan:
    period: Period
    rows: list[QuarterRow]
    hours: schedule.Hours
    minutes_per_plan: int

    @property
    def proposed(self) -> list[QuarterRow]:
        return [r for r in self.rows if r.slot is not None]

    @property
    def to_schedule(self) -> list[QuarterRow]:
        """Reps with plans to review and no sitting yet this quarter."""
        return [r for r in self.rows if r.sitting is None and r.plans]


def _busy(people: set[int], start, end):
    """Each person's sittings in [start, end) (chaired or presented), and the days they
    meet customers (interactions they took part in): two queries."""
    from keyplan.accounts.models import Interaction

    busy = defaultdict(list)
    for s in ReviewSitting.objects.live().filter(
        Q(manager_id__in=people) | Q(rep_id__in=people),
        starts_at__lt=end,
        starts_at__gte=start - datetime.timedelta(minutes=MAX_MINUTES),
    ):
        busy[s.manager_id].append((s.starts_at, s.ends_at))
        busy[s.rep_id].append((s.starts_at, s.ends_at))
    days = defaultdict(set)
    for person, day in Interaction.participants.through.objects.filter(
        user_id__in=people,
        interaction__date__gte=start.date(),
        interaction__date__lt=end.date(),
    ).values_list("user_id", "interaction__date"):
        days[person].add(day)
    return busy, days


def quarter_plan(*, user, period: Period, now: datetime.datetime | None = None) -> QuarterPlan:
    """The manager's quarter: per rep of their team, the sitting already scheduled, or a
    proposed slot (``schedule.propose``), or why none. A fixed number of queries."""
    now = now or timezone.now()
    hours = working_hours(user)
    per_plan = minutes_per_plan()
    reps = team_reps(user)
    plans = plans_to_review(user, [r.pk for r in reps], period)
    existing = {}
    for s in (
        ReviewSitting.objects.live()
        .filter(fiscal_year=period.fiscal_year, quarter=period.quarter, rep__in=reps)
        .order_by("starts_at", "pk")
    ):
        if s.rep_id not in existing or s.status == SittingStatus.HELD:
            existing[s.rep_id] = s
    rows = [QuarterRow(rep=r, plans=plans.get(r.pk, []), sitting=existing.get(r.pk)) for r in reps]
    start, end = quarter_bounds(period)
    if end <= now:
        for row in rows:
            if row.sitting is None and row.plans:
                row.reason = f"{period.name} is over: choose a quarter still to come."
        return QuarterPlan(period, rows, hours, per_plan)
    busy, days = _busy({user.pk, *(r.pk for r in reps)}, start, end)
    wanted = [
        schedule.Request(r.rep.pk, len(r.plans)) for r in rows if r.sitting is None and r.plans
    ]
    local_now = timezone.localtime(now, hours.tz)
    proposal = schedule.propose(
        wanted,
        manager_id=user.pk,
        first_day=max(period.start, local_now.date()),
        last_day=period.end,
        busy=busy,
        busy_days=days,
        minutes_per_plan=per_plan,
        hours=hours,
        earliest=now,
    )
    slots = {s.rep_id: s for s in proposal.slots}
    reasons = {u.rep_id: u.reason for u in proposal.unplaced}
    for row in rows:
        row.slot = slots.get(row.rep.pk)
        row.reason = reasons.get(row.rep.pk, "")
    return QuarterPlan(period, rows, hours, per_plan)


def sittings_between(user, start: datetime.datetime, end: datetime.datetime) -> list:
    """The sittings ``user`` sees that take place (at least partly) between ``start`` and
    ``end`` (aware datetimes), cancelled ones left out, by start — with the rep, the
    manager and the plans on the agenda (``sitting.agenda``: items with plan and account)
    read in three queries. For a calendar: ``starts_at``/``ends_at``, ``state()``,
    ``location``, ``get_absolute_url()``; attendees are ``rep``, ``manager`` and the
    plans' teams (``plan.team``, prefetch it if needed)."""
    from django.db.models import Prefetch

    sittings = (
        ReviewSitting.objects.visible_to(user)
        .live()
        .filter(starts_at__lt=end, starts_at__gt=start - datetime.timedelta(minutes=MAX_MINUTES))
        .select_related("rep", "manager")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ReviewItem.objects.select_related("plan__account"),
                to_attr="agenda",
            )
        )
        .order_by("starts_at", "pk")
    )
    return [s for s in sittings if s.ends_at > start]


@dataclass
class RepReview:
    """One rep's review in a quarter, for the team board."""

    sitting: ReviewSitting | None
    state: str  # a SittingStatus value, or "" (none scheduled)
    not_reviewed: list = field(default_factory=list)  # plans not reviewed this quarter
    plans: int = 0

    @property
    def words(self) -> str:
        if self.sitting is None:
            return "not scheduled"
        day = timezone.localtime(self.sitting.starts_at)
        if self.state == SittingStatus.SCHEDULED:
            return f"scheduled {day:%Y-%m-%d %H:%M}"
        if self.state == SittingStatus.HELD:
            held = timezone.localtime(self.sitting.held_at or self.sitting.starts_at)
            return f"held {held:%Y-%m-%d}"
        if self.state == SittingStatus.MISSED:
            return f"missed ({day:%Y-%m-%d}, not held)"
        return f"cancelled ({day:%Y-%m-%d})"


def review_status(
    *, reps, period: Period, now: datetime.datetime | None = None
) -> dict[int, RepReview]:
    """Per rep: the quarter's sitting and its state (scheduled with its date, held,
    missed = its time passed and it was not held), and their plans (``live_plans``) not
    reviewed in the quarter: no quarterly-review version of the plan kept in it, by a
    sitting's close or the plan page's "Record a quarterly review" (none before the
    quarter has begun). Three queries,
    whatever the number of reps."""
    from keyplan.plans.choices import VersionReason
    from keyplan.plans.models import AccountPlan, PlanVersion

    now = now or timezone.now()
    ids = [r.pk for r in reps]
    start, end = quarter_bounds(period)
    sittings = {}
    for s in (
        ReviewSitting.objects.filter(
            fiscal_year=period.fiscal_year, quarter=period.quarter, rep_id__in=ids
        )
        .exclude(status=SittingStatus.CANCELLED)
        .order_by("starts_at", "pk")
    ):
        # The held one wins; else the next one still to come; else the last missed.
        kept = sittings.get(s.rep_id)
        replaces = kept is None or s.status == SittingStatus.HELD
        if replaces or (
            kept.status != SittingStatus.HELD and kept.state(now) == SittingStatus.MISSED
        ):
            sittings[s.rep_id] = s
    reviewed = set(
        PlanVersion.objects.filter(
            reason=VersionReason.REVIEW,
            plan__owner_id__in=ids,
            taken_at__gte=start,
            taken_at__lt=end,
        ).values_list("plan_id", flat=True)
    )
    plans = defaultdict(list)
    for plan in live_plans(AccountPlan.objects.all(), ids, period):
        plans[plan.owner_id].append(plan)
    out = {}
    for rep_id in ids:
        sitting = sittings.get(rep_id)
        mine = plans.get(rep_id, [])
        out[rep_id] = RepReview(
            sitting=sitting,
            state=sitting.state(now) if sitting else "",
            # A quarter still to come has nothing overdue yet: no "not reviewed" flag.
            not_reviewed=[p for p in mine if p.pk not in reviewed] if now >= start else [],
            plans=len(mine),
        )
    return out


def _version_name(version) -> str:
    when = timezone.localtime(version.taken_at)
    return f"v{version.number} ({version.get_reason_display().lower()}, {when:%Y-%m-%d})"


def review_brief(*, item: ReviewItem, today: datetime.date | None = None) -> dict:
    """What review mode shows for one plan: what changed since its last review (the
    version comparison in words; for a held sitting, up to the version kept then), its
    health and reasons, coverage, forecast against the goal, overdue actions and the
    decisions waiting (investment cases awaiting a decision, open requests for help).
    The same selectors the plan page reads; about twenty queries for one plan."""
    from keyplan.forecast.selectors import plan_gap
    from keyplan.plans import selectors as plan_selectors
    from keyplan.plans import versions
    from keyplan.plans.choices import HelpStatus, InvestmentStatus, VersionReason
    from keyplan.plans.health import overdue_actions, plan_health
    from keyplan.plans.models import InvestmentCase, PlanVersion

    today = today or timezone.localdate()
    plan = item.plan
    kept = item.plan_version
    earlier = PlanVersion.objects.filter(plan=plan).defer("content").order_by("-number")
    if kept is not None:
        earlier = earlier.filter(number__lt=kept.number)
    since = earlier.filter(reason=VersionReason.REVIEW).first() or earlier.first()
    comparison = None
    if since is not None:
        since = PlanVersion.objects.get(pk=since.pk)
        new_content = kept.content if kept is not None else versions.snapshot(plan)
        comparison = {
            "since": since,
            **versions.present(
                versions.compare(since.content, new_content),
                old_name=_version_name(since),
                new_name=_version_name(kept) if kept else "the plan as it is now",
            ),
        }
    cov = plan_selectors.coverage(plan)
    return {
        "comparison": comparison,
        "health": plan_health(plan, today=today, coverage=cov),
        "coverage": cov,
        "forecast_gap": plan_gap(plan=plan, account_ids=plan_selectors.remember_account_ids(plan)),
        "overdue": list(overdue_actions(plan, today).select_related("owner")),
        "investments": list(
            InvestmentCase.objects.filter(
                idea__plan=plan, status=InvestmentStatus.SUBMITTED, decided_at__isnull=True
            )
            .select_related("idea", "submitted_by")
            .order_by("pk")
        ),
        "help_requests": list(
            plan.help_requests.filter(status=HelpStatus.REQUESTED).select_related("asked_of")
        ),
        "new_actions": list(item.actions.select_related("owner").order_by("due_date", "pk")),
    }

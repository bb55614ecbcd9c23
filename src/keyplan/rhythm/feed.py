"""A person's calendar feed (RFC 5545): what they must do or decide, and when.

Each kind of item is read in one query, bounded to ``DAYS_BACK`` days back and
``DAYS_AHEAD`` days ahead, and starts from its model's ``visible_to(user)``. Every event
has a stable UID (``<kind>-<pk>@<host>``) and SEQUENCE (the part's version), so a
calendar that subscribes moves an event whose date changed and drops one that is done,
reached, decided or deleted (it is simply no longer in the feed).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from keyplan.core import words
from keyplan.rhythm.services import settings_for

DAYS_BACK = 90
DAYS_AHEAD = 548  # about 18 months


@dataclass(frozen=True)
class Person:
    """One of our people as a calendar names them."""

    name: str
    email: str

    @classmethod
    def of(cls, user) -> "Person | None":
        return None if user is None else cls(str(user), user.email)


@dataclass
class Item:
    """One event of the feed, in words."""

    kind: str
    pk: int
    day: datetime.date
    summary: str
    description: str
    url: str
    sequence: int
    modified: datetime.datetime | None = None
    organizer: Person | None = None
    attendees: list[Person] = field(default_factory=list)
    # A meeting with a time (a review sitting): aware start and end; None for the
    # date-only items, which are all-day events.
    starts: datetime.datetime | None = None
    ends: datetime.datetime | None = None


# Rows are read as values, not model instances: a feed of a few thousand events built
# ten times faster that way (benchmarks/README.md, "Calendar feed and email").
PERSON_FIELDS = ("first_name", "last_name", "username", "email")


def _person_fields(path: str) -> list[str]:
    return [f"{path}__{name}" for name in PERSON_FIELDS]


def _person(row: dict, path: str) -> Person | None:
    """The person at ``path`` in a row read with ``_person_fields(path)``, named as
    ``User.__str__`` names them."""
    if row[f"{path}__username"] is None:
        return None
    full = f"{row[f'{path}__first_name']} {row[f'{path}__last_name']}".strip()
    return Person(full or row[f"{path}__username"], row[f"{path}__email"])


def _plan_url(plan_id: int, anchor: str) -> str:
    return reverse("plan_detail", args=[plan_id]) + anchor


def site_host() -> str:
    return urlsplit(settings.KEYPLAN_BASE_URL).hostname or "keyplan"


def absolute(url: str) -> str:
    return settings.KEYPLAN_BASE_URL + url if url.startswith("/") else url


def _window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=DAYS_BACK), today + datetime.timedelta(days=DAYS_AHEAD)


def _changed_at(model, subject: str):
    """The time the part was last recorded changed in its plan's activity trail."""
    return Subquery(
        model.objects.filter(subject=subject, object_id=OuterRef("pk"))
        .order_by("-at")
        .values("at")[:1]
    )


def plan_actions(user, start, end) -> list[Item]:
    from keyplan.plans.choices import OPEN_ACTION_STATUSES, ActionStatus, PlanStatus
    from keyplan.plans.models import AccountPlan, Action, PlanChange

    on_team = AccountPlan.objects.filter(team=user).values("pk")
    rows = (
        Action.objects.visible_to(user)
        .filter(Q(owner=user) | Q(plan_id__in=on_team))
        .filter(status__in=OPEN_ACTION_STATUSES, due_date__range=(start, end))
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .annotate(changed_at=_changed_at(PlanChange, "action"))
        .order_by("due_date", "pk")
        .values(
            "pk",
            "title",
            "due_date",
            "effort_hours",
            "status",
            "version",
            "plan_id",
            "changed_at",
            "plan__account__name",
            *_person_fields("owner"),
            *_person_fields("plan__owner"),
        )  # fmt: skip
    )
    items = []
    for a in rows:
        owner = _person(a, "owner")
        account = a["plan__account__name"]
        # A teammate's action says whose it is, so nobody takes it for their own.
        whose = "" if a["owner__username"] == user.username else f", {owner.name}'s action"
        items.append(
            Item(
                kind="action",
                pk=a["pk"],
                day=a["due_date"],
                summary=f"{a['title']} ({account}{whose})",
                description=(
                    f"Action of the plan for {account}, owned by {owner.name}; effort "
                    f"{words.number(a['effort_hours'])} hours; "
                    f"{ActionStatus(a['status']).label.lower()}."
                ),
                url=_plan_url(a["plan_id"], "#execution"),
                sequence=a["version"] - 1,
                modified=a["changed_at"],
                organizer=_person(a, "plan__owner"),
                attendees=[owner],
            )
        )
    return items


def plan_milestones(user, start, end) -> list[Item]:
    from keyplan.plans.choices import PlanStatus
    from keyplan.plans.models import Milestone, PlanChange

    rows = (
        Milestone.objects.visible_to(user)
        .filter(plan__owner=user, reached=False, date__range=(start, end))
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .annotate(changed_at=_changed_at(PlanChange, "milestone"))
        .order_by("date", "pk")
        .values("pk", "title", "date", "version", "plan_id", "changed_at", "plan__account__name")
    )
    me = Person.of(user)
    return [
        Item(
            kind="milestone",
            pk=m["pk"],
            day=m["date"],
            summary=f"Milestone: {m['title']} ({m['plan__account__name']})",
            description=f"Milestone of the plan for {m['plan__account__name']}, not reached yet.",
            url=_plan_url(m["plan_id"], "#execution"),
            sequence=m["version"] - 1,
            modified=m["changed_at"],
            organizer=me,
            attendees=[me],
        )
        for m in rows
    ]


def territory_activities(user, start, end) -> list[Item]:
    from keyplan.plans.choices import OPEN_ACTION_STATUSES
    from keyplan.salesplan.choices import TerritoryPlanStatus
    from keyplan.salesplan.models import TerritoryActivity, TerritoryPlanChange

    rows = (
        TerritoryActivity.objects.visible_to(user)
        .filter(owner=user, status__in=OPEN_ACTION_STATUSES, due_date__range=(start, end))
        .exclude(plan__status=TerritoryPlanStatus.ARCHIVED)
        .annotate(changed_at=_changed_at(TerritoryPlanChange, "activity"))
        .order_by("due_date", "pk")
        .values(
            "pk",
            "title",
            "due_date",
            "effort_hours",
            "version",
            "plan_id",
            "changed_at",
            *_person_fields("plan__rep"),
        )  # fmt: skip
    )
    me = Person.of(user)
    items = []
    for a in rows:
        rep = _person(a, "plan__rep")
        items.append(
            Item(
                kind="territory-activity",
                pk=a["pk"],
                day=a["due_date"],
                summary=f"{a['title']} (territory plan)",
                description=(
                    f"Activity of {rep.name}'s territory plan, owned by {me.name}; "
                    f"effort {words.number(a['effort_hours'])} hours."
                ),
                url=reverse("territory_plan", args=[a["plan_id"]]) + "#activities",
                sequence=a["version"] - 1,
                modified=a["changed_at"],
                organizer=rep,
                attendees=[me],
            )
        )
    return items


def investment_decisions(user, start, end) -> list[Item]:
    """Submitted investment cases waiting for a decision the person is asked to make
    (``plans.permissions.is_asked_to_decide``, the rule that chose whom to notify), and
    the person's own cases waiting; due ``KEYPLAN_DECISION_DAYS`` after submission."""
    from keyplan.plans.choices import InvestmentStatus, PlanStatus
    from keyplan.plans.models import InvestmentCase
    from keyplan.plans.permissions import is_asked_to_decide

    days = datetime.timedelta(days=settings.KEYPLAN_DECISION_DAYS)
    first = timezone.make_aware(datetime.datetime.combine(start - days, datetime.time.min))
    rows = (
        InvestmentCase.objects.visible_to(user)
        .filter(status=InvestmentStatus.SUBMITTED, submitted_at__gte=first)
        .exclude(idea__plan__status=PlanStatus.ARCHIVED)
        .select_related(
            "idea__plan__account",
            "idea__plan__owner__manager",
            "idea__plan__owner__team__manager",
            "submitted_by__manager",
            "submitted_by__team__manager",
        )
        .order_by("submitted_at", "pk")
    )
    items = []
    for case in rows:
        plan = case.idea.plan
        mine = case.submitted_by_id == user.pk
        if not mine and not is_asked_to_decide(user, plan, case.submitted_by):
            continue
        due = timezone.localdate(case.submitted_at) + days
        if not start <= due <= end:
            continue
        items.append(
            Item(
                kind="investment",
                pk=case.pk,
                day=due,
                summary=(
                    f"Decision due on your investment case: {case.title} ({plan.account})"
                    if mine
                    else f"Decide the investment case: {case.title} ({plan.account})"
                ),
                description=(
                    f"Submitted by {case.submitted_by} on "
                    f"{words.day(timezone.localdate(case.submitted_at))}: cost "
                    f"{words.amount(case.cost)}, expected return "
                    f"{words.amount(case.expected_return)}."
                ),
                url=plan.get_absolute_url() + "#investments",
                sequence=case.version - 1,
                modified=case.submitted_at,
                organizer=Person.of(case.submitted_by),
                attendees=[Person.of(user)],
            )
        )
    return items


def executive_meetings(user, start, end) -> list[Item]:
    """Leader-to-leader meetings (interactions flagged executive) the person takes part
    in: the dated side of the executive pairings."""
    from keyplan.accounts.choices import InteractionKind
    from keyplan.accounts.models import Interaction

    rows = (
        Interaction.objects.visible_to(user)
        .filter(is_executive=True, participants=user, date__range=(start, end))
        # An accepted meeting request is in the feed with its time, as itself (below).
        .filter(meeting_request__isnull=True)
        .order_by("date", "pk")
        .values(
            "pk",
            "kind",
            "date",
            "subject",
            "notes",
            "version",
            "created_at",
            "account_id",
            "account__name",
        )  # fmt: skip
    )
    me = Person.of(user)
    items = []
    for i in rows:
        account = i["account__name"]
        what = f"{i['subject']} ({account})" if i["subject"] else account
        summary = f"Executive {InteractionKind(i['kind']).label.lower()}: {what}"
        if (i["subject"] or "").lower().startswith("executive "):
            summary = what  # "Executive dinner", not "Executive meeting: Executive dinner"
        items.append(
            Item(
                kind="executive-meeting",
                pk=i["pk"],
                day=i["date"],
                summary=summary,
                description=i["notes"],
                url=reverse("account_detail", args=[i["account_id"]]),
                sequence=i["version"] - 1,
                modified=i["created_at"],
                organizer=me,
                attendees=[me],
            )
        )
    return items


def executive_meeting_requests(user, start, end) -> list[Item]:
    """Executive meetings asked for and accepted (``plans.services.meetings``), as timed
    meetings: in the calendars of the executive asked, the asker and the plan's owner.
    The executive may not see the account, yet the meeting is theirs; the others see it
    through the plan. Declined and withdrawn ones are left out, so they disappear. One
    query."""
    from keyplan.plans.choices import MeetingStatus
    from keyplan.plans.models import ExecutiveMeetingRequest

    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    last = datetime.datetime.combine(end, datetime.time.max, tzinfo=zone)
    visible = ExecutiveMeetingRequest.objects.visible_to(user).filter(
        Q(asked_by=user) | Q(plan__owner=user)
    )
    rows = (
        ExecutiveMeetingRequest.objects.filter(Q(executive=user) | Q(pk__in=visible.values("pk")))
        .filter(
            status__in=[MeetingStatus.ACCEPTED, MeetingStatus.HELD],
            starts_at__range=(first, last),
        )
        .select_related("plan__account", "executive", "asked_by")
        .prefetch_related("contacts")
        .order_by("starts_at", "pk")
    )
    return [meeting_item(m) for m in rows]


def meeting_item(meeting) -> Item:
    """One executive meeting request, accepted, as the feed and the invitation show it."""
    account = meeting.plan.account.name
    theirs = words.names(meeting.contacts.all())
    where = f"\nWhere: {meeting.place}" if meeting.place else ""
    return Item(
        kind="executive-meeting-request",
        pk=meeting.pk,
        day=timezone.localtime(meeting.starts_at).date(),
        summary=f"Executive meeting: {meeting.executive} with {theirs} ({account})",
        description=(
            f"Asked by {meeting.asked_by or words.EMPTY} for the plan for {account}.{where}\n"
            f"Purpose: {meeting.purpose}\nThe briefing: "
            f"{absolute(reverse('meeting_briefing', args=[meeting.pk]))}"
        ),
        url=meeting.get_absolute_url(),
        sequence=meeting.version - 1,
        modified=meeting.answered_at,
        organizer=Person.of(meeting.executive),
        attendees=[Person.of(meeting.executive)]
        + ([Person.of(meeting.asked_by)] if meeting.asked_by_id != meeting.executive_id else []),
        starts=meeting.starts_at,
        ends=meeting.ends_at,
    )


def review_sittings(user, start, end) -> list[Item]:
    """The quarterly review sittings the person attends, as timed meetings: as the rep
    presenting or the manager chairing (``reviews.selectors.sittings_between``), and as
    a member of the team of a plan on the agenda — who is told only of the plans they
    are on (the rest of the agenda may be accounts they cannot see) and linked to the
    plan, as the sitting's own page is the rep's and their managers'. Cancelled sittings
    are left out, so they disappear from the calendar. Two queries, three with the
    agenda."""
    from keyplan.plans.models import AccountPlan
    from keyplan.reviews.choices import SittingStatus
    from keyplan.reviews.models import ReviewItem
    from keyplan.reviews.selectors import MAX_MINUTES, sittings_between

    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    last = datetime.datetime.combine(end, datetime.time.max, tzinfo=zone)
    items = [
        _sitting_item(s, [i.plan for i in s.agenda], s.get_absolute_url())
        for s in sittings_between(user, first, last)
        if user.pk in (s.rep_id, s.manager_id)
    ]
    on_team = (
        ReviewItem.objects.filter(
            plan__in=AccountPlan.objects.visible_to(user).filter(team=user),
            sitting__starts_at__lt=last,
            sitting__starts_at__gt=first - datetime.timedelta(minutes=MAX_MINUTES),
        )
        .exclude(sitting__status=SittingStatus.CANCELLED)
        .exclude(sitting__rep=user)
        .exclude(sitting__manager=user)
        .select_related("sitting__rep", "sitting__manager", "plan__account")
        .order_by("sitting__starts_at", "sitting_id", "order")
    )
    by_sitting: dict = {}
    for i in on_team:
        by_sitting.setdefault(i.sitting_id, (i.sitting, []))[1].append(i.plan)
    for sitting, plans in by_sitting.values():
        items.append(_sitting_item(sitting, plans, _plan_url(plans[0].pk, "")))
    return items


def _sitting_item(sitting, plans, url: str) -> Item:
    agenda = "\n".join(f"{n}. {p.account.name}" for n, p in enumerate(plans, start=1))
    where = f"\nWhere: {sitting.location}" if sitting.location else ""
    return Item(
        kind="review",
        pk=sitting.pk,
        day=timezone.localtime(sitting.starts_at).date(),
        summary=f"Quarterly review: {sitting.rep} · {words.plural(len(plans), 'plan')}",
        description=f"{sitting.period.name}, chaired by {sitting.manager}.{where}\n{agenda}",
        url=url,
        sequence=sitting.version - 1,
        modified=sitting.created_at,
        organizer=Person.of(sitting.manager),
        attendees=[Person.of(sitting.rep), Person.of(sitting.manager)],
        starts=sitting.starts_at,
        ends=sitting.ends_at,
    )


KINDS = (plan_actions, plan_milestones, territory_activities, investment_decisions,
         executive_meetings, executive_meeting_requests, review_sittings)  # fmt: skip


def calendar_items(user, *, today: datetime.date | None = None) -> list[Item]:
    """Everything in the person's calendar, one query per kind."""
    start, end = _window(today or timezone.localdate())
    items = []
    for kind in KINDS:
        items.extend(kind(user, start, end))
    return sorted(items, key=lambda i: (i.day, i.kind, i.pk))


def _address(person: Person | None, role: str | None = None):
    if person is None or not person.email:
        return None
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    if role:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "ACCEPTED"
    return address


def calendar_ics(user, *, today: datetime.date | None = None) -> bytes:
    """The person's feed as iCalendar bytes."""
    host = site_host()
    zone = settings_for(user).time_zone or settings.TIME_ZONE
    now = timezone.now().replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//keyplan//Personal calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"keyplan · {user}")
    cal.add("x-wr-timezone", zone)
    # Subscribing clients poll the feed about hourly.
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for item in calendar_items(user, today=today):
        event = icalendar.Event()
        event.add("uid", f"{item.kind}-{item.pk}@{host}")
        event.add("dtstamp", now)
        if item.starts is not None:  # a meeting: its time, in UTC
            event.add("dtstart", item.starts.astimezone(datetime.UTC).replace(microsecond=0))
            event.add("dtend", item.ends.astimezone(datetime.UTC).replace(microsecond=0))
        else:  # date-only items are all-day events: DTEND is the next day (exclusive)
            event.add("dtstart", item.day)
            event.add("dtend", item.day + datetime.timedelta(days=1))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        event.add("url", absolute(item.url))
        event.add("sequence", max(item.sequence, 0))
        if item.modified is not None:
            event.add("last-modified", item.modified.replace(microsecond=0))
        event.add("status", "CONFIRMED")
        # A meeting takes the time; a due date does not.
        event.add("transp", "TRANSPARENT" if item.starts is None else "OPAQUE")
        event.add("categories", [item.kind.replace("-", " ")])
        organizer = _address(item.organizer)
        if organizer is not None:
            event.add("organizer", organizer)
        for person in item.attendees:
            attendee = _address(person, "REQ-PARTICIPANT")
            if attendee is not None:
                event.add("attendee", attendee)
        cal.add_component(event)
    return cal.to_ical()

"""Capacity check: the effort of actions per person per month, and the hours of help
they committed to (in the month it is needed), across all plans that are not archived,
against the hours each person has for account work."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from keyplan.plans.choices import ActionStatus, HelpStatus, PlanStatus
from keyplan.plans.models import Action, HelpRequest

# Done actions used the time; missed and cancelled ones did not.
COUNTED = (ActionStatus.PLANNED, ActionStatus.SCHEDULED, ActionStatus.DONE)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def available_hours(weekly_hours: Decimal, month: datetime.date) -> Decimal:
    days = calendar.monthrange(month.year, month.month)[1]
    return (Decimal(weekly_hours) * days / 7).quantize(Decimal("0.1"))


@dataclass
class Load:
    person: object
    month: datetime.date
    planned: Decimal  # actions and committed help together
    available: Decimal
    help: Decimal = Decimal("0")  # of ``planned``: hours of help committed to other teams

    @property
    def over(self) -> bool:
        return self.planned > self.available

    @property
    def percent(self) -> int:
        return round(100 * self.planned / self.available) if self.available else 999


def _monthly(rows, person: str) -> dict:
    hours = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        hours[(row[person], month)] = row["hours"] or Decimal("0")
    return hours


def capacity(people, months: list[datetime.date]) -> list[list[Load]]:
    """One row per person, one Load per month (two queries for all of them: actions, and
    committed help)."""
    people = list(people)
    if not people or not months:
        return []
    first, last = months[0], add_months(months[-1], 1) - datetime.timedelta(days=1)
    actions = _monthly(
        Action.objects.filter(owner__in=people, due_date__range=(first, last), status__in=COUNTED)
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .annotate(month=TruncMonth("due_date"))
        .values("owner_id", "month")
        .annotate(hours=Sum("effort_hours")),
        "owner_id",
    )
    helping = _monthly(
        HelpRequest.objects.filter(
            asked_of__in=people,
            needed_by__range=(first, last),
            status=HelpStatus.COMMITTED,
            hours__isnull=False,
        )
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .annotate(month=TruncMonth("needed_by"))
        .values("asked_of_id", "month")
        .annotate(hours=Sum("hours")),
        "asked_of_id",
    )
    zero = Decimal("0")
    return [
        [
            Load(
                p,
                m,
                actions.get((p.pk, m), zero) + helping.get((p.pk, m), zero),
                available_hours(p.weekly_hours, m),
                helping.get((p.pk, m), zero),
            )
            for m in months
        ]
        for p in people
    ]


def plan_capacity(
    plan, actions=None, help_requests=None
) -> tuple[list[datetime.date], list[list[Load]]]:
    """Everyone with actions in this plan or committed to help it, over the months that
    work falls in, with their load from every plan: is this plan asking more than they
    have? (``actions`` and ``help_requests``: the plan's, when the page has read them.)"""
    from keyplan.people.models import User

    if actions is not None and help_requests is not None:
        dates = [(a.owner_id, a.due_date) for a in actions if a.status in COUNTED]
        dates += [
            (h.asked_of_id, h.needed_by)
            for h in help_requests
            if h.status == HelpStatus.COMMITTED and h.hours is not None
        ]
    else:
        dates = list(plan.actions.filter(status__in=COUNTED).values_list("owner_id", "due_date"))
        committed = plan.help_requests.filter(status=HelpStatus.COMMITTED, hours__isnull=False)
        dates += committed.values_list("asked_of_id", "needed_by")
    owners = {o for o, _ in dates}
    months = sorted({month_start(d) for _, d in dates})
    if not months:
        return [], []
    months = [add_months(months[0], i) for i in range(_span(months[0], months[-1]))][:24]
    people = User.objects.filter(pk__in=owners).order_by("last_name", "first_name")
    return months, capacity(people, months)


def _span(first, last) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1

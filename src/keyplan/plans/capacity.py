"""Capacity check: the effort of actions per person per month, across all plans that are
not archived, against the hours each person has for account work."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from keyplan.plans.choices import ActionStatus, PlanStatus
from keyplan.plans.models import Action

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
    planned: Decimal
    available: Decimal

    @property
    def over(self) -> bool:
        return self.planned > self.available

    @property
    def percent(self) -> int:
        return round(100 * self.planned / self.available) if self.available else 999


def capacity(people, months: list[datetime.date]) -> list[list[Load]]:
    """One row per person, one Load per month (one query for all of them)."""
    people = list(people)
    if not people or not months:
        return []
    first, last = months[0], add_months(months[-1], 1) - datetime.timedelta(days=1)
    rows = (
        Action.objects.filter(owner__in=people, due_date__range=(first, last), status__in=COUNTED)
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .annotate(month=TruncMonth("due_date"))
        .values("owner_id", "month")
        .annotate(hours=Sum("effort_hours"))
    )
    hours = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        hours[(row["owner_id"], month)] = row["hours"] or Decimal("0")
    return [
        [
            Load(p, m, hours.get((p.pk, m), Decimal("0")), available_hours(p.weekly_hours, m))
            for m in months
        ]
        for p in people
    ]


def plan_capacity(plan) -> tuple[list[datetime.date], list[list[Load]]]:
    """Everyone with actions in this plan, over the months those actions fall in, with
    their load from every plan: is this plan asking more than they have?"""
    from keyplan.people.models import User

    dates = plan.actions.filter(status__in=COUNTED).values_list("owner_id", "due_date")
    owners = {o for o, _ in dates}
    months = sorted({month_start(d) for _, d in dates})
    if not months:
        return [], []
    months = [add_months(months[0], i) for i in range(_span(months[0], months[-1]))][:24]
    people = User.objects.filter(pk__in=owners).order_by("last_name", "first_name")
    return months, capacity(people, months)


def _span(first, last) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1

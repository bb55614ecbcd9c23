"""Capacity check: the effort of actions per person per month, and the hours of help
they committed to (in the month it is needed), across all plans that are not archived —
account plans and territory plans alike — against the hours each person has for account
work.

A territory plan asks for time twice over: a strategy names people with hours per month,
and its activities have their own effort. The two describe the same work, so per person,
month and strategy the larger of the two is counted, never their sum."""

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
    territory: Decimal = Decimal("0")  # of ``planned``: hours for territory strategies

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


def _territory_hours(people, months: list[datetime.date], first, last) -> dict:
    """(person id, month) → hours for territory strategies: per person, month and
    strategy the larger of the hours they give the strategy and the effort of their
    activities in it that month (two queries for everyone)."""
    from keyplan.salesplan.choices import TerritoryPlanStatus
    from keyplan.salesplan.models import StrategyResource, TerritoryActivity

    effort = {}
    activities = (
        TerritoryActivity.objects.filter(
            owner__in=people, due_date__range=(first, last), status__in=COUNTED
        )
        .exclude(plan__status=TerritoryPlanStatus.ARCHIVED)
        .annotate(month=TruncMonth("due_date"))
        .values("owner_id", "strategy_id", "month")
        .annotate(hours=Sum("effort_hours"))
    )
    for row in activities:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        effort[(row["owner_id"], row["strategy_id"], month)] = row["hours"] or Decimal("0")
    given = {}
    resources = (
        StrategyResource.objects.filter(
            person__in=people, strategy__first_month__lte=last, strategy__last_month__gte=first
        )
        .exclude(strategy__plan__status=TerritoryPlanStatus.ARCHIVED)
        .values_list(
            "person_id",
            "strategy_id",
            "hours_per_month",
            "strategy__first_month",
            "strategy__last_month",
        )
    )
    for person, strategy, hours, starts, ends in resources:
        for month in months:
            if month_start(starts) <= month <= ends:
                given[(person, strategy, month)] = hours
    out: dict = {}
    for key in effort.keys() | given.keys():
        person, _, month = key
        hours = max(effort.get(key, Decimal("0")), given.get(key, Decimal("0")))
        out[(person, month)] = out.get((person, month), Decimal("0")) + hours
    return out


def capacity(people, months: list[datetime.date]) -> list[list[Load]]:
    """One row per person, one Load per month (four queries for all of them: actions,
    committed help, territory activities and the hours people give territory
    strategies)."""
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
    territory = _territory_hours(people, months, first, last)
    zero = Decimal("0")
    return [
        [
            Load(
                p,
                m,
                actions.get((p.pk, m), zero)
                + helping.get((p.pk, m), zero)
                + territory.get((p.pk, m), zero),
                available_hours(p.weekly_hours, m),
                helping.get((p.pk, m), zero),
                territory.get((p.pk, m), zero),
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


def territory_capacity(plan) -> tuple[list[datetime.date], list[list[Load]]]:
    """Everyone the territory plan asks time of — the people named on its strategies and
    the owners of its activities — over the months its strategies run and its activities
    fall in (within the fiscal year), with their load from every plan: is this plan
    asking more than they have?"""
    from keyplan.people.models import User
    from keyplan.salesplan.models import StrategyResource, TerritoryActivity, TerritoryStrategy

    period = plan.period
    people = set(
        StrategyResource.objects.filter(strategy__plan=plan).values_list("person_id", flat=True)
    )
    dates = list(
        TerritoryActivity.objects.filter(plan=plan, status__in=COUNTED).values_list(
            "owner_id", "due_date"
        )
    )
    people |= {owner for owner, _ in dates}
    spans = TerritoryStrategy.objects.filter(plan=plan).values_list("first_month", "last_month")
    bounds = [month_start(d) for _, d in dates] + [m for span in spans for m in span]
    if not people or not bounds:
        return [], []
    first = max(month_start(min(bounds)), period.start)
    last = min(month_start(max(bounds)), month_start(period.end))
    if last < first:
        return [], []
    months = [add_months(first, i) for i in range(_span(first, last))]
    rows = User.objects.filter(pk__in=people).order_by("last_name", "first_name", "pk")
    return months, capacity(rows, months)

"""Reads of territory plans other pages share."""

import datetime

from keyplan.plans.choices import OPEN_ACTION_STATUSES


def territory_work(user, today, *, limit: int = 100) -> dict:
    """The user's open territory-plan activities — overdue, this week, the next 30 days
    — beside their account-plan actions, and how many are due later (five queries). An
    activity is the owner's work even in a plan they may not open (a rep names an SDR,
    say): it is listed, linked to its plan only where the user may see the plan."""
    from django.urls import NoReverseMatch, reverse

    from keyplan.salesplan.choices import TerritoryPlanStatus
    from keyplan.salesplan.models import TerritoryActivity, TerritoryPlan

    month_end = today + datetime.timedelta(days=30)
    week_end = today + datetime.timedelta(days=7)
    rows = list(
        TerritoryActivity.objects.filter(
            owner=user, status__in=OPEN_ACTION_STATUSES, due_date__lte=month_end
        )
        .exclude(plan__status=TerritoryPlanStatus.ARCHIVED)
        .select_related("plan__rep", "strategy")
        .order_by("due_date", "pk")[: 3 * limit]
    )
    seen = set(
        TerritoryPlan.objects.visible_to(user)
        .filter(pk__in={r.plan_id for r in rows})
        .values_list("pk", flat=True)
    )
    for row in rows:
        try:
            row.url = reverse("territory_plan", args=[row.plan_id]) if row.plan_id in seen else ""
        except NoReverseMatch:  # the territory plan pages are not installed
            row.url = ""
    overdue = [r for r in rows if r.due_date < today][:limit]
    this_week = [r for r in rows if today <= r.due_date <= week_end][:limit]
    next_30 = [r for r in rows if week_end < r.due_date <= month_end][:limit]
    # The rest of the year's work, so that "(0)" in December does not read as none at all.
    later = (
        TerritoryActivity.objects.filter(
            owner=user, status__in=OPEN_ACTION_STATUSES, due_date__gt=month_end
        )
        .exclude(plan__status=TerritoryPlanStatus.ARCHIVED)
        .order_by("due_date", "pk")
    )
    later_count = later.count()
    return {
        "overdue": overdue,
        "this_week": this_week,
        "next_30": next_30,
        "count": len(overdue) + len(this_week) + len(next_30),
        "later": later_count,
        "later_first": later.values_list("due_date", flat=True).first() if later_count else None,
        # (key, heading, rows, what an empty list says), as the page lists them
        "groups": [
            ("overdue", "Overdue", overdue, "Nothing overdue."),
            ("week", "Due this week", this_week, "Nothing due in the next 7 days."),
            ("month", "The next 30 days", next_30, "Nothing else in the next 30 days."),
        ],
    }

"""The demo holds last quarter's review of the demo rep held (outcomes, decisions, a
version of each plan kept in that quarter) and this quarter's scheduled."""

import pytest

from keyplan.plans.models import AccountPlan, PlanChange
from keyplan.reviews.models import ReviewSitting
from keyplan.reviews.selectors import current_quarter, quarter_bounds
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_last_quarter_held_and_this_quarter_scheduled(db):
    output = run_generate("--accounts", 60, "--seed", 11)
    this = current_quarter()
    last = this.previous
    held = ReviewSitting.objects.get(fiscal_year=last.fiscal_year, quarter=last.quarter)
    assert f"{held} (held)" in output
    assert (held.rep.username, held.manager.username, held.status) == ("rep", "manager", "held")
    start, end = quarter_bounds(last)
    items = list(held.items.select_related("plan_version").order_by("order"))
    assert len(items) == AccountPlan.objects.filter(owner=held.rep).count() == 3
    assert {i.outcome for i in items} == {"on_track", "at_risk", "off_track"}
    for item in items:
        assert item.decisions
        assert item.plan_version.reason == "review"
        assert start <= item.plan_version.taken_at < end
        assert start <= item.reviewed_at < end
        assert PlanChange.objects.filter(plan=item.plan, subject="quarterly review").exists()
    decided = items[-1].actions.get()
    assert decided.strategy.objective.plan == items[-1].plan  # under one of its strategies
    # Confirmed since by the rep (this week) stays the plan's latest confirmation.
    assert AccountPlan.objects.filter(confirmed_by__username="rep").exists()
    scheduled = ReviewSitting.objects.filter(fiscal_year=this.fiscal_year, quarter=this.quarter)
    # Scheduled where keyplan found a slot: none only in the quarter's last working hours.
    if scheduled.exists():
        sitting = scheduled.get()
        assert sitting.status == "scheduled" and sitting.items.count() == 3
        assert f"{sitting} (scheduled)" in output

"""The demo: every rep has a territory plan for the year their quotas are set for, built
in Conti's order through the same services a rep uses; all but one are active (one rep is
still writing objectives, as on a real team board)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from keyplan.accounts.models import Account
from keyplan.people.models import User
from keyplan.salesplan.models import Quota, TerritoryPlan
from keyplan.salesplan.realism import realism
from keyplan.salesplan.territory.steps import steps

pytestmark = pytest.mark.django_db


def test_every_demo_rep_has_a_territory_plan_built_in_order():
    out = StringIO()
    call_command("generate", "--accounts", "60", "--seed", "42", stdout=out)
    year = Quota.objects.filter(level="rep").order_by("-fiscal_year")[0].fiscal_year
    reps = list(User.objects.filter(role="rep"))
    plans = {p.rep_id: p for p in TerritoryPlan.objects.filter(fiscal_year=year)}
    assert set(plans) == {rep.pk for rep in reps}
    assert f"Territory plans for {len(reps)} reps" in out.getvalue()
    assert any(p.no_plan_reasons for p in plans.values())
    statuses = sorted(p.status for p in plans.values())
    assert statuses.count("draft") == 1 and statuses.count("active") == len(reps) - 1
    for rep in reps:
        plan = plans[rep.pk]
        states = steps(plan)
        if plan.status == "active":
            assert all(s.done for s in states), [(s.label, s.missing) for s in states]
            quota = Quota.objects.get(rep=rep, fiscal_year=year, quarter=0).amount
            by_tier = plan.objectives.filter(kind="revenue_tier").aggregate(s=Sum("target"))["s"]
            # The tier objectives add up to the quota × 1.25 (in tens of thousands).
            assert abs(by_tier - quota * Decimal("1.25")) <= 10_000
            assert plan.strategies.count() == 3
            assert plan.versions.count() == 1  # taken when it was activated
            checks = {c.name: c for c in realism(plan).checks}
            # 125% of quota passes the method's 120%; every strategy serves an objective;
            # the splits by product line, channel and segment add up to the tier total.
            for name in ("quota", "strategies", "split_line", "split_channel", "split_segment"):
                assert checks[name].ok, checks[name].sentence
        else:
            reached = [s.label for s in states if s.open and not s.done]
            assert reached == ["Objectives"], [(s.label, s.open, s.done) for s in states]
        # A accounts: each with an account plan or a reason (some reps give reasons, others
        # still have A accounts flagged).
        for account_id, reason in plan.no_plan_reasons.items():
            assert reason and Account.objects.get(pk=account_id).owner_id == rep.pk
        # The trail says the rep wrote it.
        assert plan.changes.exclude(user=rep).count() == 0
        assert plan.changes.count() > 10


def test_without_plans_there_are_no_territory_plans():
    call_command("generate", "--accounts", "60", "--seed", "42", "--no-plans", stdout=StringIO())
    assert not TerritoryPlan.objects.exists()

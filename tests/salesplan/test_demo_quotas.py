"""The demo: every rep carries a quota for the current fiscal year and its quarters, and
the demo rep's quota is distributed over their accounts."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from keyplan.people.models import User
from keyplan.plans.models import AccountPlan
from keyplan.salesplan.models import AccountGoal, Quota
from keyplan.salesplan.periods import current_year
from keyplan.salesplan.services import plan_period

pytestmark = pytest.mark.django_db


def test_every_demo_rep_has_a_quota_and_the_demo_rep_s_is_distributed():
    call_command("generate", "--accounts", "60", "--seed", "42", stdout=StringIO())
    year = current_year()
    reps = User.objects.filter(role="rep")
    assert reps.count() >= 2
    for rep in reps:
        quotas = {
            q.quarter: q.amount for q in Quota.objects.filter(rep=rep, fiscal_year=year.fiscal_year)
        }
        assert set(quotas) == {0, 1, 2, 3, 4}, rep
        assert quotas[0] >= 250_000
        assert sum(quotas[q] for q in (1, 2, 3, 4)) == quotas[0]
    for team_quota in Quota.objects.filter(level="team"):
        reps_sum = Quota.objects.filter(
            level="rep", quarter=0, rep__team=team_quota.team, fiscal_year=team_quota.fiscal_year
        ).aggregate(s=Sum("amount"))["s"]
        assert Decimal("1.09") < reps_sum / team_quota.amount < Decimal("1.16")  # over-assigned
    rep = User.objects.get(username="rep")
    quota = Quota.objects.get(rep=rep, fiscal_year=year.fiscal_year, quarter=0)
    goals = AccountGoal.objects.filter(rep=rep, fiscal_year=year.fiscal_year)
    assert goals.count() == rep.owned_accounts.count()
    # Plans of the year keep their own revenue goal; the rest is the quota × 1.1 share.
    planned = {
        p.account_id: p.revenue_goal
        for p in AccountPlan.objects.filter(owner=rep)
        if plan_period(p) == year
    }
    for goal in goals.filter(account_id__in=list(planned)):
        assert goal.amount == planned[goal.account_id]
    if not planned:
        assert goals.aggregate(s=Sum("amount"))["s"] == quota.amount * Decimal("1.1")


def test_the_demo_plans_meet_their_account_goals(client):
    """The example plans run over the next twelve months (mostly the next fiscal year):
    that year has quotas too, and each example plan shows its account goal."""
    call_command("generate", "--accounts", "60", "--seed", "42", stdout=StringIO())
    rep = User.objects.get(username="rep")
    plans = list(AccountPlan.objects.filter(owner=rep))
    assert plans
    client.force_login(rep)
    for plan in plans:
        year = plan_period(plan)
        assert Quota.objects.filter(rep=rep, fiscal_year=year.fiscal_year, quarter=0).exists()
        goal = AccountGoal.objects.get(account=plan.account, fiscal_year=year.fiscal_year)
        assert goal.amount == plan.revenue_goal
        page = client.get(f"/plans/{plan.pk}/").content.decode()
        assert 'data-testid="account-goal"' in page

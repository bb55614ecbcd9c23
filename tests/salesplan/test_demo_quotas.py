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


def test_every_demo_rep_s_goals_add_up_to_their_quota_times_the_stretch():
    """The team board reads every rep's account goals: each rep's quota is distributed,
    and the example plans' goals are inside the quota × 1.1, not on top of it."""
    call_command("generate", "--accounts", "60", "--seed", "42", stdout=StringIO())
    years = set(Quota.objects.filter(level="rep", quarter=0).values_list("fiscal_year", flat=True))
    assert years
    for rep in User.objects.filter(role="rep"):
        for year in years:
            quota = Quota.objects.get(rep=rep, fiscal_year=year, quarter=0)
            goals = AccountGoal.objects.filter(rep=rep, fiscal_year=year, quarter=0)
            assert goals.count() == rep.owned_accounts.count(), (rep, year)
            total = goals.aggregate(s=Sum("amount"))["s"]
            assert total == (quota.amount * Decimal("1.1")).quantize(Decimal(1)), (rep, year)


def test_next_year_s_quota_reads_a_full_year_of_revenue():
    """The history ends in October: next year's quota is the last twelve months' revenue
    plus growth, not ten months' (which would make it smaller than this year's)."""
    call_command("generate", "--accounts", "60", "--seed", "42", stdout=StringIO())
    years = sorted(
        set(Quota.objects.filter(level="rep", quarter=0).values_list("fiscal_year", flat=True))
    )
    if len(years) < 2:
        pytest.skip("the demo holds one fiscal year")
    company = {q.fiscal_year: q.amount for q in Quota.objects.filter(level="company", quarter=0)}
    assert company[years[1]] >= company[years[0]] * Decimal("0.95")

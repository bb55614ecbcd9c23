"""The territory plan's realism check: each check passes or names its shortfall in words
— objectives against 120% of quota, against what the facts expect, against the pipeline
they need, against people's capacity; every strategy with an objective; each other
revenue split adding up to the tier total."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.salesplan.models import (
    Quota,
    StrategyResource,
    TerritoryObjective,
    TerritoryPlan,
    TerritoryStrategy,
)
from keyplan.salesplan.realism import realism
from tests.factories import OpportunityFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)


def objective(plan, kind, dimension, target, strategy=None, title=None):
    o = TerritoryObjective.objects.create(
        plan=plan,
        kind=kind,
        dimension=dimension,
        title=title or f"{kind} {dimension}",
        target=Decimal(target),
    )
    if strategy is not None:
        o.strategies.add(strategy)
    return o


@pytest.fixture
def plan(org):
    """The rep's FY 2026 plan: quota 4.0M; objectives by tier A 2.4M, B 1.5M, C 0.5M
    (4.4M); one strategy "Grow the base" (January-February 2026) serving them; 1.3M
    booked on Mine Group in 2026 (no forecast computed, no white space learned)."""
    Quota.objects.create(level="rep", rep=org.rep, fiscal_year=2026, amount=4 * M)
    p = TerritoryPlan.objects.create(rep=org.rep, fiscal_year=2026)
    org.grow = TerritoryStrategy.objects.create(
        plan=p,
        title="Grow the base",
        first_month=datetime.date(2026, 1, 1),
        last_month=datetime.date(2026, 2, 1),
    )
    objective(p, "revenue_tier", "A", "2400000", org.grow)
    objective(p, "revenue_tier", "B", "1500000", org.grow)
    org.c = objective(p, "revenue_tier", "C", "500000", org.grow)
    SaleLineFactory(
        account=org.mine,
        product=ProductFactory(),
        date=datetime.date(2026, 2, 10),
        amount=Decimal("1300000"),
    )
    return p


def test_objectives_under_120_percent_of_quota_are_named(org, plan):
    check = realism(plan).get("quota")
    assert not check.ok
    assert check.sentence == (
        "Your revenue objectives add up to 4.4M, 110% of your 4.0M quota; the method asks for "
        "at least 120% (4.8M)."
    )
    org.c.target = Decimal("900000")
    org.c.save()
    check = realism(plan).get("quota")
    assert check.ok
    assert check.sentence == (
        "Your revenue objectives add up to 4.8M, 120% of your 4.0M quota: at least the 120% "
        "the method asks for."
    )


def test_the_share_asked_over_quota_is_a_setting(org, plan, settings):
    settings.KEYPLAN_OBJECTIVE_OVER_QUOTA = "1.1"
    assert realism(plan).get("quota").ok


def test_without_a_quota_or_tier_objectives_it_says_what_is_missing(org, plan):
    Quota.objects.all().delete()
    assert realism(plan).get("quota").sentence == (
        "No quota is set for FY 2026: the objectives cannot be set against it."
    )
    Quota.objects.create(level="rep", rep=org.rep, fiscal_year=2026, amount=4 * M)
    plan.objectives.all().delete()
    found = realism(plan)
    assert not found.get("quota").ok
    assert found.get("quota").sentence.startswith("No revenue objective by tier yet")


def test_objectives_beyond_what_the_facts_expect(org, plan):
    check = realism(plan).get("facts")
    # 4.4M − 1.3M booked (no forecast, no white space) = 3.1M.
    assert not check.ok
    assert check.sentence == (
        "Your revenue objectives of 4.4M need 3.1M beyond what the facts expect, 1.3M (the "
        "forecast 1.3M; white space not learned yet): new logos, or deals the forecast does "
        "not see yet."
    )
    plan.objectives.exclude(dimension="A").delete()
    plan.objectives.update(target=Decimal("1200000"))
    check = realism(plan).get("facts")
    assert check.ok
    assert check.sentence.startswith("Your revenue objectives of 1.2M are within what the facts")


def test_objectives_against_the_pipeline_they_need(org, plan):
    # The territory won 5 of 10 deals of 100,000 (on another rep's account, a year ago):
    # each opportunity brings 50,000; (4.4M − 1.3M) ÷ 50,000 = 62; 2 open deals by December.
    a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
    for status in ("won",) * 5 + ("lost",) * 5:
        OpportunityFactory(
            account=org.theirs,
            status=status,
            stage="Closed Won" if status == "won" else "Closed Lost",
            amount=Decimal("100000"),
            created_date=a_year_ago - datetime.timedelta(days=30),
            close_date=a_year_ago,
        )
    for close in (datetime.date(2026, 9, 30), datetime.date(2026, 12, 1)):
        OpportunityFactory(account=org.mine, amount=Decimal("80000"), close_date=close)
    check = realism(plan).get("pipeline")
    assert not check.ok
    assert check.sentence == (
        "For the revenue objectives: you need 62 more qualified opportunities of ~100,000 USD "
        "by December 2026; you have 2. 60 still to find."
    )


def test_no_closed_history_gives_no_number(org, plan):
    check = realism(plan).get("pipeline")
    assert not check.ok
    assert "no number of opportunities can be given" in check.sentence


def test_a_person_over_capacity_is_named_with_the_worst_month(org, plan):
    # 20 hours a week: 88.6 hours in January, 80 in February; the strategy asks 100.
    StrategyResource.objects.create(strategy=org.grow, person=org.rep2, hours_per_month=100)
    check = realism(plan).get("capacity")
    assert not check.ok
    assert check.sentence == (
        f"Over capacity: {org.rep2} in 2 months (worst February 2026: 100 hours of 80)."
    )
    # Hours available read whole, as in the capacity table ("81", not "81.2").
    type(org.rep2).objects.filter(pk=org.rep2.pk).update(weekly_hours=Decimal("20.3"))
    assert realism(plan).get("capacity").sentence == (
        f"Over capacity: {org.rep2} in 2 months (worst February 2026: 100 hours of 81)."
    )
    StrategyResource.objects.filter(person=org.rep2).update(hours_per_month=10)
    check = realism(plan).get("capacity")
    assert check.ok
    assert check.sentence == "Everyone the plan asks time of has it, every month (1 person)."


def test_every_strategy_needs_an_objective(org, plan):
    assert realism(plan).get("strategies").ok
    TerritoryStrategy.objects.create(
        plan=plan,
        title="Partner push",
        first_month=datetime.date(2026, 3, 1),
        last_month=datetime.date(2026, 6, 1),
    )
    check = realism(plan).get("strategies")
    assert not check.ok
    assert check.sentence == "1 strategy has no objective: Partner push."


def test_other_splits_add_up_to_the_tier_total_within_one_percent(org, plan):
    found = realism(plan)
    assert [c.name for c in found.checks if c.name.startswith("split")] == []  # none given
    objective(plan, "revenue_line", "", "4400000")
    objective(plan, "revenue_channel", "own", "3000000")
    objective(plan, "revenue_channel", "partners", "1000000")
    objective(plan, "revenue_segment", "base", "3000000")
    objective(plan, "revenue_segment", "prospects", "1420000")  # 20k over: 0.45%
    found = realism(plan)
    assert found.get("split_line").ok
    assert found.get("split_segment").ok
    channel = found.get("split_channel")
    assert not channel.ok
    assert channel.sentence == (
        "By channel the revenue objectives add up to 4.0M, 400k (9%) less than the 4.4M by tier."
    )
    assert not found.ok
    assert {c.name for c in found.shortfalls} >= {"quota", "facts", "split_channel"}

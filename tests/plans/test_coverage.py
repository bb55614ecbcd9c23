"""Pipeline coverage = (open ideas + open opportunities linked to the plan) / goal,
against the method's 2.5-3x band; hand-computed cases."""

import datetime
from decimal import Decimal

import pytest

from keyplan.plans import selectors, services
from keyplan.plans.selectors import compute_coverage
from tests.factories import OpportunityFactory
from tests.plans.conftest import add_idea

D = Decimal


def test_ideas_below_band_show_the_gap_to_two_and_a_half_times_the_goal():
    cov = compute_coverage(
        goal=D("1000000"),
        stretch_goal=D("1500000"),
        ideas=[(D("800000"), "idea", "direct", None), (D("400000"), "qualified", "joint", None)],
        opportunities={},
    )
    assert cov.pipeline == D("1200000")
    assert cov.revenue.ratio == D("1.20")
    assert cov.revenue.status == "low"
    assert cov.revenue.gap == D("1300000")  # 2.5M - 1.2M
    assert cov.stretch.ratio == D("0.80")
    assert cov.stretch.gap == D("2550000")  # 3.75M - 1.2M
    assert cov.by_delivery == {"direct": D("800000"), "joint": D("400000"), "partner": D("0")}


@pytest.mark.parametrize(
    ("pipeline", "status"),
    [("2499999", "low"), ("2500000", "in-band"), ("3000000", "in-band"), ("3000001", "above")],
)
def test_band_edges(pipeline, status):
    cov = compute_coverage(
        goal=D("1000000"),
        stretch_goal=None,
        ideas=[(D(pipeline), "idea", "direct", None)],
        opportunities={},
    )
    assert cov.revenue.status == status
    assert cov.stretch.status == "no-goal" and cov.stretch.ratio is None


def test_an_idea_that_became_an_opportunity_counts_once_by_the_opportunity_amount():
    cov = compute_coverage(
        goal=D("100"),
        stretch_goal=None,
        ideas=[
            (D("50"), "opportunity", "partner", 7),  # the opportunity (60) counts, not 50
            (D("30"), "won", "direct", 8),  # won: no longer pipeline
            (D("20"), "dropped", "direct", None),
        ],
        opportunities={7: (D("60"), "open"), 8: (D("30"), "won"), 9: (D("40"), "open")},
    )
    assert cov.ideas == D("0")
    assert cov.opportunities == D("100")  # 60 + 40; the won one is not pipeline
    assert cov.by_delivery["partner"] == D("60")
    assert cov.by_delivery["direct"] == D("40")  # linked directly to the plan
    assert cov.revenue.ratio == D("1.00")


def test_no_goal_no_ratio():
    cov = compute_coverage(goal=D("0"), stretch_goal=None, ideas=[], opportunities={})
    assert cov.revenue.ratio is None and cov.revenue.gap == 0


def test_plan_coverage_reads_ideas_and_linked_opportunities(org, plan):
    add_idea(plan, org.rep, "1000000")
    add_idea(plan, org.rep, "700000", delivery="partner", partner_name="Acme Integrators")
    dropped = add_idea(plan, org.rep, "5000000")
    services.idea_move(idea=dropped, user=org.rep, stage="dropped")
    opp = OpportunityFactory(
        account=org.mine_child,
        amount=D("600000"),
        status="open",
        created_date=datetime.date(2026, 1, 1),
        close_date=datetime.date(2027, 3, 1),
    )
    plan.opportunities.add(opp)
    closed = OpportunityFactory(account=org.mine, amount=D("9000000"), stage="Closed Lost")
    plan.opportunities.add(closed)
    cov = selectors.coverage(plan)
    assert cov.pipeline == D("2300000")
    assert cov.revenue.ratio == D("2.30")
    assert cov.revenue.gap == D("200000")
    assert cov.by_delivery["partner"] == D("700000")
    assert cov.stretch.ratio == D("1.53")


def test_moving_an_idea_to_opportunity_keeps_coverage_and_creates_the_opportunity(org, plan):
    idea = add_idea(plan, org.rep, "400000")
    before = selectors.coverage(plan).pipeline
    idea = services.idea_move(
        idea=services.idea_move(idea=idea, user=org.rep, stage="qualified"),
        user=org.rep,
        stage="opportunity",
    )
    assert idea.opportunity.amount == D("400000")
    assert idea.opportunity.account_id == org.mine.pk
    assert selectors.coverage(plan).pipeline == before


def test_linking_an_open_opportunity_from_the_plan_page_counts_it(org, plan, client):
    opp = OpportunityFactory(
        account=org.mine,
        amount=D("250000"),
        created_date=datetime.date(2026, 1, 1),
        close_date=datetime.date(2027, 3, 1),
    )
    client.force_login(org.rep)
    response = client.post(
        f"/plans/{plan.pk}/opportunities/",
        {"opportunity": opp.pk, "linked": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "Leave out" in response.content.decode()
    assert selectors.coverage(plan).opportunities == D("250000")
    assert plan.changes.filter(subject="opportunity link").exists()
    client.post(f"/plans/{plan.pk}/opportunities/", {"opportunity": opp.pk, "linked": "0"})
    assert selectors.coverage(plan).opportunities == D("0")
    foreign = OpportunityFactory(account=org.theirs)
    refused = client.post(
        f"/plans/{plan.pk}/opportunities/",
        {"opportunity": foreign.pk, "linked": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "cannot see it" in refused.content.decode()
    assert not plan.opportunities.exists()


def test_an_idea_revived_after_dropping_reuses_its_open_opportunity(org, plan):
    from keyplan.sales.models import Opportunity

    idea = add_idea(plan, org.rep, "400000")
    for stage in ("qualified", "opportunity", "dropped", "idea", "qualified", "opportunity"):
        idea = services.idea_move(idea=idea, user=org.rep, stage=stage)
    assert Opportunity.objects.filter(account=org.mine).count() == 1
    assert selectors.coverage(plan).opportunities == D("400000")

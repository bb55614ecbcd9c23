"""The demo territory ships with complete, realistic example plans for the demo rep, so a
newcomer sees what good looks like: goals heard from the account's own people, ideas in
every stage and delivery, investments decided and pending, coverage in and below band."""

import pytest
from django.db.models import Sum
from django.utils import timezone
from django.utils.html import escape

from keyplan.plans import selectors
from keyplan.plans.choices import Delivery, GoalLevel, IdeaStage, InvestmentStatus, PlanStatus
from keyplan.plans.models import (
    AccountPlan,
    InvestmentCase,
    Notification,
    PlanChange,
    Strategy,
)
from keyplan.sales.models import SalesMonth
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db

SIZE = ("--accounts", 60, "--seed", 11)


@pytest.fixture
def plans(db):
    output = run_generate(*SIZE)
    assert "Example account plans for rep:" in output
    return list(AccountPlan.objects.order_by("pk"))


def test_three_active_plans_for_the_reps_biggest_accounts(plans):
    assert len(plans) == 3
    for plan in plans:
        assert plan.status == PlanStatus.ACTIVE
        assert plan.owner.username == "rep" and plan.account.owner.username == "rep"
        facts = selectors.plan_facts(plan)
        assert 1.1 <= facts.goal_vs_run_rate(plan.revenue_goal) <= 1.35
        assert 1.4 <= plan.stretch_goal / plan.revenue_goal <= 1.6
        assert plan.aspiration_statement and plan.aspiration_value > plan.stretch_goal
        assert plan.values.count() == 2 and not plan.values.filter(amount__lte=0).exists()
        assert "lorem" not in (plan.customer_business + plan.our_aspirations).lower()
    revenue = {
        p.account_id: SalesMonth.objects.filter(account=p.account).aggregate(s=Sum("amount"))["s"]
        for p in plans
    }
    assert all(revenue[p.account_id] > 0 for p in plans)


def test_goals_are_heard_from_the_accounts_own_people(plans):
    today = timezone.localdate()
    for plan in plans:
        goals = list(plan.goals.select_related("source_contact"))
        assert 3 <= len(goals) <= 4
        assert {g.level for g in goals} == set(GoalLevel.values)
        for goal in goals:
            assert goal.source_contact.account_id == plan.account_id
            assert goal.source_date < today
            assert {c.account_id for c in goal.contacts.all()} == {plan.account_id}
            assert goal.story and goal.value_measure
        corporate = next(g for g in goals if g.level == GoalLevel.CORPORATE)
        assert corporate.source_contact.seniority in ("c_level", "vp")


def test_research_names_competitors_and_an_introducer(plans):
    for plan in plans:
        assert plan.customer_business and plan.customer_trends and plan.customer_challenges
        kinds = sorted(plan.vendors.values_list("relation", flat=True))
        assert kinds == ["competitor", "competitor", "introducer"]
        for vendor in plan.vendors.all():
            assert vendor.product_lines.exists()


def test_ideas_mix_deliveries_stages_and_white_space(plans):
    for plan in plans:
        ideas = list(plan.ideas.select_related("opportunity", "product_line"))
        assert 5 <= len(ideas) <= 7
        assert all(i.goal and i.goal.plan_id == plan.pk and i.root_cause for i in ideas)
        assert {i.delivery for i in ideas} == set(Delivery.values)
        assert all(i.partner_name for i in ideas if i.delivery == Delivery.PARTNER)
        stages = [i.stage for i in ideas]
        assert stages.count(IdeaStage.QUALIFIED) == 1 and stages.count(IdeaStage.OPPORTUNITY) == 1
        opportunity = next(i for i in ideas if i.stage == IdeaStage.OPPORTUNITY).opportunity
        assert opportunity.account_id == plan.account_id and opportunity.status == "open"
        bought = set(
            SalesMonth.objects.filter(account=plan.account).values_list(
                "product__product_line__name", flat=True
            )
        )
        assert any(i.product_line.name not in bought for i in ideas)


def test_investments_approved_by_the_manager_and_pending(plans):
    for plan in plans:
        cases = list(InvestmentCase.objects.filter(idea__plan=plan).select_related("idea"))
        approved = [c for c in cases if c.status == InvestmentStatus.APPROVED]
        pending = [c for c in cases if c.status == InvestmentStatus.SUBMITTED]
        assert len(approved) == 1 and len(pending) == 1
        assert approved[0].submitted_by.username == "rep"
        assert approved[0].decided_by.username == "manager" and approved[0].decision_comment
        assert approved[0].idea.stage == IdeaStage.OPPORTUNITY
        assert pending[0].idea.needs_investment and pending[0].idea.stage == IdeaStage.IDEA
    assert Notification.objects.filter(recipient__username="manager").count() >= 3
    assert Notification.objects.filter(recipient__username="rep", text__contains="approved")


def test_coverage_in_band_for_two_plans_and_below_for_one(plans):
    statuses = [selectors.coverage(p).revenue.status for p in plans]
    assert statuses == ["in-band", "in-band", "low"]
    low = selectors.coverage(plans[2]).revenue
    assert 1.4 <= low.ratio <= 1.8


def test_the_first_plan_was_presented_and_the_feed_tells_the_history(plans):
    first = plans[0]
    assert first.proposal_vision and first.proposal_response
    assert first.proposal_presented_on < timezone.localdate()
    assert first.proposal_presented_to.account_id == first.account_id
    assert first.ideas.filter(in_proposal=True).count() == 3
    for plan in plans:
        steps = selectors.progress(plan)
        assert not [s for s in steps[:3] if not s.done], [s.missing for s in steps[:3]]
        # Our people's changes (the customer's, on the first plan shared with them, carry
        # their name instead: keyplan.mutual).
        ours = PlanChange.objects.filter(plan=plan, by_name="")
        users = set(ours.values_list("user__username", flat=True))
        helpers = set(plan.help_requests.values_list("asked_of__username", flat=True))
        # The executive who answered a meeting request (its answer is in the feed).
        helpers |= set(
            plan.executive_meeting_requests.exclude(answered_at=None).values_list(
                "executive__username", flat=True
            )
        )
        assert {"rep", "manager"} <= users <= {"rep", "manager"} | helpers
        assert PlanChange.objects.filter(plan=plan, subject="idea", action="status").exists()


def snapshot() -> list:
    out = []
    for plan in AccountPlan.objects.order_by("account__external_id"):
        out.append(
            (
                plan.account.name,
                plan.revenue_goal,
                plan.stretch_goal,
                plan.aspiration_value,
                plan.aspiration_statement,
                plan.value_perception,
                plan.customer_business,
                plan.proposal_vision,
                sorted(
                    (g.title, g.story, g.source_contact.email, str(g.source_date))
                    for g in plan.goals.all()
                ),
                sorted(plan.values.values_list("metric", "amount")),
                sorted(plan.vendors.values_list("name", "relation", "estimated_spend")),
                sorted(
                    plan.ideas.values_list(
                        "title", "annual_value", "stage", "delivery", "partner_name"
                    )
                ),
                sorted(
                    InvestmentCase.objects.filter(idea__plan=plan).values_list(
                        "title", "cost", "status", "decision_comment"
                    )
                ),
                sorted(
                    plan.objectives.values_list(
                        "category", "title", "target", "due_date", "owner__username"
                    )
                ),
                sorted(
                    Strategy.objects.filter(objective__plan=plan).values_list(
                        "objective__category", "description"
                    )
                ),
                sorted(
                    plan.actions.values_list(
                        "title", "owner__username", "due_date", "effort_hours", "status"
                    )
                ),
                sorted(plan.milestones.values_list("title", "date")),
                sorted(plan.help_requests.values_list("what", "asked_of__username", "status")),
                sorted(
                    plan.executive_pairings.values_list(
                        "our_executive__username", "their_executive__email"
                    )
                ),
                sorted(
                    plan.account.contacts.values_list(
                        "email",
                        "decision_role",
                        "attitude",
                        "relationship_strength",
                        "relationship_owner__username",
                    )
                ),
                sorted(plan.versions.values_list("number", "reason")),
            )
        )
    return out


def test_the_same_seed_gives_the_same_plans_and_no_plans_gives_none():
    run_generate(*SIZE)
    first = snapshot()
    assert len(first) == 3
    run_generate(*SIZE, "--flush")
    assert snapshot() == first
    assert AccountPlan.objects.count() == 3  # the old plans went with the old territory
    run_generate(*SIZE, "--flush", "--no-plans")
    assert not AccountPlan.objects.exists()
    assert not Notification.objects.filter(url__startswith="/plans/").exists()


def test_the_plans_open_for_the_rep_and_the_manager(plans, client):
    from keyplan.people.models import User

    for username in ("rep", "manager"):
        client.force_login(User.objects.get(username=username))
        assert client.get("/plans/").status_code == 200
        for plan in plans:
            response = client.get(plan.get_absolute_url())
            assert response.status_code == 200
            assert escape(plan.goals.first().title) in response.content.decode()

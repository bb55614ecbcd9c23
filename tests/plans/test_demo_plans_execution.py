"""The example plans also show the second half of a good plan: the relationship map with
its warnings, an executive pairing per plan (one overdue), objectives of every category
with strategies and owned actions, milestones, a qualitative goal, help asked of and
committed by other people, a rep slightly over-committed in one month, a plan confirmed
current and one reviewed with a version that differs from its activation's."""

import datetime

import pytest
from django.db.models import Sum

from keyplan.accounts.choices import DecisionRole, RelationshipStrength
from keyplan.accounts.models import Contact, Interaction
from keyplan.people.models import User
from keyplan.plans import capacity, health, relationships, versions
from keyplan.plans.choices import (
    HelpStatus,
    ObjectiveCategory,
    ProgressSource,
    VersionReason,
)
from keyplan.plans.models import AccountPlan, Action, PlanVersion, Strategy
from keyplan.plans.services.execution import MAX_STRATEGIES
from keyplan.reviews.models import ReviewItem
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db

SIZE = ("--accounts", 60, "--seed", 11)
SOURCES = {
    ObjectiveCategory.REVENUE: ProgressSource.REVENUE,
    ObjectiveCategory.BUSINESS_DEVELOPMENT: ProgressSource.WHITE_SPACE,
    ObjectiveCategory.CROSS_ACCOUNT: ProgressSource.CONTACTS_ENGAGED,
    ObjectiveCategory.MARKETING: ProgressSource.MANUAL,
}


@pytest.fixture
def plans(db):
    output = run_generate(*SIZE)
    assert "Example account plans for rep:" in output
    return list(AccountPlan.objects.order_by("pk"))


def test_objectives_of_every_category_with_strategies_and_owned_actions(plans):
    for plan in plans:
        objectives = list(plan.objectives.all())
        assert sorted(o.category for o in objectives) == sorted(ObjectiveCategory.values)
        for o in objectives:
            assert o.progress_source == SOURCES[o.category]
            assert plan.period_start <= o.due_date <= plan.period_end
            assert o.owner.username in ("rep", "manager") and o.title and o.metric
            strategies = list(o.strategies.all())
            assert 1 <= len(strategies) <= 3 <= MAX_STRATEGIES
            for s in strategies:
                assert s.description and s.resources
                assert 2 <= s.actions.count() <= 5  # 2-4, one more added at the review
        by = {o.category: o for o in objectives}
        assert by[ObjectiveCategory.REVENUE].target == plan.revenue_goal
        assert 2 <= by[ObjectiveCategory.BUSINESS_DEVELOPMENT].target <= 3
        marketing = by[ObjectiveCategory.MARKETING]
        assert marketing.manual_value is not None and marketing.manual_updated_by is not None
        actions = list(plan.actions.select_related("owner").prefetch_related("contacts"))
        assert all(a.strategy_id for a in actions)
        assert {a.owner.username for a in actions} == {"rep", "manager", "exec"}
        for a in actions:
            assert plan.period_start <= a.due_date <= plan.period_end
            assert 2 <= a.effort_hours <= 16
            assert {c.account_id for c in a.contacts.all()} <= {plan.account_id}
        assert sum(1 for a in actions if a.contacts.exists()) >= len(actions) // 2
        first_weeks = [a for a in actions if (a.due_date - plan.period_start).days < 28]
        assert len(first_weeks) >= 3
        milestones = list(plan.milestones.all())
        assert len(milestones) == 2
        assert all(plan.period_start <= m.date <= plan.period_end for m in milestones)
        assert plan.qualitative_goals.count() == 1
        help_requests = list(
            plan.help_requests.filter(help_kind="help").select_related("asked_of", "requested_by")
        )
        assert len(help_requests) == 2
        assert all(h.asked_of.username != "rep" for h in help_requests)
        assert all(h.requested_by.username == "rep" for h in help_requests)
        committed = [h for h in help_requests if h.status == HelpStatus.COMMITTED]
        assert len(committed) == 1 and committed[0].response and committed[0].responded_at


def test_the_first_plan_is_worked_on_together(plans):
    """Comments with a mention, a delivery commitment and a new-offering request."""
    from keyplan.plans.models import Notification

    first = plans[0]
    assert first.comments.filter(mentions__username="rep").exists()
    assert Notification.objects.filter(
        recipient__username="rep", url__startswith=first.get_absolute_url() + "#comment-"
    ).exists()
    commitment = first.help_requests.get(help_kind="commitment")
    assert (commitment.function, commitment.status, commitment.committed_by.username) == (
        "delivery",
        HelpStatus.COMMITTED,
        "manager",
    )
    flagged = first.ideas.get(needs_new_offering=True)
    assert flagged.new_offering_category == "Multi-vendor monitoring" and flagged.new_offering_need
    assert not any(p.comments.exists() for p in plans[1:])


def test_the_map_shows_roles_warnings_and_a_pairing_per_plan(plans):
    overdue = 0
    for plan in plans:
        contacts = list(Contact.objects.filter(account=plan.account, is_active=True))
        roles = {c.decision_role for c in contacts}
        assert {DecisionRole.DECISION_MAKER, DecisionRole.BLOCKER, DecisionRole.CHAMPION} <= roles
        deciders = [c for c in contacts if c.decision_role == DecisionRole.DECISION_MAKER]
        covered = [
            c
            for c in deciders
            if c.relationship_strength in (RelationshipStrength.MEDIUM, RelationshipStrength.STRONG)
        ]
        assert len(covered) > len(deciders) / 2  # most decision makers covered ...
        assert any(c.relationship_strength == RelationshipStrength.WEAK for c in deciders)
        owners = {c.relationship_owner.username for c in contacts if c.relationship_owner_id}
        assert owners == {"rep", "manager", "exec"}
        kinds = {w.kind for w in relationships.map_warnings(plan)}
        assert {"uncovered_decision_maker", "influential_blocker"} <= kinds  # ... not all
        assert "single_threaded" not in kinds
        pairings = list(plan.executive_pairings.select_related("our_executive", "their_executive"))
        assert len(pairings) == 1
        pairing = pairings[0]
        assert pairing.our_executive.username == "exec" and pairing.cadence_days == 91
        senior = {"c_level": 0, "vp": 1, "director": 2, "manager": 3}
        top = min(senior.get(c.seniority, 9) for c in contacts)
        assert senior.get(pairing.their_executive.seniority, 9) == top
        assert Interaction.objects.filter(
            is_executive=True,
            contacts=pairing.their_executive,
            participants=pairing.our_executive,
        ).exists()
        rows = relationships.relationship_map(plan).pairings
        assert len(rows) == 1 and rows[0].last_met is not None
        overdue += rows[0].overdue
    assert overdue == 1


def test_the_rep_is_over_committed_in_one_month_and_not_the_others(plans):
    rep = User.objects.get(username="rep")
    plan = plans[0]
    months = [capacity.add_months(capacity.month_start(plan.period_start), i) for i in range(12)]
    [row] = capacity.capacity([rep], months)
    over = [load for load in row if load.over]
    assert len(over) == 1 and over[0].month == months[0]
    assert 100 < over[0].percent <= 125
    assert max(load.percent for load in row if not load.over) < 80
    # The first month's load comes from all three account plans and the rep's territory
    # plan (the 8 hours a month they give the A accounts' executive strategy).
    first = Action.objects.filter(
        owner=rep, due_date__range=(months[0], months[1] - datetime.timedelta(days=1))
    )
    assert first.values("plan").distinct().count() == 3
    assert over[0].territory == 8
    assert first.aggregate(h=Sum("effort_hours"))["h"] + over[0].territory == over[0].planned


def test_health_is_fair_to_good_but_never_perfect(plans):
    for plan in plans:
        score = health.plan_health(plan).score
        assert 40 <= score <= 95, (plan, score)


def test_one_plan_confirmed_and_one_reviewed_with_a_version_that_differs(plans):
    for plan in plans:
        assert plan.versions.filter(number=1, reason=VersionReason.ACTIVATED).exists()
    assert plans[0].confirmed_by.username == "rep" and plans[0].confirmed_at
    # The plan page's "Record a quarterly review" (the review sittings of the demo keep
    # their own versions, tests/reviews/test_demo_reviews.py).
    reviews = list(
        PlanVersion.objects.filter(reason=VersionReason.REVIEW).exclude(
            pk__in=ReviewItem.objects.filter(plan_version__isnull=False).values("plan_version")
        )
    )
    assert len(reviews) == 1 and reviews[0].plan_id == plans[1].pk and reviews[0].note
    first = plans[1].versions.get(number=1)
    diff = versions.compare(first.content, reviews[0].content)
    assert diff["actions"]["added"] and diff["actions"]["changed"]
    assert Strategy.objects.filter(objective__plan__in=plans).count() >= 3 * 6

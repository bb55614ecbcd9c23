"""A new plan for an account that had one carries forward its open goals and ideas,
marked as carried; won and dropped ideas stay behind."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from tests.plans.conftest import add_idea


def test_open_goals_and_ideas_are_carried_and_marked(org, plan, client):
    goal = services.element_save(
        kind="goal",
        plan=plan,
        user=org.rep,
        level="corporate",
        title="Expand to Asia",
        contacts=[org.cfo],
    )
    add_idea(
        plan,
        org.rep,
        "300000",
        title="Asia roll-out",
        goal=goal,
        expected_date=datetime.date(2027, 6, 1),
    )
    won = add_idea(plan, org.rep, "100000", title="Done deal")
    won = services.idea_move(
        idea=services.idea_move(idea=won, user=org.rep, stage="qualified"),
        user=org.rep,
        stage="opportunity",
    )
    services.idea_move(idea=won, user=org.rep, stage="won")
    dropped = add_idea(plan, org.rep, "100000", title="Bad idea")
    services.idea_move(idea=dropped, user=org.rep, stage="dropped")

    new = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
        revenue_goal=Decimal("1200000"),
        carry_forward=True,
    )
    assert new.carried_from == plan
    [carried_goal] = new.goals.all()
    assert carried_goal.carried_from == goal and list(carried_goal.contacts.all()) == [org.cfo]
    [carried_idea] = new.ideas.all()
    assert carried_idea.title == "Asia roll-out" and carried_idea.carried_from_id is not None
    assert carried_idea.goal == carried_goal  # linked to the new plan's copy of the goal
    assert carried_idea.expected_date is None  # its 2027 date lies outside the new period
    assert plan.goals.count() == 1 and plan.ideas.count() == 3  # the old plan is untouched
    client.force_login(org.rep)
    html = client.get(new.get_absolute_url()).content.decode()
    assert html.count(">carried<") == 2
    assert "carried forward from" in html


def test_without_carry_forward_the_new_plan_starts_empty(org, plan):
    add_idea(plan, org.rep, "300000")
    new = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
        revenue_goal=Decimal("1"),
    )
    assert not new.ideas.exists() and new.carried_from is None


def test_create_page_offers_carry_forward_only_when_there_was_a_plan(org, plan, client):
    client.force_login(org.rep)
    assert (
        "Carry forward from" in client.get(f"/accounts/{org.mine.pk}/plans/new/").content.decode()
    )
    assert (
        "Carry forward"
        not in client.get(f"/accounts/{org.mine_child.pk}/plans/new/").content.decode()
    )


def test_open_actions_are_carried_with_their_contacts(org, plan):
    open_action = services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Meet the CFO",
        owner=org.rep,
        due_date=datetime.date(2027, 11, 1),
        effort_hours=Decimal("3"),
        contacts=[org.cfo],
    )
    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Done already",
        owner=org.rep,
        due_date=datetime.date(2027, 2, 1),
        effort_hours=Decimal("1"),
        status="done",
    )
    new = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
        revenue_goal=Decimal("1"),
        carry_forward=True,
    )
    [carried] = new.actions.all()
    assert carried.title == "Meet the CFO" and carried.carried_from_id == open_action.pk
    assert list(carried.contacts.all()) == [org.cfo]
    assert plan.actions.count() == 2


def test_a_carried_action_with_last_periods_date_can_be_marked_done(org, plan):
    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Renewal call",
        owner=org.rep,
        due_date=datetime.date(2027, 12, 15),
        effort_hours=Decimal("1"),
    )
    new = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
        revenue_goal=Decimal("1"),
        carry_forward=True,
    )
    carried = new.actions.get()
    done = services.element_save(
        kind="action", plan=new, user=org.rep, instance=carried, status="done"
    )
    assert done.status == "done" and done.due_date == datetime.date(2027, 12, 15)


def test_carried_actions_move_and_count_once(org, plan):
    from keyplan.plans.capacity import capacity

    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Exec briefing",
        owner=org.rep,
        due_date=datetime.date(2027, 11, 3),
        effort_hours=Decimal("10"),
    )
    services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
        revenue_goal=Decimal("1"),
        carry_forward=True,
    )
    [[load]] = capacity([org.rep], [datetime.date(2027, 11, 1)])
    assert load.planned == Decimal("10")
    assert plan.actions.get().status == "cancelled"
    assert plan.changes.filter(label__contains="moved to the plan for").exists()


def test_approved_investments_and_counted_opportunities_are_carried(org, plan):
    from tests.factories import OpportunityFactory

    idea = add_idea(plan, org.rep, "500000", title="Pilot", needs_investment=True)
    case = services.element_save(
        kind="investment",
        plan=plan,
        user=org.rep,
        idea=idea,
        title="Pilot kit",
        cost=Decimal("10"),
        expected_return=Decimal("20"),
    )
    services.investment_submit(case=case, user=org.rep)
    services.investment_decide(case=case, user=org.manager, approve=True)
    opp = OpportunityFactory(
        account=org.mine,
        amount=Decimal("900000"),
        created_date=datetime.date(2026, 1, 1),
        close_date=datetime.date(2028, 3, 1),
    )
    services.plan_link_opportunity(plan=plan, user=org.rep, opportunity=opp)
    new = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
        revenue_goal=Decimal("1"),
        carry_forward=True,
    )
    carried = new.ideas.get()
    assert carried.investments.get().status == "approved"
    assert [e.status for e in carried.investments.get().events.all()] == ["submitted", "approved"]
    carried = services.idea_move(idea=carried, user=org.rep, stage="qualified")
    services.idea_move(idea=carried, user=org.rep, stage="opportunity")
    assert list(new.opportunities.all()) == [opp]

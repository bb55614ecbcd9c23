"""Conti's order: a territory plan's steps open one after the other from what the plan
holds, and every write to a step that is not open is refused, saying why."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from keyplan.salesplan.choices import TerritoryStep
from keyplan.salesplan.models import TerritoryActivity
from keyplan.salesplan.territory import services as ts
from keyplan.salesplan.territory.steps import reached_words, step_states, steps

FY = 2027


def start(org, rep=None):
    return ts.territory_plan_create(user=org.rep, rep=rep or org.rep, fiscal_year=FY)


def strategy(org, plan, title, **data):
    data = {
        "title": title,
        "leverages": ["partners"],
        "target_tiers": ["A"],
        "first_month": datetime.date(FY, 1, 1),
        "last_month": datetime.date(FY, 6, 1),
    } | data
    return ts.strategy_save(user=org.rep, plan=plan, data=data)


def activity(org, plan, strat, title="Webinar", day=datetime.date(FY, 3, 10), hours="8", **data):
    data = {
        "strategy": strat,
        "title": title,
        "owner": org.rep,
        "due_date": day,
        "effort_hours": hours,
    } | data
    return ts.activity_save(user=org.rep, plan=plan, data=data)


def objective(org, plan, strategies, kind="revenue_tier", dimension="A", target="1000000", **data):
    data = {"kind": kind, "dimension": dimension, "target": target, "strategies": strategies}
    return ts.objective_save(user=org.rep, plan=plan, data=data)


def build(org):
    """A plan with every step done: facts read, one strategy with an activity, a revenue
    objective for A accounts, one goal."""
    plan = start(org)
    plan = ts.facts_review(user=org.rep, plan=plan, note="A accounts carry the year")
    webinars = strategy(org, plan, "Partner webinars")
    activity(org, plan, webinars)
    objective(org, plan, [webinars.pk])
    ts.goal_save(user=org.rep, plan=plan, data={"text": "Partner of record in the north"})
    return plan, webinars


def _refusal(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.messages)


def test_each_step_refuses_to_be_skipped_and_says_why(org):
    plan = start(org)
    states = steps(plan)
    assert [(s.label, s.open, s.done) for s in states] == [
        ("Facts", True, False),
        ("Strategies", False, False),
        ("Activities", False, False),
        ("Objectives", False, False),
        ("Goals", False, False),
    ]
    assert _refusal(lambda: strategy(org, plan, "Too early")) == (
        "Strategies open once the facts have been read."
    )
    plan = ts.facts_review(user=org.rep, plan=plan, note="")
    webinars = strategy(org, plan, "Partner webinars")
    assert _refusal(lambda: objective(org, plan, [webinars.pk])) == (
        "Objectives open once every strategy has an activity: “Partner webinars” has none."
    )
    second = strategy(org, plan, "Executive dinners")
    activity(org, plan, webinars)
    assert _refusal(lambda: objective(org, plan, [webinars.pk])) == (
        "Objectives open once every strategy has an activity: “Executive dinners” has none."
    )
    assert _refusal(lambda: ts.goal_save(user=org.rep, plan=plan, data={"text": "Early goal"})) == (
        "Goals open once the objectives are done, and objectives once every strategy has "
        "an activity."
    )
    activity(org, plan, second, title="Dinner with the CFO")
    # An activity objective alone: the plan still needs one for revenue, and every
    # strategy one of its own.
    objective(org, plan, [webinars.pk], kind="activity", dimension="", target="4")
    assert _refusal(lambda: ts.goal_save(user=org.rep, plan=plan, data={"text": "Too early"})) == (
        "Goals open once the objectives are done: every strategy needs an objective: "
        "“Executive dinners” has none; the plan needs at least one revenue objective."
    )
    objective(org, plan, [webinars.pk, second.pk])
    ts.goal_save(user=org.rep, plan=plan, data={"text": "Partner of record in the north"})
    assert [s.done for s in steps(plan)] == [True] * 5
    assert reached_words(steps(plan)) == "All five steps done"


def test_a_locked_step_has_no_activity_before_a_strategy(org):
    plan = start(org)
    plan = ts.facts_review(user=org.rep, plan=plan)
    with pytest.raises(ValidationError, match="Activities open once the plan has a strategy."):
        ts.activity_save(
            user=org.rep,
            plan=plan,
            data={"title": "x", "owner": org.rep, "due_date": "2027-03-01", "effort_hours": 2},
        )
    assert reached_words(steps(plan)) == "Step 2 of 5: Strategies"


def test_removing_the_last_activity_closes_the_objectives_step_again(org):
    plan, webinars = build(org)
    ts.activity_delete(user=org.rep, activity=TerritoryActivity.objects.get(strategy=webinars))
    objectives = next(s for s in steps(plan) if s.step == TerritoryStep.OBJECTIVES)
    assert not objectives.open
    assert objectives.why_locked == (
        "Objectives open once every strategy has an activity: “Partner webinars” has none."
    )


def test_activation_waits_for_every_step(org):
    plan = start(org)
    plan = ts.facts_review(user=org.rep, plan=plan)
    webinars = strategy(org, plan, "Partner webinars")
    message = _refusal(lambda: ts.territory_plan_activate(user=org.rep, plan=plan))
    assert message.startswith("A territory plan is activated once every step is done.")
    assert "Activities: Every strategy needs an activity: “Partner webinars” has none." in message
    activity(org, plan, webinars)
    objective(org, plan, [webinars.pk])
    ts.goal_save(user=org.rep, plan=plan, data={"text": "Be the partner of record"})
    plan = ts.territory_plan_activate(user=org.rep, plan=plan)
    assert plan.status == "active" and plan.versions.get().reason == "activated"


def test_steps_take_three_queries_for_one_plan_or_many(org, django_assert_num_queries):
    plan, _ = build(org)
    other = ts.territory_plan_create(user=org.manager, rep=org.rep2, fiscal_year=FY)
    with django_assert_num_queries(3):
        steps(plan)
    with django_assert_num_queries(3):
        states = step_states([plan, other])
    assert [s.done for s in states[other.pk]] == [False] * 5
    assert [s.done for s in states[plan.pk]] == [True] * 5

"""Who may see and change a territory plan: the rep their own, their manager their
team's, sales ops everyone's; executives read; other reps see nothing; nobody changes an
archived plan."""

import pytest
from django.core.exceptions import PermissionDenied

from keyplan.salesplan.models import TerritoryPlan
from keyplan.salesplan.territory import services as ts
from keyplan.salesplan.territory.permissions import (
    territory_create_refusal,
    territory_edit_refusal,
)
from tests.salesplan.test_territory_steps import FY, build


def test_who_may_change_a_reps_plan(org):
    plan = ts.territory_plan_create(user=org.rep, rep=org.rep, fiscal_year=FY)
    read_only = (
        f"Only {org.rep} and their managers (or sales operations) change {org.rep}'s "
        "territory plan; you can read it."
    )
    assert {
        who: territory_edit_refusal(getattr(org, who), plan)
        for who in ("rep", "manager", "ops", "executive", "rep2", "other")
    } == {
        "rep": None,
        "manager": None,
        "ops": None,
        "executive": read_only,
        "rep2": read_only,
        "other": read_only,
    }


def test_who_may_start_a_plan_for_a_rep(org):
    refused = (
        f"Only {org.rep2} and their managers (or sales operations) start {org.rep2}'s "
        "territory plan."
    )
    assert territory_create_refusal(org.rep, org.rep) is None
    assert territory_create_refusal(org.rep, org.rep2) == refused
    assert territory_create_refusal(org.manager, org.rep2) is None
    assert territory_create_refusal(org.manager, org.other) is not None  # not their team
    assert territory_create_refusal(org.ops, org.other) is None
    assert territory_create_refusal(org.executive, org.rep2) == refused
    with pytest.raises(PermissionDenied, match="start"):
        ts.territory_plan_create(user=org.executive, rep=org.rep2, fiscal_year=FY)
    assert not TerritoryPlan.objects.exists()


def test_who_sees_which_plans(org):
    mine = ts.territory_plan_create(user=org.rep, rep=org.rep, fiscal_year=FY)
    teammate = ts.territory_plan_create(user=org.rep2, rep=org.rep2, fiscal_year=FY)
    outside = ts.territory_plan_create(user=org.other, rep=org.other, fiscal_year=FY)

    def seen(user):
        return set(TerritoryPlan.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(org.rep) == {mine.pk}
    assert seen(org.manager) == {mine.pk, teammate.pk}
    assert seen(org.other) == {outside.pk}
    assert seen(org.executive) == seen(org.ops) == {mine.pk, teammate.pk, outside.pk}


def test_services_refuse_readers_and_the_manager_edits(org):
    plan = ts.territory_plan_create(user=org.rep, rep=org.rep, fiscal_year=FY)
    with pytest.raises(PermissionDenied, match="you can read it"):
        ts.facts_review(user=org.executive, plan=plan, note="Looks fine")
    plan = ts.facts_review(user=org.manager, plan=plan, note="Read together in the 1:1")
    assert plan.facts_note == "Read together in the 1:1"
    with pytest.raises(PermissionDenied):
        ts.strategy_save(
            user=org.rep2,
            plan=plan,
            data={"title": "Not mine", "first_month": "2027-01-01", "last_month": "2027-01-01"},
        )


def test_an_archived_plan_is_read_only_for_everyone(org):
    plan, webinars = build(org)
    ts.territory_plan_archive(user=org.rep, plan=plan)
    archived = "This territory plan is archived: it can be read but no longer changed."
    plan.refresh_from_db()
    for who in (org.rep, org.manager, org.ops):
        assert territory_edit_refusal(who, plan) == archived
    with pytest.raises(PermissionDenied, match="archived"):
        ts.goal_save(user=org.ops, plan=plan, data={"text": "Too late"})

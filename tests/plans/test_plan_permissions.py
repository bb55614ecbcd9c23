"""Who may do what: the owner, the plan team, the account team and the owner's manager
edit; anyone else who can see the account reads; nobody else sees the plan."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyplan.plans import services
from keyplan.plans.models import AccountPlan
from tests.factories import AccountTeamMemberFactory, UserFactory


def _edit(plan, user):
    return services.plan_update(plan=plan, user=user, value_perception=f"edited by {user.username}")


def test_owner_and_owners_manager_edit(org, plan):
    _edit(plan, org.rep)
    _edit(plan, org.manager)
    assert AccountPlan.objects.get(pk=plan.pk).value_perception == "edited by manager"


def test_account_team_member_edits(org, plan):
    engineer = UserFactory(username="se")
    AccountTeamMemberFactory(account=org.mine, user=engineer, role="solution_engineer")
    _edit(plan, engineer)


def test_executive_and_sales_ops_read_but_do_not_edit(org, plan, client):
    for user in (org.executive, org.ops, org.rep2):
        if user is org.rep2:
            continue  # rep2 cannot even see it (below)
        assert AccountPlan.objects.visible_to(user).filter(pk=plan.pk).exists()
        with pytest.raises(PermissionDenied, match="you can read it"):
            _edit(plan, user)
    client.force_login(org.executive)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "you can read it" in html and 'data-testid="add-goal"' not in html
    assert AccountPlan.objects.get(pk=plan.pk).value_perception == ""


def test_a_rep_outside_the_team_does_not_see_the_plan(org, plan, client):
    assert not AccountPlan.objects.visible_to(org.other).filter(pk=plan.pk).exists()
    client.force_login(org.other)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(f"/plans/{plan.pk}/goal/new/").status_code == 404
    assert "Mine Group" not in client.get("/plans/").content.decode()


def test_only_people_who_could_edit_start_a_plan(org):
    with pytest.raises(PermissionDenied):
        services.plan_create(account=org.mine, user=org.executive, revenue_goal=Decimal("1"))
    plan = services.plan_create(account=org.mine, user=org.manager, revenue_goal=Decimal("1"))
    assert plan.owner == org.rep  # the account's owner owns its plan by default


def test_web_post_from_a_reader_changes_nothing(org, plan, client):
    client.force_login(org.executive)
    response = client.post(
        f"/plans/{plan.pk}/goal/new/", {"level": "corporate", "title": "Sneaky"}, follow=True
    )
    assert "you can read it" in response.content.decode()
    assert not plan.goals.exists()


def test_the_accounts_owner_edits_a_plan_someone_else_owns(org):
    plan = services.plan_create(
        account=org.mine, user=org.rep, owner=org.manager, revenue_goal=Decimal("1")
    )
    services.plan_update(plan=plan, user=org.rep, our_aspirations="Still mine to shape")
    division = services.plan_create(account=org.mine_child, user=org.rep, revenue_goal=Decimal("1"))
    services.plan_update(plan=division, user=org.manager, our_aspirations="Group owner's manager")
    assert AccountPlan.objects.get(pk=division.pk).our_aspirations == "Group owner's manager"

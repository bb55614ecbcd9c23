"""The rules of the plan's second half answer 400 naming the field at fault, with the
plan page's messages, and save nothing: a sixth strategy for one objective, an action
owner who cannot see the account, effort of 0 or less or over 744 hours, a due date
outside the plan period unless ``confirm_outside_period``."""

import pytest

from keyplan.plans import services
from keyplan.plans.models import Action, Strategy
from tests.plans.api.conftest import END, patch, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective(org, plan):
    return services.element_save(
        kind="objective",
        plan=plan,
        user=org.rep,
        category="revenue",
        title="Sell 2M",
        metric="revenue",
        target=2_000_000,
        due_date=END,
        owner=org.rep,
    )


def _action(plan, owner, **fields):
    return {
        "plan": plan.pk,
        "title": "Workshop",
        "owner": owner.pk,
        "due_date": "2027-03-01",
        "effort_hours": "8",
    } | fields


def test_a_sixth_strategy_is_refused_on_objective(as_user, org, objective):
    client = as_user(org.rep)
    for n in range(5):
        data = {"objective": objective.pk, "description": f"Way {n}"}
        assert post(client, "plan-strategies/", data).status_code == 201
    response = post(client, "plan-strategies/", {"objective": objective.pk, "description": "6"})
    assert response.status_code == 400
    assert list(response.json()) == ["objective"]
    assert "already has 5 strategies" in response.json()["objective"][0]
    assert Strategy.objects.count() == 5


def test_action_owner_who_cannot_see_the_account(as_user, org, plan):
    response = post(as_user(org.rep), "plan-actions/", _action(plan, org.other))
    assert response.status_code == 400
    assert list(response.json()) == ["owner"]
    assert "cannot see Mine Group" in response.json()["owner"][0]
    assert not Action.objects.exists()


@pytest.mark.parametrize("hours", ["0", "-2", "744.1", "1000"])
def test_effort_out_of_bounds(as_user, org, plan, hours):
    response = post(as_user(org.rep), "plan-actions/", _action(plan, org.rep, effort_hours=hours))
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["effort_hours"]
    assert not Action.objects.exists()


def test_effort_bounds_are_inclusive_at_744(as_user, org, plan):
    client = as_user(org.rep)
    response = post(client, "plan-actions/", _action(plan, org.rep, effort_hours="744"))
    assert response.status_code == 201, response.content
    changed = patch(client, f"plan-actions/{response.json()['id']}/", {"effort_hours": "0"})
    assert changed.status_code == 400 and list(changed.json()) == ["effort_hours"]
    assert str(Action.objects.get().effort_hours) == "744.0"


def test_due_date_outside_the_period_needs_confirming(as_user, org, plan):
    client = as_user(org.rep)
    late = _action(plan, org.rep, due_date="2028-02-01")
    response = post(client, "plan-actions/", late)
    assert response.status_code == 400
    assert list(response.json()) == ["due_date"]
    assert "outside the plan period" in response.json()["due_date"][0]
    assert not Action.objects.exists()
    response = post(client, "plan-actions/", late | {"confirm_outside_period": True})
    assert response.status_code == 201, response.content
    assert "confirm_outside_period" not in response.json()
    assert str(Action.objects.get().due_date) == "2028-02-01"
    # A change to another date outside is judged again; a milestone alike.
    url = f"plan-actions/{response.json()['id']}/"
    assert patch(client, url, {"due_date": "2026-06-01"}).status_code == 400
    assert patch(client, url, {"status": "done"}).status_code == 200
    milestone = {"plan": plan.pk, "title": "Pilot", "date": "2026-01-01"}
    response = post(client, "plan-milestones/", milestone)
    assert response.status_code == 400 and list(response.json()) == ["date"]
    data = milestone | {"confirm_outside_period": True}
    assert post(client, "plan-milestones/", data).status_code == 201

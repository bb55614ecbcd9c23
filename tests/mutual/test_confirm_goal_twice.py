"""A customer who clicks "Confirm this goal" twice (or sends the form again) confirmed
the goal twice: two "confirmed" lines on their page and two entries in the plan's feed.
A repeat confirmation of an unchanged goal now records nothing new; once the goal has
been edited, confirming it again is recorded (it is a new statement)."""

from django.test import Client

from keyplan.mutual.links import share_path
from keyplan.mutual.models import GoalResponse
from keyplan.plans import services
from keyplan.plans.models import CustomerGoal, PlanChange
from tests.mutual.conftest import share


def _confirm(client, path, p):
    response = client.post(path, {"do": "confirm", "item": p.goal.pk, "contact": p.clara.pk})
    assert response.status_code == 302
    return client.get(path).content.decode()


def _feed(p):
    return PlanChange.objects.filter(plan=p.plan, subject="customer confirmation").count()


def test_confirming_the_same_goal_twice_records_it_once(mutual_plan):
    p = mutual_plan
    path = share_path(share(p))
    customer = Client()
    _confirm(customer, path, p)
    page = _confirm(customer, path, p)
    assert GoalResponse.objects.filter(goal=p.goal, confirmed=True).count() == 1
    assert _feed(p) == 1
    assert page.count('data-testid="response"') == 1


def test_after_the_goal_changes_a_new_confirmation_is_recorded(mutual_plan):
    p = mutual_plan
    path = share_path(share(p))
    customer = Client()
    _confirm(customer, path, p)
    goal = CustomerGoal.objects.get(pk=p.goal.pk)
    services.element_save(
        kind="goal",
        plan=p.plan,
        user=p.org.rep,
        instance=goal,
        version=goal.version,
        title="Halve unplanned downtime in every plant by 2028",
    )
    _confirm(customer, path, p)
    assert GoalResponse.objects.filter(goal=p.goal, confirmed=True).count() == 2
    assert _feed(p) == 2

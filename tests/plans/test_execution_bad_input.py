"""Objectives, strategies and actions refuse bad input field by field and change nothing:
a sixth strategy, an action owner who cannot see the account, effort ≤ 0 or more than a
month of hours, due dates outside the plan period without confirmation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyplan.plans import services
from keyplan.plans.models import Action, PlanChange, Strategy


@pytest.fixture
def objective(org, plan):
    return services.element_save(
        kind="objective",
        plan=plan,
        user=org.rep,
        category="revenue",
        title="Sell 1.2M",
        metric="revenue",
        baseline=Decimal("0"),
        target=Decimal("1200000"),
        due_date=datetime.date(2027, 12, 31),
        owner=org.rep,
        progress_source="revenue",
    )


def _refused(call, field, text):
    before = PlanChange.objects.count()
    with pytest.raises(ValidationError) as refused:
        call()
    assert text in " ".join(refused.value.message_dict[field]), refused.value.message_dict
    assert PlanChange.objects.count() == before


def _action(plan, user, **fields):
    values = {
        "title": "Call the CFO",
        "owner": user,
        "due_date": datetime.date(2027, 3, 1),
        "effort_hours": Decimal("2"),
    } | fields
    return services.element_save(kind="action", plan=plan, user=user, **values)


def test_a_sixth_strategy_is_refused(org, plan, objective):
    for n in range(5):
        services.element_save(
            kind="strategy",
            plan=plan,
            user=org.rep,
            objective=objective,
            description=f"Strategy {n}",
        )
    _refused(
        lambda: services.element_save(
            kind="strategy",
            plan=plan,
            user=org.rep,
            objective=objective,
            description="One too many",
        ),
        "objective",
        "already has 5 strategies",
    )
    assert Strategy.objects.filter(objective=objective).count() == 5


def test_action_owner_must_see_the_account(org, plan):
    _refused(lambda: _action(plan, org.rep, owner=org.other), "owner", "cannot see Mine Group")
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        ("0", "more than 0 hours"),
        ("-3", "more than 0 hours"),
        ("800", "more than a month of hours"),
    ],
)
def test_effort_must_be_plausible(org, plan, hours, text):
    _refused(lambda: _action(plan, org.rep, effort_hours=Decimal(hours)), "effort_hours", text)


def test_dates_outside_the_period_need_confirmation(org, plan, objective):
    late = datetime.date(2028, 2, 1)
    _refused(lambda: _action(plan, org.rep, due_date=late), "due_date", "confirm it")
    action = _action(plan, org.rep, due_date=late, confirm_outside_period=True)
    assert action.due_date == late
    _refused(
        lambda: services.element_save(
            kind="milestone", plan=plan, user=org.rep, title="Go-live", date=late
        ),
        "date",
        "outside the plan period",
    )


def test_web_form_for_an_action_shows_the_message_and_keeps_nothing(org, plan, client):
    client.force_login(org.rep)
    response = client.post(
        f"/plans/{plan.pk}/action/new/",
        {
            "title": "Workshop",
            "owner": org.rep.pk,
            "due_date": "2027-05-01",
            "effort_hours": "900",
            "status": "planned",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "more than a month of hours" in response.content.decode()
    assert not Action.objects.exists()


def test_the_same_executives_are_paired_once(org, plan):
    services.element_save(
        kind="pairing",
        plan=plan,
        user=org.rep,
        our_executive=org.executive,
        their_executive=org.cfo,
    )
    _refused(
        lambda: services.element_save(
            kind="pairing",
            plan=plan,
            user=org.rep,
            our_executive=org.executive,
            their_executive=org.cfo,
        ),
        "their_executive",
        "already paired",
    )

"""Bad input is refused with a field-level message and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keyplan.plans import services
from keyplan.plans.models import AccountPlan, CustomerGoal, Idea, PlanChange
from tests.factories import ContactFactory
from tests.plans.conftest import add_idea


def _refused(call, field, text):
    before = PlanChange.objects.count()
    with pytest.raises(ValidationError) as refused:
        call()
    errors = refused.value.message_dict
    assert field in errors, errors
    assert text in " ".join(errors[field])
    assert PlanChange.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"revenue_goal": Decimal("-1")}, "revenue_goal", "cannot be negative"),
        ({"revenue_goal": Decimal("5000000000000")}, "revenue_goal", "not plausible"),
        ({"stretch_goal": Decimal("500000")}, "stretch_goal", "at least the revenue goal"),
        ({"period_end": datetime.date(2026, 12, 1)}, "period_end", "must end after it starts"),
        ({"period_end": datetime.date(2030, 1, 1)}, "period_end", "at most two years"),
        ({"aspiration_years": 8}, "aspiration_years", "3 to 5 years"),
    ],
)
def test_plan_goals_and_period(org, plan, fields, field, text):
    _refused(lambda: services.plan_update(plan=plan, user=org.rep, **fields), field, text)
    fresh = AccountPlan.objects.get(pk=plan.pk)
    assert fresh.revenue_goal == Decimal("1000000") and fresh.period_end == plan.period_end
    assert fresh.version == 1


def test_idea_dates_outside_the_plan_period(org, plan):
    _refused(
        lambda: add_idea(plan, org.rep, "1000", expected_date=datetime.date(2028, 3, 1)),
        "expected_date",
        "outside the plan period",
    )
    assert not plan.ideas.exists()


def test_idea_linked_to_another_accounts_goal(org, plan):
    other_plan = services.plan_create(
        account=org.teammate, user=org.rep2, revenue_goal=Decimal("1")
    )
    foreign_goal = services.element_save(
        kind="goal", plan=other_plan, user=org.rep2, level="corporate", title="Their goal"
    )
    _refused(lambda: add_idea(plan, org.rep, "1000", goal=foreign_goal), "goal", "another plan")
    assert not Idea.objects.filter(plan=plan).exists()


def test_goal_with_another_accounts_contact_or_a_future_source_date(org, plan):
    stranger = ContactFactory(account=org.theirs, last_name="Stranger")
    _refused(
        lambda: services.element_save(
            kind="goal", plan=plan, user=org.rep, level="personal", title="X", contacts=[stranger]
        ),
        "contacts",
        "works at another account",
    )
    _refused(
        lambda: services.element_save(
            kind="goal",
            plan=plan,
            user=org.rep,
            level="personal",
            title="X",
            source_date=datetime.date(2099, 1, 1),
        ),
        "source_date",
        "in the future",
    )
    _refused(
        lambda: services.element_save(
            kind="goal",
            plan=plan,
            user=org.rep,
            level="corporate",
            title="X",
            target_value=Decimal("-10"),
        ),
        "target_value",
        "cannot be negative",
    )
    assert not CustomerGoal.objects.exists()


def test_partner_delivery_names_the_partner(org, plan):
    _refused(
        lambda: add_idea(plan, org.rep, "1000", delivery="partner"),
        "partner_name",
        "Name the partner",
    )


def test_an_unknown_idea_stage_or_a_jump_is_refused(org, plan):
    idea = add_idea(plan, org.rep, "1000")
    _refused(
        lambda: services.idea_move(idea=idea, user=org.rep, stage="won"), "stage", "cannot move"
    )
    _refused(
        lambda: services.idea_move(idea=idea, user=org.rep, stage="bogus"), "stage", "not a stage"
    )
    assert Idea.objects.get(pk=idea.pk).stage == "idea"


def test_an_archived_plan_cannot_be_edited(org, plan):
    services.plan_activate(plan=plan, user=org.rep)
    services.plan_archive(plan=plan, user=org.rep)
    with pytest.raises(PermissionDenied, match="archived"):
        services.plan_update(plan=plan, user=org.rep, our_aspirations="late edit")
    with pytest.raises(PermissionDenied, match="archived"):
        add_idea(plan, org.rep, "1000")
    assert AccountPlan.objects.get(pk=plan.pk).our_aspirations == ""


def test_web_form_shows_the_field_message(org, plan, client):
    client.force_login(org.rep)
    response = client.post(
        f"/plans/{plan.pk}/idea/new/",
        {
            "title": "Late idea",
            "annual_value": "1000",
            "delivery": "direct",
            "confidence": "50",
            "expected_date": "2029-01-01",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#slot-idea-new"
    assert "outside the plan period" in response.content.decode()
    assert not plan.ideas.exists()


def test_an_introducer_vendor_is_saved_from_the_web_form(org, plan, client):
    client.force_login(org.rep)
    client.post(
        f"/plans/{plan.pk}/vendor/new/",
        {"relation": "introducer", "name": "Nordic Systems Integrator"},
    )
    vendor = plan.vendors.get()
    assert vendor.relation == "introducer"
    assert (
        "Other vendor who could introduce us"
        in client.get(plan.get_absolute_url()).content.decode()
    )

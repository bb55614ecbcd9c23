"""Investment cases: submitted by the team, decided by a manager or executive who did
not submit them, history kept, submitter notified; an idea that needs an investment
becomes an opportunity only after approval."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keyplan.plans import services
from keyplan.plans.models import InvestmentCase, Notification
from tests.plans.conftest import add_idea


@pytest.fixture
def case(org, plan):
    idea = add_idea(plan, org.rep, "900000", needs_investment=True, title="Joint innovation lab")
    return services.element_save(
        kind="investment",
        plan=plan,
        user=org.rep,
        idea=idea,
        title="Lab hardware",
        cost=Decimal("120000"),
        customer_share=Decimal("50"),
        expected_return=Decimal("900000"),
        payback_months=14,
    )


def test_manager_approves_and_the_rep_is_notified(org, case):
    services.investment_submit(case=case, user=org.rep)
    assert Notification.objects.filter(
        recipient=org.manager, text__contains="Lab hardware"
    ).exists()
    services.investment_decide(case=case, user=org.manager, approve=True, comment="Go — co-funded.")
    case.refresh_from_db()
    assert case.status == "approved" and case.decided_by == org.manager
    assert [e.status for e in case.events.all()] == ["submitted", "approved"]
    note = Notification.objects.get(recipient=org.rep)
    assert "approved" in note.text and "co-funded" in note.text
    assert case.our_cost == Decimal("60000")


def test_idea_needing_investment_waits_for_approval(org, case):
    idea = services.idea_move(idea=case.idea, user=org.rep, stage="qualified")
    with pytest.raises(ValidationError, match="investment case for it is approved"):
        services.idea_move(idea=idea, user=org.rep, stage="opportunity")
    idea.refresh_from_db()
    assert idea.stage == "qualified" and idea.opportunity is None
    services.investment_submit(case=case, user=org.rep)
    services.investment_decide(case=case, user=org.executive, approve=True)
    idea = services.idea_move(idea=idea, user=org.rep, stage="opportunity")
    assert idea.stage == "opportunity" and idea.opportunity is not None


def test_nobody_approves_their_own_case(org, plan, case):
    plan.team.add(org.manager)
    services.investment_submit(case=case, user=org.manager)
    with pytest.raises(PermissionDenied, match="someone else must decide"):
        services.investment_decide(case=case, user=org.manager, approve=True)
    case.refresh_from_db()
    assert case.status == "submitted"


def test_reps_and_sales_ops_do_not_decide(org, case):
    services.investment_submit(case=case, user=org.rep)
    for user in (org.rep, org.ops):
        with pytest.raises(PermissionDenied, match="managers and executives"):
            services.investment_decide(case=case, user=user, approve=True)
    assert InvestmentCase.objects.get(pk=case.pk).status == "submitted"


def test_declining_needs_a_reason_and_the_case_can_be_reworked_and_resubmitted(org, case):
    services.investment_submit(case=case, user=org.rep)
    with pytest.raises(ValidationError, match="Say why"):
        services.investment_decide(case=case, user=org.manager, approve=False)
    services.investment_decide(case=case, user=org.manager, approve=False, comment="Too costly")
    case.refresh_from_db()
    case = services.element_save(
        kind="investment", plan=case.idea.plan, user=org.rep, instance=case, cost=Decimal("80000")
    )
    services.investment_submit(case=case, user=org.rep)
    case.refresh_from_db()
    assert case.status == "submitted" and case.decision_comment == ""
    assert [e.status for e in case.events.all()] == ["submitted", "declined", "submitted"]


def test_a_submitted_case_cannot_be_edited(org, case):
    services.investment_submit(case=case, user=org.rep)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.element_save(
            kind="investment",
            plan=case.idea.plan,
            user=org.rep,
            instance=case,
            cost=Decimal("1"),
        )
    assert InvestmentCase.objects.get(pk=case.pk).cost == Decimal("120000")


def test_approval_cannot_be_bypassed_by_removing_or_rewriting_the_idea(org, case):
    idea = case.idea
    services.investment_submit(case=case, user=org.rep)
    with pytest.raises(ValidationError, match="needs that decision"):
        services.element_save(
            kind="idea", plan=idea.plan, user=org.rep, instance=idea, needs_investment=False
        )
    with pytest.raises(ValidationError, match="stay on record"):
        services.element_delete(kind="idea", plan=idea.plan, user=org.rep, instance=idea)
    idea.refresh_from_db()
    assert idea.needs_investment and InvestmentCase.objects.filter(pk=case.pk).exists()

"""The idea pipeline's workflow: moving ideas through their stages (creating or linking
a real opportunity), turning white space into ideas, and investment cases submitted to
and decided by leadership."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.plans import audit
from keyplan.plans.choices import (
    IDEA_MOVES,
    ChangeAction,
    IdeaStage,
    InvestmentStatus,
)
from keyplan.plans.models import AccountPlan, Idea, InvestmentCase, InvestmentEvent
from keyplan.plans.permissions import decide_refusal, deciders_for
from keyplan.plans.services.common import check_version, plan_subtree_ids, require_edit
from keyplan.sales.choices import OpportunityStatus, Stage


def _opportunity_for(idea: Idea, plan: AccountPlan, user):
    """A new open opportunity from the idea: its product, value, expected date and
    confidence (as the probability). It links back to the idea and the plan through
    ``Idea.opportunity`` (the opportunity page shows both)."""
    from keyplan.sales.models import Opportunity
    from keyplan.sales.services import opportunity_save

    today = timezone.localdate()
    close = idea.expected_date or plan.period_end
    return opportunity_save(
        opportunity=Opportunity(
            account_id=plan.account_id,
            product=idea.product,
            name=idea.title[:255],
            stage=Stage.QUALIFICATION,
            status=OpportunityStatus.OPEN,
            amount=idea.annual_value,
            probability=idea.confidence,
            created_date=today,
            close_date=max(close, today),
            owner=plan.owner or user,
        ),
        user=user,
        source="the account plan's idea",
    )


def _check_product(idea: Idea, product) -> None:
    """The product chosen for the opportunity: within the idea's product line, if any."""
    if idea.product_id and product.pk != idea.product_id:
        raise ValidationError(
            {"product": [f"The idea is already about {idea.product}, not {product}."]}
        )
    if idea.product_line_id and product.product_line_id != idea.product_line_id:
        raise ValidationError(
            {
                "product": [
                    f"{product} is not in the idea's product line {idea.product_line}; "
                    "choose one of its products."
                ]
            }
        )


@transaction.atomic
def idea_move(
    *, idea: Idea, user, stage: str, version=None, opportunity=None, product=None
) -> Idea:
    """Move an idea to ``stage``. Becoming an opportunity links ``opportunity`` (an open
    one of the plan's accounts) or creates one from the idea, with ``product`` (one of
    the idea's product line, which the idea then names too) when the idea has none yet;
    an idea that needs an investment moves there only once an investment case for it is
    approved."""
    idea = Idea.objects.select_for_update().select_related("plan").get(pk=idea.pk)
    plan = idea.plan
    require_edit(user, plan)
    check_version(idea, version, subject="idea")
    if stage not in IdeaStage.values:
        raise ValidationError({"stage": [f"“{stage}” is not a stage of an idea."]})
    if stage not in IDEA_MOVES[IdeaStage(idea.stage)]:
        allowed = ", ".join(
            IdeaStage(s).label.lower() for s in sorted(IDEA_MOVES[IdeaStage(idea.stage)])
        )
        raise ValidationError(
            {
                "stage": [
                    f"An idea at “{idea.get_stage_display()}” cannot move to "
                    f"“{IdeaStage(stage).label}”"
                    + (f"; it can move to: {allowed}." if allowed else ".")
                ]
            }
        )
    before = audit.snapshot(idea, ["stage", "opportunity", "product"])
    if stage == IdeaStage.OPPORTUNITY:
        if product is not None:
            _check_product(idea, product)
            idea.product = product
        if (
            idea.needs_investment
            and not idea.investments.filter(status=InvestmentStatus.APPROVED).exists()
        ):
            raise ValidationError(
                {
                    "stage": [
                        "This idea needs an investment: it becomes an opportunity once an "
                        "investment case for it is approved."
                    ]
                }
            )
        if opportunity is not None:
            if opportunity.account_id not in plan_subtree_ids(plan):
                raise ValidationError(
                    {"opportunity": [f"{opportunity} is an opportunity of another account."]}
                )
            if opportunity.status != OpportunityStatus.OPEN:
                raise ValidationError({"opportunity": [f"{opportunity} is already closed."]})
            idea.opportunity = opportunity
        elif idea.opportunity is not None and idea.opportunity.status == OpportunityStatus.OPEN:
            pass  # back from dropped: its opportunity is still open, so it is used again
        else:
            idea.opportunity = _opportunity_for(idea, plan, user)
    idea.stage = stage
    idea.version += 1
    idea.save()
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.STATUS,
        subject="idea",
        obj=idea,
        changes=audit.diff(before, audit.snapshot(idea, ["stage", "opportunity", "product"])),
    )
    return idea


def _amount(value) -> Decimal:
    """A white-space cell's value as money; anything not a finite, plausible number is
    handed on as -1 so the idea's own check refuses it with its message."""
    try:
        amount = Decimal(value or 0)
    except (ArithmeticError, ValueError, TypeError):
        return Decimal("-1")
    if not amount.is_finite() or abs(amount) > 10**13:
        return Decimal("-1")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def idea_from_whitespace(
    *, plan: AccountPlan, user, product=None, product_line=None, value=None
) -> Idea:
    """One click on a white-space cell: an idea to sell that product (or line) to the
    account, valued at the cell's expected value."""
    from keyplan.plans.services.elements import element_save

    if product is None and product_line is None:
        raise ValidationError("Choose the product or product line of the white-space cell.")
    name = product.name if product is not None else product_line.name
    open_same = plan.ideas.filter(
        stage__in=[IdeaStage.IDEA, IdeaStage.QUALIFIED, IdeaStage.OPPORTUNITY],
        **({"product": product} if product is not None else {"product_line": product_line}),
    ).first()
    if open_same is not None:
        raise ValidationError(f"The plan already has an open idea for {name}: “{open_same}”.")
    return element_save(
        kind="idea",
        plan=plan,
        user=user,
        title=f"Introduce {name}",
        problem_statement=f"{plan.account} buys no {name} from us, while similar accounts do.",
        annual_value=_amount(value),
        product=product,
        product_line=product_line or (product.product_line if product is not None else None),
        confidence=25,
    )


def _notify(users, text: str, url: str, *, plan: AccountPlan) -> None:
    # Inbox and email alike (keyplan.rhythm.mail.notify, the one place notifications
    # are made); investment cases are the "decisions waiting" kind of email.
    from keyplan.rhythm.choices import EmailKind
    from keyplan.rhythm.mail import notify

    notify(recipients=users, text=text, url=url, kind=EmailKind.DECISIONS, plan=plan)


@transaction.atomic
def investment_submit(*, case: InvestmentCase, user, version=None) -> InvestmentCase:
    case = InvestmentCase.objects.select_for_update().select_related("idea__plan").get(pk=case.pk)
    plan = case.idea.plan
    require_edit(user, plan)
    check_version(case, version, subject="investment")
    if case.status not in (InvestmentStatus.DRAFT, InvestmentStatus.DECLINED):
        raise ValidationError(
            {"status": [f"This investment case is already {case.get_status_display().lower()}."]}
        )
    old = case.status
    case.status = InvestmentStatus.SUBMITTED
    case.submitted_by = user
    case.submitted_at = timezone.now()
    case.decided_by = None
    case.decided_at = None
    case.decision_comment = ""
    case.version += 1
    case.save()
    InvestmentEvent.objects.create(case=case, status=case.status, user=user)
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.STATUS,
        subject="investment",
        obj=case,
        changes={"status": [old, case.status]},
    )
    _notify(
        deciders_for(plan, user),
        f"{user} asks you to decide the investment case “{case}” ({plan.account}).",
        plan.get_absolute_url() + "#investments",
        plan=plan,
    )
    return case


@transaction.atomic
def investment_decide(
    *, case: InvestmentCase, user, approve: bool, comment: str = "", version=None
) -> InvestmentCase:
    """Approve or decline a submitted case, with a comment; the submitter is notified."""
    case = InvestmentCase.objects.select_for_update().select_related("idea__plan").get(pk=case.pk)
    plan = case.idea.plan
    if not AccountPlan.objects.visible_to(user).filter(pk=plan.pk).exists():
        raise PermissionDenied("You cannot see this plan.")
    reason = decide_refusal(user, case)
    if reason:
        raise PermissionDenied(reason)
    if plan.is_archived:
        raise PermissionDenied("This plan is archived: it can be read but no longer changed.")
    check_version(case, version, subject="investment")
    if case.status != InvestmentStatus.SUBMITTED:
        raise ValidationError(
            {
                "status": [
                    "Only a submitted case is decided; this one is "
                    f"{case.get_status_display().lower()}."
                ]
            }
        )
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(
            {"comment": ["Say why the case is declined, so the team can act on it."]}
        )
    old = case.status
    case.status = InvestmentStatus.APPROVED if approve else InvestmentStatus.DECLINED
    case.decided_by = user
    case.decided_at = timezone.now()
    case.decision_comment = comment
    case.version += 1
    case.save()
    InvestmentEvent.objects.create(case=case, status=case.status, user=user, comment=comment)
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.DECIDED,
        subject="investment",
        obj=case,
        changes={"status": [old, case.status]} | ({"comment": [None, comment]} if comment else {}),
    )
    verdict = "approved" if approve else "declined"
    _notify(
        [case.submitted_by] if case.submitted_by_id != user.pk else [],
        f"{user} {verdict} your investment case “{case}” ({plan.account})"
        + (f": {comment}" if comment else "."),
        plan.get_absolute_url() + "#investments",
        plan=plan,
    )
    return case

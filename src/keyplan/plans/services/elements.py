"""Adding, changing and removing the parts of a plan: customer goals, value statements,
vendors (competitors and introducers), ideas and investment cases. One code path for
all of them: permission, stale-copy check, validation, save, activity record."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.audit.bin import soft_delete
from keyplan.plans import audit
from keyplan.plans.choices import ChangeAction, Delivery, InvestmentStatus
from keyplan.plans.fields import (
    GOAL_FIELDS,
    GOAL_LINKS,
    VALUE_FIELDS,
    VENDOR_FIELDS,
    VENDOR_LINKS,
)
from keyplan.plans.models import (
    AccountPlan,
    CustomerGoal,
    Idea,
    InvestmentCase,
    ValueStatement,
    Vendor,
)
from keyplan.plans.services.common import (
    check_amount,
    check_version,
    plan_subtree_ids,
    raise_if,
    require_edit,
)


def _check_contacts(errors, plan, field_name, contacts):
    subtree = plan_subtree_ids(plan)
    for contact in contacts:
        if contact is not None and contact.account_id not in subtree:
            errors.setdefault(field_name, []).append(
                f"{contact} works at another account, not at {plan.account}."
            )


def _validate_goal(plan, goal: CustomerGoal, m2m, errors, **_):
    check_amount(errors, "target_value", goal.target_value, label="Their target")
    _check_contacts(errors, plan, "contacts", m2m.get("contacts") or [])
    _check_contacts(errors, plan, "source_contact", [goal.source_contact])
    if goal.source_date and goal.source_date > timezone.localdate():
        errors.setdefault("source_date", []).append(
            f"{goal.source_date} is in the future: record where you already heard the goal."
        )
    if goal.organisation_id and goal.organisation_id not in plan_subtree_ids(plan):
        errors.setdefault("organisation", []).append(
            f"{goal.organisation} is not part of {plan.account}."
        )


def _validate_value(plan, value: ValueStatement, m2m, errors, **_):
    check_amount(errors, "amount", value.amount, label="The value")


def _validate_vendor(plan, vendor: Vendor, m2m, errors, **_):
    check_amount(errors, "estimated_spend", vendor.estimated_spend, label="Their spend")


def _validate_idea(plan, idea: Idea, m2m, errors, **_):
    check_amount(errors, "annual_value", idea.annual_value, label="The idea's value")
    if idea.goal_id and idea.goal.plan_id != plan.pk:
        errors.setdefault("goal", []).append(
            f"“{idea.goal}” is a goal of another plan ({idea.goal.plan.account}); link a goal "
            "of this plan."
        )
    if idea.delivery == Delivery.PARTNER and not idea.partner_name.strip():
        errors.setdefault("partner_name", []).append(
            "Name the partner company that would deliver it with us."
        )
    if (
        idea.pk
        and not idea.needs_investment
        and idea.investments.filter(
            status__in=[InvestmentStatus.SUBMITTED, InvestmentStatus.DECLINED]
        ).exists()
    ):
        errors.setdefault("needs_investment", []).append(
            "Its investment case is submitted or declined: the idea needs that decision "
            "(or a new case approved) before it can go ahead without one."
        )
    if idea.needs_new_offering:
        idea.new_offering_category = " ".join(idea.new_offering_category.split())
        if not idea.new_offering_need.strip():
            errors.setdefault("new_offering_need", []).append(
                "Describe what the customer needs that we do not sell yet, for product management."
            )
        if not idea.new_offering_category:
            errors.setdefault("new_offering_category", []).append(
                "Pick or type the kind of need, so product management sees it beside similar ones."
            )
    if idea.expected_date and not plan.period_start <= idea.expected_date <= plan.period_end:
        errors.setdefault("expected_date", []).append(
            f"{idea.expected_date} is outside the plan period "
            f"({plan.period_start} – {plan.period_end})."
        )


def _validate_investment(plan, case: InvestmentCase, m2m, errors, **_):
    check_amount(errors, "cost", case.cost, label="The cost")
    check_amount(errors, "expected_return", case.expected_return, label="The expected return")
    if case.idea_id and case.idea.plan_id != plan.pk:
        errors.setdefault("idea", []).append("That idea belongs to another plan.")
    if case.pk and case.status in (InvestmentStatus.SUBMITTED, InvestmentStatus.APPROVED):
        errors.setdefault("__all__", []).append(
            f"This investment case is {case.get_status_display().lower()}: it cannot be "
            "changed any more."
        )


@dataclass(frozen=True)
class ElementKind:
    name: str
    label: str
    model: type
    fields: tuple[str, ...]
    validate: Callable
    m2m: tuple[str, ...] = field(default=())
    # The part it hangs from when that is not the plan itself (an investment's idea, a
    # strategy's objective); given among the values when it is created.
    parent: str | None = None
    before_save: Callable | None = None

    def plan_of(self, obj) -> AccountPlan:
        return getattr(obj, self.parent).plan if self.parent else obj.plan


KINDS = {
    k.name: k
    for k in (
        ElementKind(
            "goal",
            "customer goal",
            CustomerGoal,
            GOAL_FIELDS,
            _validate_goal,
            GOAL_LINKS,
        ),
        ElementKind(
            "value",
            "value statement",
            ValueStatement,
            VALUE_FIELDS,
            _validate_value,
        ),
        ElementKind(
            "vendor",
            "vendor",
            Vendor,
            VENDOR_FIELDS,
            _validate_vendor,
            VENDOR_LINKS,
        ),
        ElementKind(
            "idea",
            "idea",
            Idea,
            (
                "title",
                "problem_statement",
                "root_cause",
                "goal",
                "delivery",
                "partner_name",
                "annual_value",
                "expected_date",
                "confidence",
                "needs_investment",
                "in_proposal",
                "product",
                "product_line",
                "needs_new_offering",
                "new_offering_need",
                "new_offering_category",
            ),
            _validate_idea,
        ),
        ElementKind(
            "investment",
            "investment case",
            InvestmentCase,
            (
                "idea",
                "title",
                "description",
                "cost",
                "customer_share",
                "expected_return",
                "payback_months",
                "risks",
                "in_proposal",
            ),
            _validate_investment,
            parent="idea",
        ),
    )
}


def register(kind: ElementKind) -> None:
    KINDS[kind.name] = kind


def _full_clean(obj, errors, spec):
    try:
        obj.full_clean(exclude=["plan", spec.parent] if spec.parent else ["plan"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))


@transaction.atomic
def element_save(
    *,
    kind: str,
    plan: AccountPlan,
    user,
    instance=None,
    version=None,
    confirm_outside_period: bool = False,
    **values,
):
    """Add (``instance`` None) or change one part of ``plan``; returns it. Refuses with a
    ValidationError naming each bad field, PermissionDenied, or EditConflict. Dates
    outside the plan period are refused unless ``confirm_outside_period``."""
    spec = KINDS[kind]
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    require_edit(user, plan)
    unknown = set(values) - set(spec.fields) - set(spec.m2m)
    if unknown:
        raise ValidationError({f: [f"Not a field of a {spec.label}."] for f in sorted(unknown)})
    m2m = {k: values.pop(k) for k in list(values) if k in spec.m2m}
    if instance is None:
        obj = spec.model() if spec.parent else spec.model(plan=plan)
        if spec.model is Idea:
            obj.created_by = user
        before = {}
    else:
        obj = spec.model.objects.select_for_update().get(pk=instance.pk)
        if spec.plan_of(obj).pk != plan.pk:
            raise ValidationError(f"That {spec.label} belongs to another plan.")
        check_version(obj, version, subject=kind)
        before = audit.snapshot(obj, list(values) + list(m2m))
    for name, value in values.items():
        setattr(obj, name, value)
    errors: dict = {}
    if spec.parent and getattr(obj, f"{spec.parent}_id") is None:
        errors.setdefault(spec.parent, []).append(f"Choose the {spec.parent} it belongs to.")
    else:
        # A date is judged when it is set or changed: an action carried over with last
        # period's date can still be marked done without re-confirming the date.
        changed = (
            set(values)
            if instance is None
            else {k for k in values if before.get(k) != audit._plain(values[k])}
        )
        spec.validate(
            plan, obj, m2m, errors, confirmed=confirm_outside_period, user=user, changed=changed
        )
    _full_clean(obj, errors, spec)
    raise_if(errors)
    if spec.before_save:
        spec.before_save(obj, user=user, before=before, values=values)
    m2m_changed = instance is not None and any(
        sorted(str(i) for i in (items or [])) != before.get(name)
        for name, items in m2m.items()
        if items is not None
    )
    scalar_changed = audit.diff(
        {k: v for k, v in before.items() if k in values},
        audit.snapshot(obj, list(values)),
    )
    if instance is not None and not (scalar_changed or m2m_changed):
        return obj  # nothing changed: no new version, no record
    if instance is not None:
        obj.version += 1
    obj.save()
    for name, items in m2m.items():
        if items is not None:
            getattr(obj, name).set(items)
    after = audit.snapshot(obj, list(values) + list(m2m))
    changes = audit.diff(before, after)
    if instance is None or changes:
        audit.record(
            plan=plan,
            user=user,
            action=ChangeAction.CREATED if instance is None else ChangeAction.UPDATED,
            subject=kind,
            obj=obj,
            changes=changes,
        )
    return obj


@transaction.atomic
def element_delete(*, kind: str, plan: AccountPlan, user, instance, version=None) -> None:
    """Remove one part of ``plan``; ``version`` (what the remover loaded) refuses the
    delete with EditConflict when someone saved the part since."""
    spec = KINDS[kind]
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    require_edit(user, plan)
    obj = spec.model.objects.select_for_update().get(pk=instance.pk)
    if spec.plan_of(obj).pk != plan.pk:
        raise ValidationError(f"That {spec.label} belongs to another plan.")
    check_version(obj, version, subject=kind)
    if spec.model is InvestmentCase and obj.status == InvestmentStatus.APPROVED:
        raise ValidationError("An approved investment case stays on record; it cannot be removed.")
    if spec.model is Idea and obj.investments.exclude(status=InvestmentStatus.DRAFT).exists():
        raise ValidationError(
            "This idea has investment cases that were submitted or decided; they stay on "
            "record, so drop the idea instead of removing it."
        )
    audit.record(plan=plan, user=user, action=ChangeAction.DELETED, subject=kind, obj=obj)
    # Into the recycle bin, restorable for 30 days, with its place in the plan named.
    soft_delete(obj=obj, user=user, label=f"{spec.label} “{obj}” in {plan}")

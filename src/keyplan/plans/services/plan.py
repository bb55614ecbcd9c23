from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.core.words import amount, day, plural
from keyplan.plans import audit
from keyplan.plans.choices import (
    OPEN_IDEA_STAGES,
    ActionStatus,
    ChangeAction,
    PlanStatus,
    VersionReason,
)
from keyplan.plans.models import AccountPlan, CustomerGoal
from keyplan.plans.permissions import can_create_plan, edit_refusal
from keyplan.plans.services.common import (
    check_amount,
    check_version,
    plan_subtree_ids,
    raise_if,
    require_edit,
)
from keyplan.plans.versions import take_version

# Fields of the plan itself that an editor changes (scalars and foreign keys).
PLAN_FIELDS = (
    "period_start",
    "period_end",
    "aspiration_years",
    "owner",
    "revenue_goal",
    "stretch_goal",
    "aspiration_statement",
    "aspiration_value",
    "value_perception",
    "our_aspirations",
    "customer_business",
    "customer_trends",
    "customer_challenges",
    "our_capabilities",
    "our_references",
    "our_offers",
    "proposal_vision",
    "proposal_presented_on",
    "proposal_presented_to",
    "proposal_response",
)
PLAN_M2M = ("team", "covered_accounts")
MAX_PERIOD_DAYS = 2 * 366


def default_period(today: date | None = None) -> tuple[date, date]:
    """The next 12 months: from the first day of next month to the end of the 12th."""
    today = today or timezone.localdate()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    start = date(year, month, 1)
    end = date(year + 1, month, 1).toordinal() - 1
    return start, date.fromordinal(end)


def _sees(user, account) -> bool:
    from keyplan.accounts.models import Account

    return Account.objects.visible_to(user).filter(pk=account.pk).exists()


def _validate(plan: AccountPlan, m2m: dict) -> None:
    errors: dict = {}
    if plan.period_start and plan.period_end:
        if plan.period_end <= plan.period_start:
            errors["period_end"] = ["The period must end after it starts."]
        elif (plan.period_end - plan.period_start).days > MAX_PERIOD_DAYS:
            errors["period_end"] = [
                "A plan covers at most two years; the 3-5 year view is the aspiration."
            ]
    if plan.aspiration_years is not None and not 3 <= plan.aspiration_years <= 5:
        errors["aspiration_years"] = [
            f"The aspiration looks 3 to 5 years ahead (got {plan.aspiration_years})."
        ]
    check_amount(errors, "revenue_goal", plan.revenue_goal, label="The revenue goal")
    check_amount(errors, "stretch_goal", plan.stretch_goal, label="The stretch goal")
    check_amount(errors, "aspiration_value", plan.aspiration_value, label="The aspiration")
    if (
        plan.stretch_goal is not None
        and plan.revenue_goal is not None
        and "stretch_goal" not in errors
        and plan.stretch_goal < plan.revenue_goal
    ):
        errors["stretch_goal"] = [
            f"The stretch goal ({amount(plan.stretch_goal)}) must be at least the revenue "
            f"goal ({amount(plan.revenue_goal)})."
        ]
    if plan.owner is not None and not _sees(plan.owner, plan.account):
        errors["owner"] = [f"{plan.owner} cannot see {plan.account}, so cannot own its plan."]
    subtree = None
    if m2m.get("covered_accounts"):
        subtree = plan_subtree_ids(plan)
        outside = [
            a for a in m2m["covered_accounts"] if a.pk not in subtree or a.pk == plan.account_id
        ]
        if outside:
            errors["covered_accounts"] = [
                f"{', '.join(str(a) for a in outside)}: not under {plan.account}; a plan covers "
                "its account and accounts under it."
            ]
    for member in m2m.get("team") or []:
        if not _sees(member, plan.account):
            errors.setdefault("team", []).append(
                f"{member} cannot see {plan.account}, so cannot be on its plan's team."
            )
    if plan.proposal_presented_to_id:
        subtree = subtree or plan_subtree_ids(plan)
        if plan.proposal_presented_to.account_id not in subtree:
            errors["proposal_presented_to"] = [
                f"{plan.proposal_presented_to} is not a contact of {plan.account}."
            ]
    if plan.pk and plan.period_start and plan.period_end and not errors.get("period_end"):
        outside = plan.ideas.filter(expected_date__isnull=False).exclude(
            expected_date__range=(plan.period_start, plan.period_end)
        )
        count = outside.count()
        if count:
            errors["period_end"] = [
                f"{plural(count, 'idea')} {'is' if count == 1 else 'are'} expected outside "
                f"{day(plan.period_start)} – {day(plan.period_end)}; change "
                f"{'its date' if count == 1 else 'their dates'} first."
            ]
    raise_if(errors)


def _set_m2m(plan, m2m: dict) -> None:
    for name, values in m2m.items():
        if values is not None:
            getattr(plan, name).set(values)


@transaction.atomic
def plan_create(
    *,
    account,
    user,
    owner=None,
    period_start: date | None = None,
    period_end: date | None = None,
    carry_forward: bool = False,
    team=None,
    covered_accounts=None,
    **fields,
) -> AccountPlan:
    """A draft plan for ``account``. With ``carry_forward`` the open customer goals and
    ideas of the account's previous plan are copied in, each marked as carried."""
    if not can_create_plan(user, account):
        raise PermissionDenied(
            f"Only {account}'s owner, its account team and the owner's manager start its plan."
        )
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({f: ["Not a field of an account plan."] for f in sorted(unknown)})
    default_start, default_end = default_period()
    plan = AccountPlan(
        account=account,
        owner=owner or account.owner or user,
        period_start=period_start or default_start,
        period_end=period_end or default_end,
        created_by=user,
        **fields,
    )
    if team is None:
        team = [m.user for m in account.team_members.select_related("user")]
    if covered_accounts is None:  # by default a plan covers the whole group under it
        covered_accounts = list(account.children.order_by("name")[:500])
    m2m = {"team": team, "covered_accounts": covered_accounts}
    _validate(plan, m2m)
    plan.save()
    _set_m2m(plan, m2m)
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED,
        subject="plan",
        obj=plan,
        changes=audit.diff(
            {}, audit.snapshot(plan, ("period_start", "period_end", "owner", "revenue_goal"))
        ),
    )
    if carry_forward:
        _carry_forward(plan, user)
    from keyplan.salesplan.services import plan_started  # the account goal of its year

    plan_started(plan=plan, user=user)
    return plan


def previous_plan(account, *, exclude=None, before: date | None = None) -> AccountPlan | None:
    """The account's latest plan (other than ``exclude``), starting before ``before``."""
    plans = AccountPlan.objects.filter(account=account)
    if exclude is not None:
        plans = plans.exclude(pk=exclude.pk)
    if before is not None:
        plans = plans.filter(period_start__lt=before)
    return plans.order_by("-period_start", "-pk").first()


def _carry_forward(plan: AccountPlan, user) -> None:
    source = previous_plan(plan.account, exclude=plan, before=plan.period_start)
    if source is None:
        return
    plan.carried_from = source
    plan.save(update_fields=["carried_from"])
    goal_map = {}
    through = CustomerGoal.contacts.through
    contacts_of: dict[int, list[int]] = {}
    for goal_id, contact_id in through.objects.filter(customergoal__plan=source).values_list(
        "customergoal_id", "contact_id"
    ):
        contacts_of.setdefault(goal_id, []).append(contact_id)
    links = []
    for goal in source.goals.all():
        old_pk = goal.pk
        goal.pk = None
        goal.plan = plan
        goal.carried_from_id = old_pk
        goal.version = 1
        goal.save()
        goal_map[old_pk] = goal.pk
        links += [
            through(customergoal_id=goal.pk, contact_id=c) for c in contacts_of.get(old_pk, [])
        ]
    through.objects.bulk_create(links)
    ideas = []
    old_ideas = []
    for idea in source.ideas.filter(stage__in=OPEN_IDEA_STAGES).order_by("pk"):
        old_pk = idea.pk
        old_ideas.append(old_pk)
        idea.pk = None
        idea.plan = plan
        idea.carried_from_id = old_pk
        idea.goal_id = goal_map.get(idea.goal_id)
        idea.version = 1
        if idea.expected_date and not plan.period_start <= idea.expected_date <= plan.period_end:
            idea.expected_date = None  # its old date lies outside the new period: re-plan it
        ideas.append(idea)
    for idea in ideas:  # saved one by one: their new ids are needed for their cases
        idea.save()
    _carry_pipeline(source, plan, dict(zip(old_ideas, [i.pk for i in ideas], strict=True)))
    actions = _carry_actions(source, plan)
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED,
        subject="plan",
        obj=plan,
        label=f"carried forward from {source.period_label}",
        changes={"goals": [0, len(goal_map)], "ideas": [0, len(ideas)], "actions": [0, actions]},
    )


def _carry_actions(source: AccountPlan, plan: AccountPlan) -> int:
    """Open actions (planned or scheduled) move to the new plan with their owners, dates
    and contacts; their strategies belong to the old plan's objectives and stay there."""
    from keyplan.plans.choices import OPEN_ACTION_STATUSES
    from keyplan.plans.models import Action

    through = Action.contacts.through
    contacts_of: dict[int, list[int]] = {}
    for action_id, contact_id in through.objects.filter(action__plan=source).values_list(
        "action_id", "contact_id"
    ):
        contacts_of.setdefault(action_id, []).append(contact_id)
    links = []
    count = 0
    moved = list(
        source.actions.filter(status__in=OPEN_ACTION_STATUSES).values_list("pk", flat=True)
    )
    for action in source.actions.filter(pk__in=moved):
        old_pk = action.pk
        action.pk = None
        action.plan = plan
        action.strategy = None
        action.carried_from_id = old_pk
        action.version = 1
        action.save()
        count += 1
        links += [through(action_id=action.pk, contact_id=c) for c in contacts_of.get(old_pk, [])]
    through.objects.bulk_create(links)
    # They moved: the old plan no longer counts them (capacity, My work, health).
    Action.objects.filter(pk__in=moved).update(status=ActionStatus.CANCELLED)
    if moved:
        audit.record(
            plan=source,
            user=None,
            action=ChangeAction.STATUS,
            subject="plan",
            obj=source,
            label=f"{plural(len(moved), 'open action')} moved to the plan for {plan.period_label}",
            changes={"status": ["planned/scheduled", "cancelled (moved)"]},
        )
    return count


def _carry_pipeline(source: AccountPlan, plan: AccountPlan, idea_map: dict) -> None:
    """The pipeline stays whole: investment cases (with their history) follow their
    carried ideas, and opportunities counted in the old plan stay counted if still open."""
    from keyplan.plans.models import InvestmentCase, InvestmentEvent
    from keyplan.sales.choices import OpportunityStatus

    for case in InvestmentCase.objects.filter(idea_id__in=list(idea_map)).order_by("pk"):
        events = list(case.events.all())
        case.pk = None
        case.idea_id = idea_map[case.idea_id]
        case.version = 1
        case.save()
        InvestmentEvent.objects.bulk_create(
            [
                InvestmentEvent(case=case, status=e.status, user_id=e.user_id, comment=e.comment)
                for e in events
            ]
        )
    plan.opportunities.add(*source.opportunities.filter(status=OpportunityStatus.OPEN))


@transaction.atomic
def plan_update(
    *, plan: AccountPlan, user, version=None, team=None, covered_accounts=None, **fields
):
    """Change the plan's own fields. ``version`` is the one the editor loaded."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    require_edit(user, plan)
    check_version(plan, version, subject="plan")
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({f: ["Not a field you can change here."] for f in sorted(unknown)})
    m2m = {"team": team, "covered_accounts": covered_accounts}
    watched = list(fields) + [k for k, v in m2m.items() if v is not None]
    before = audit.snapshot(plan, watched)
    for name, value in fields.items():
        setattr(plan, name, value)
    _validate(plan, m2m)
    unchanged = not audit.diff(before, audit.snapshot(plan, list(fields))) and all(
        sorted(str(i) for i in values) == before.get(name)
        for name, values in m2m.items()
        if values is not None
    )
    if unchanged:
        return plan  # nothing changed: no new version, no record
    plan.version += 1
    plan.save()
    _set_m2m(plan, m2m)
    changes = audit.diff(before, audit.snapshot(plan, watched))
    if changes:
        audit.record(
            plan=plan,
            user=user,
            action=ChangeAction.UPDATED,
            subject="plan",
            obj=plan,
            changes=changes,
        )
    if "revenue_goal" in changes or "period_start" in changes or "period_end" in changes:
        from keyplan.salesplan.services import goal_follow_plan  # the goal is the plan's

        goal_follow_plan(plan=plan, user=user)
    return plan


@transaction.atomic
def plan_activate(*, plan: AccountPlan, user) -> AccountPlan:
    """Draft → active. The account's active plan for an overlapping period is archived:
    one active plan per account and period."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    require_edit(user, plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            {
                "status": [
                    "Only a draft plan can be activated (this one is "
                    f"{plan.get_status_display().lower()})."
                ]
            }
        )
    if not plan.revenue_goal:
        raise ValidationError({"revenue_goal": ["Set a revenue goal before activating the plan."]})
    overlapping = AccountPlan.objects.filter(
        account_id=plan.account_id,
        status=PlanStatus.ACTIVE,
        period_start__lte=plan.period_end,
        period_end__gte=plan.period_start,
    ).exclude(pk=plan.pk)
    for old in overlapping:
        refusal = edit_refusal(user, old)
        if refusal:
            raise ValidationError(
                {
                    "status": [
                        f"The plan for {old.period_label} is active for an overlapping period "
                        f"and you cannot archive it ({refusal}) Ask its owner, {old.owner}."
                    ]
                }
            )
        _set_status(
            old, user, PlanStatus.ARCHIVED, note=f"replaced by the plan for {plan.period_label}"
        )
    plan = _set_status(plan, user, PlanStatus.ACTIVE)
    take_version(plan=plan, user=user, reason=VersionReason.ACTIVATED)
    return plan


@transaction.atomic
def plan_confirm(*, plan: AccountPlan, user, review: bool = False, note: str = "") -> AccountPlan:
    """Someone of the team confirms the plan is current; at a quarterly review this also
    keeps a version of the whole plan."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    require_edit(user, plan)
    plan.confirmed_at = timezone.now()
    plan.confirmed_by = user
    # Not an edit of the plan's content: a teammate's open edit stays valid.
    plan.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.UPDATED,
        subject="plan",
        obj=plan,
        label="reviewed with the team" if review else "confirmed current",
    )
    if review:
        take_version(plan=plan, user=user, reason=VersionReason.REVIEW, note=note)
    return plan


@transaction.atomic
def plan_save_version(*, plan: AccountPlan, user, note: str = ""):
    """A version of the plan kept on demand (anyone who may edit it)."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    require_edit(user, plan)
    return take_version(plan=plan, user=user, reason=VersionReason.ON_DEMAND, note=note)


@transaction.atomic
def plan_archive(*, plan: AccountPlan, user) -> AccountPlan:
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    require_edit(user, plan)
    return _set_status(plan, user, PlanStatus.ARCHIVED)


def _set_status(plan, user, status, note: str = "") -> AccountPlan:
    old = plan.status
    plan.status = status
    now = timezone.now()
    if status == PlanStatus.ACTIVE:
        plan.activated_at = now
    elif status == PlanStatus.ARCHIVED:
        plan.archived_at = now
    plan.version += 1
    plan.save()
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.STATUS,
        subject="plan",
        obj=plan,
        label=note or str(plan),
        changes={"status": [old, status]},
    )
    return plan


@transaction.atomic
def plan_link_opportunity(*, plan: AccountPlan, user, opportunity, linked: bool = True):
    """Count an open opportunity of the plan's accounts in its pipeline (or stop)."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    require_edit(user, plan)
    if linked and opportunity.account_id not in plan_subtree_ids(plan):
        raise ValidationError(
            {"opportunity": [f"{opportunity} is an opportunity of another account."]}
        )
    if linked and opportunity.status != "open":
        raise ValidationError(
            {"opportunity": [f"{opportunity} is closed: only open opportunities are pipeline."]}
        )
    already = plan.opportunities.filter(pk=opportunity.pk).exists()
    if linked == already:
        return plan
    if linked:
        plan.opportunities.add(opportunity)
    else:
        plan.opportunities.remove(opportunity)
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED if linked else ChangeAction.DELETED,
        subject="opportunity link",
        obj=opportunity,
        changes={"amount": [None, audit._plain(opportunity.amount)]} if linked else {},
    )
    return plan

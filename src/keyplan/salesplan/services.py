"""Writes to quotas and account goals: every page, the API, the import and the demo call
these. Each change is refused from a stale version, recorded in the trail
(``QuotaChange``), and an account goal and its account plan's revenue goal follow each
other unless set apart on purpose."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from keyplan.core import words
from keyplan.plans.services.common import EditConflict, Trail
from keyplan.plans.services.common import check_version as shared_check_version
from keyplan.salesplan.choices import GoalBasis, QuotaLevel
from keyplan.salesplan.models import AccountGoal, Quota, QuotaChange
from keyplan.salesplan.periods import Period
from keyplan.salesplan.permissions import goals_edit_refusal, quota_edit_refusal

# A quota of more than a trillion is a typo, not a number anyone carries.
ABSURD = Decimal("1000000000000")


# A stale save of a quota or goal is refused by the account plans' one rule (who saved,
# when, what it holds now); ``StaleSave`` is its name here.
StaleSave = EditConflict


class QuotaTrail(Trail):
    """Quotas and account goals keep their changes in QuotaChange."""

    def last_change(self, *, subject: str, obj):
        changes = QuotaChange.objects.filter(subject=subject, object_id=obj.pk)
        return changes.select_related("user").first()

    def name(self, *, subject: str, obj) -> str:
        return f"the {subject} for {obj}"

    def summary(self, change, *, obj) -> str:
        return f"it is now {words.amount(obj.amount)}"


QUOTA_TRAIL = QuotaTrail()


def _plain(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def _record(*, subject: str, obj, user, before, after, note: str = "") -> None:
    changes = {"amount": [_plain(before), _plain(after)]} if before != after else {}
    QuotaChange.objects.create(
        subject=subject,
        object_id=obj.pk,
        label=str(obj)[:255],
        user=user if getattr(user, "is_authenticated", False) else None,
        changes=changes,
        note=note[:255],
    )


def check_version(obj, version, *, subject: str) -> None:
    """Refuse a save made from a stale copy (``version``: what the editor loaded; None:
    the caller does not track versions, e.g. an import or a script)."""
    shared_check_version(obj, version, subject=subject, trail=QUOTA_TRAIL)


def _check_amount(value, *, label: str) -> Decimal:
    if value in (None, ""):
        raise ValidationError({"amount": [f"Give the {label}."]})
    value = Decimal(value)
    if value < 0:
        raise ValidationError(
            {"amount": [f"A {label} cannot be negative ({words.amount(value)})."]}
        )
    if value > ABSURD:
        raise ValidationError(
            {"amount": [f"A {label} of {words.amount(value)} is not plausible (over a trillion)."]}
        )
    return value.quantize(Decimal("0.01"))


def _holder_errors(level, rep, team) -> dict:
    if level == QuotaLevel.REP:
        if rep is None:
            return {"rep": ["Say whose quota it is: a rep's quota names the rep."]}
        if team is not None:
            return {"team": ["A rep's quota names the rep only, not a team."]}
    elif level == QuotaLevel.TEAM:
        if team is None:
            return {"team": ["Say which team's quota it is."]}
        if rep is not None:
            return {"rep": ["A team's quota names the team only, not a rep."]}
    elif level == QuotaLevel.COMPANY:
        if rep is not None or team is not None:
            return {"level": ["The company's quota names neither a rep nor a team."]}
    else:
        return {"level": [f"“{level}” is not one of: rep, team, company."]}
    return {}


@transaction.atomic
def quota_save(
    *,
    user,
    level: str,
    period: Period,
    amount,
    rep=None,
    team=None,
    version=None,
    check_permission: bool = True,
) -> tuple[Quota, bool]:
    """Set the quota of a rep, a team or the company for ``period`` (created if new).
    Returns (quota, created). ``version``: what the editor loaded (stale → refused)."""
    if check_permission:
        refusal = quota_edit_refusal(user)
        if refusal:
            raise PermissionDenied(refusal)
    errors = _holder_errors(level, rep, team)
    if errors:
        raise ValidationError(errors)
    value = _check_amount(amount, label="quota")
    holder = {"rep": rep} if level == QuotaLevel.REP else {"team": team} if team else {}
    quota = (
        Quota.objects.select_for_update()
        .filter(level=level, fiscal_year=period.fiscal_year, quarter=period.quarter, **holder)
        .first()
    )
    if quota is None:
        quota = Quota.objects.create(
            level=level,
            fiscal_year=period.fiscal_year,
            quarter=period.quarter,
            amount=value,
            updated_by=user if getattr(user, "is_authenticated", False) else None,
            **holder,
        )
        _record(subject="quota", obj=quota, user=user, before=None, after=value, note="set")
        return quota, True
    check_version(quota, version, subject="quota")
    if quota.amount == value:
        return quota, False
    before = quota.amount
    quota.amount = value
    quota.version += 1
    quota.updated_by = user if getattr(user, "is_authenticated", False) else None
    quota.save()
    _record(subject="quota", obj=quota, user=user, before=before, after=value)
    return quota, False


@transaction.atomic
def quota_update(*, quota: Quota, user, amount, version=None) -> Quota:
    """Change an existing quota's amount (the API and the edit form)."""
    found, _ = quota_save(
        user=user,
        level=quota.level,
        period=quota.period,
        amount=amount,
        rep=quota.rep,
        team=quota.team,
        version=version,
    )
    return found


@transaction.atomic
def quota_delete(*, quota: Quota, user, version=None) -> None:
    refusal = quota_edit_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)
    quota = Quota.objects.select_for_update().get(pk=quota.pk)
    check_version(quota, version, subject="quota")
    _record(subject="quota", obj=quota, user=user, before=quota.amount, after=None, note="removed")
    quota.delete()


# -- account goals -------------------------------------------------------------------


def _plans_for(account_ids, period: Period):
    """Account plans (not archived) of these accounts whose period is this fiscal year —
    the year its middle day falls in. Quarter goals have no plan counterpart."""
    from keyplan.plans.choices import PlanStatus
    from keyplan.plans.models import AccountPlan

    if period.quarter:
        return {}
    found = {}
    plans = (
        AccountPlan.objects.filter(account_id__in=account_ids)
        .exclude(status=PlanStatus.ARCHIVED)
        .order_by("account_id", "-period_start", "pk")
    )
    for plan in plans:
        if plan_period(plan) == period:
            found.setdefault(plan.account_id, []).append(plan)
    return found


def plan_period(plan) -> Period:
    """The fiscal year an account plan is for: the one its middle day falls in."""
    middle = plan.period_start + (plan.period_end - plan.period_start) / 2
    return Period.containing(middle)


def _follow_in_plans(goals: list[AccountGoal], user) -> int:
    """Set each plan's revenue goal to its account goal (not where set apart)."""
    from keyplan.plans import audit
    from keyplan.plans.choices import ChangeAction

    by_period = {}
    for goal in goals:
        if not goal.apart_from_plan:
            by_period.setdefault(goal.period, {})[goal.account_id] = goal
    changed = 0
    for period, goals_of in by_period.items():
        for account_id, plans in _plans_for(list(goals_of), period).items():
            goal = goals_of[account_id]
            for plan in plans:
                if plan.revenue_goal == goal.amount:
                    continue
                before = plan.revenue_goal
                plan.revenue_goal = goal.amount
                plan.version += 1
                plan.save(update_fields=["revenue_goal", "version", "updated_at"])
                audit.record(
                    plan=plan,
                    user=user,
                    action=ChangeAction.UPDATED,
                    subject="plan",
                    obj=plan,
                    changes={"revenue_goal": [audit._plain(before), audit._plain(goal.amount)]},
                )
                changed += 1
    return changed


@transaction.atomic
def goals_save(
    *,
    user,
    rep,
    period: Period,
    amounts: dict[int, Decimal],
    basis: str = GoalBasis.HAND,
    stretch: Decimal = Decimal(1),
    versions: dict[int, int] | None = None,
    check_permission: bool = True,
) -> list[AccountGoal]:
    """Save the goals of ``rep``'s accounts for ``period`` (account id → amount). Every
    account must be the rep's; ``versions`` (account id → the goal version the editor
    loaded) refuses the whole save when any goal changed since. The account plans of the
    period follow (unless set apart on purpose)."""
    from keyplan.accounts.models import Account

    if check_permission:
        refusal = goals_edit_refusal(user, rep)
        if refusal:
            raise PermissionDenied(refusal)
    versions = versions or {}
    owned = set(
        Account.objects.filter(owner=rep, pk__in=list(amounts)).values_list("pk", flat=True)
    )
    foreign = [pk for pk in amounts if pk not in owned]
    if foreign:
        raise ValidationError(
            {"amounts": [f"{len(foreign)} of the accounts are not {rep}'s; nothing was saved."]}
        )
    existing = {
        g.account_id: g
        for g in AccountGoal.objects.select_for_update().filter(
            account_id__in=list(amounts), fiscal_year=period.fiscal_year, quarter=period.quarter
        )
    }
    for account_id, goal in existing.items():
        check_version(goal, versions.get(account_id), subject="goal")
    who = user if getattr(user, "is_authenticated", False) else None
    saved = []
    for account_id, amount in amounts.items():
        value = _check_amount(amount, label="goal")
        goal = existing.get(account_id)
        if goal is None:
            goal = AccountGoal.objects.create(
                account_id=account_id,
                rep=rep,
                fiscal_year=period.fiscal_year,
                quarter=period.quarter,
                amount=value,
                basis=basis,
                stretch=stretch,
                updated_by=who,
            )
            _record(subject="goal", obj=goal, user=user, before=None, after=value)
        elif goal.amount != value or goal.basis != basis or goal.rep_id != rep.pk:
            before = goal.amount
            goal.amount, goal.basis, goal.stretch, goal.rep = value, basis, stretch, rep
            goal.version += 1
            goal.updated_by = who
            goal.save()
            _record(subject="goal", obj=goal, user=user, before=before, after=value)
        saved.append(goal)
    _follow_in_plans(saved, user)
    return saved


@transaction.atomic
def goal_set_apart(*, goal: AccountGoal, user, apart: bool, note: str = "", version=None):
    """Mark an account goal as set apart from its plan's revenue goal on purpose (with
    the reason), or make them follow each other again (the plan takes the goal)."""
    goal = AccountGoal.objects.select_for_update().get(pk=goal.pk)
    refusal = goals_edit_refusal(user, goal.rep)
    if refusal:
        raise PermissionDenied(refusal)
    check_version(goal, version, subject="goal")
    note = " ".join((note or "").split())
    if apart and not note:
        raise ValidationError({"apart_note": ["Say why the goal and the plan differ."]})
    goal.apart_from_plan, goal.apart_note = apart, note if apart else ""
    goal.version += 1
    goal.save()
    _record(
        subject="goal",
        obj=goal,
        user=user,
        before=goal.amount,
        after=goal.amount,
        note=f"set apart from the plan: {note}" if apart else "follows the plan again",
    )
    if not apart:
        _follow_in_plans([goal], user)
    return goal


def goal_follow_plan(*, plan, user) -> AccountGoal | None:
    """After a plan's revenue goal changed: the account goal of the plan's fiscal year
    takes it (created for the account's owner when there was none), unless the two were
    set apart on purpose. Called by plans.services in the plan's transaction."""
    period = plan_period(plan)
    goal = (
        AccountGoal.objects.select_for_update()
        .filter(account_id=plan.account_id, fiscal_year=period.fiscal_year, quarter=0)
        .first()
    )
    value = plan.revenue_goal or Decimal(0)
    if goal is None:
        rep = plan.account.owner or plan.owner
        if not value or rep is None:
            return None
        goal = AccountGoal.objects.create(
            account_id=plan.account_id,
            rep=rep,
            fiscal_year=period.fiscal_year,
            quarter=0,
            amount=value,
            basis=GoalBasis.PLAN,
            updated_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _record(subject="goal", obj=goal, user=user, before=None, after=value, note="from the plan")
        return goal
    if goal.apart_from_plan or goal.amount == value:
        return goal
    before = goal.amount
    goal.amount, goal.basis = value, GoalBasis.PLAN
    goal.version += 1
    goal.updated_by = user if getattr(user, "is_authenticated", False) else None
    goal.save()
    _record(subject="goal", obj=goal, user=user, before=before, after=value, note="from the plan")
    return goal


def plan_started(*, plan, user) -> None:
    """A new account plan and the account goal of its fiscal year meet: a plan started
    without a revenue goal takes the goal; one started with a goal gives it to the
    account (unless the two were set apart on purpose)."""
    if plan.revenue_goal:
        goal_follow_plan(plan=plan, user=user)
        return
    period = plan_period(plan)
    goal = AccountGoal.objects.filter(
        account_id=plan.account_id, fiscal_year=period.fiscal_year, quarter=0
    ).first()
    if goal is not None and goal.amount and not goal.apart_from_plan:
        _follow_in_plans([goal], user)
        plan.refresh_from_db(fields=["revenue_goal", "version"])

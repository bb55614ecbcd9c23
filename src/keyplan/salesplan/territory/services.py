"""Writes to territory plans. The pages, the API and the demo call these; each one, in
one transaction with the plan locked: checks who may change the plan, that the step is
open (Conti's order), that the item was not saved by someone else since it was loaded
(the one stale-save rule, ``EditConflict``), then the input (a ValidationError naming
each bad field, nothing saved), writes, moves the item's and the plan's version on and
records the change in the plan's trail.

``version`` is the version of the item being changed (the plan's for the plan-wide
steps); it is not asked for when adding an item, which overwrites nothing."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.core import words
from keyplan.plans import audit
from keyplan.plans.choices import ActionStatus, ChangeAction, VersionReason
from keyplan.plans.services.common import EditConflict, check_version, raise_if
from keyplan.salesplan.choices import (
    ActivityCadence,
    Channel,
    Leverage,
    ObjectiveKind,
    Segment,
    TerritoryPlanStatus,
    TerritoryStep,
)
from keyplan.salesplan.models import (
    StrategyResource,
    TerritoryActivity,
    TerritoryGoal,
    TerritoryObjective,
    TerritoryPlan,
    TerritoryStrategy,
)
from keyplan.salesplan.periods import Period
from keyplan.salesplan.territory import versions
from keyplan.salesplan.territory.permissions import (
    territory_create_refusal,
    territory_edit_refusal,
)
from keyplan.salesplan.territory.steps import (
    MAX_STRATEGIES,
    all_done_or_refusal,
    require_open,
    steps,
)

# An hour figure above this for one month, or one activity, is a typo: a month holds
# about 170 working hours.
MAX_HOURS = Decimal("200")
# No objective is about more than a trillion: beyond that a number is a typo.
ABSURD = Decimal("1000000000000")
TIERS = ("A", "B", "C")
STRATEGY_FIELDS = list(versions.STRATEGY_FIELDS)

__all__ = [
    "EditConflict",
    "activity_delete",
    "activity_save",
    "facts_review",
    "goal_delete",
    "goal_save",
    "objective_delete",
    "objective_save",
    "resource_delete",
    "resource_save",
    "strategy_delete",
    "strategy_save",
    "territory_plan_activate",
    "territory_plan_archive",
    "territory_plan_create",
    "territory_plan_for",
    "territory_version_take",
]


# -- shared steps ---------------------------------------------------------------------


def _who(user):
    return user if getattr(user, "is_authenticated", False) else None


def _locked(plan) -> TerritoryPlan:
    """The plan, locked for this transaction: writes to one plan happen one at a time
    (the count of strategies, the version) and its rep comes along for the messages."""
    return (
        TerritoryPlan.objects.select_for_update(of=("self",)).select_related("rep").get(pk=plan.pk)
    )


def _require_edit(user, plan) -> None:
    refusal = territory_edit_refusal(user, plan)
    if refusal:
        raise PermissionDenied(refusal)


def _moved_on(plan, user) -> None:
    """Any change to the plan or a part moves the plan's version on."""
    plan.version += 1
    plan.updated_by = _who(user)
    plan.save(update_fields=["version", "updated_by", "updated_at"])


def _part(model, instance, plan, *, label: str):
    obj = model.objects.select_for_update().get(pk=instance.pk)
    plan_id = obj.strategy.plan_id if model is StrategyResource else obj.plan_id
    if plan_id != plan.pk:
        raise ValidationError(f"That {label} belongs to another territory plan.")
    return obj


def _text(errors, data, name, *, label, required=True, limit=None, current="") -> str:
    value = data.get(name, current)
    value = " ".join(str(value or "").split()) if limit else str(value or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(f"Give the {label}.")
    if limit and len(value) > limit:
        errors.setdefault(name, []).append(
            f"The {label} is {len(value)} characters long; keep it to {limit}."
        )
    return value


def _decimal(errors, data, name, *, label, current=None):
    value = data.get(name, current)
    if value in (None, ""):
        errors.setdefault(name, []).append(f"Give the {label}.")
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.setdefault(name, []).append(f"“{value}” is not a number.")
        return None
    if not number.is_finite():
        errors.setdefault(name, []).append(f"“{value}” is not a number.")
        return None
    return number


def _hours(errors, data, name, *, label, current=None):
    hours = _decimal(errors, data, name, label=label, current=current)
    if hours is None:
        return None
    if hours <= 0:
        errors.setdefault(name, []).append(
            f"The {label} must be more than 0 hours (got {words.number(hours)})."
        )
    elif hours > MAX_HOURS:
        errors.setdefault(name, []).append(
            f"The {label} of {words.number(hours)} hours is not plausible: at most "
            f"{words.number(MAX_HOURS)} (a month has about 170 working hours)."
        )
    return hours.quantize(Decimal("0.1"))


def _date(errors, data, name, *, label, current=None) -> datetime.date | None:
    value = data.get(name, current)
    if value in (None, ""):
        errors.setdefault(name, []).append(f"Give the {label}.")
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(name, []).append(f"“{value}” is not a date (write it as 2027-03-31).")
        return None


def _in_year(errors, name, day, plan, *, label) -> None:
    period = plan.period
    if day is not None and not period.start <= day <= period.end:
        errors.setdefault(name, []).append(
            f"The {label} {words.day(day)} is outside {period.name} "
            f"({words.day(period.start)} – {words.day(period.end)})."
        )


def _user(errors, data, name, *, label, current=None):
    from keyplan.people.models import User

    value = data.get(name, current)
    if value in (None, ""):
        errors.setdefault(name, []).append(f"Choose the {label}.")
        return None
    if isinstance(value, User):
        person = value
    else:
        person = User.objects.filter(pk=value).first() if str(value).isdigit() else None
        if person is None:
            errors.setdefault(name, []).append(f"There is no person with id “{value}”.")
            return None
    if not person.is_active:
        errors.setdefault(name, []).append(f"{person} is no longer active: choose someone who is.")
    return person


def _ids(value) -> list:
    """Model instances or ids (or one id) → ids as given."""
    if value in (None, ""):
        return []
    if isinstance(value, str | int):
        value = [value]
    return [getattr(v, "pk", v) for v in value]


def _snapshot_and_diff(obj, fields, before) -> dict:
    return audit.diff(before, audit.snapshot(obj, fields))


# -- the plan --------------------------------------------------------------------------


def territory_plan_for(*, rep, fiscal_year: int) -> TerritoryPlan | None:
    """The rep's territory plan for the fiscal year, if they have one."""
    return TerritoryPlan.objects.filter(rep=rep, fiscal_year=fiscal_year).first()


@transaction.atomic
def territory_plan_create(*, user, rep, fiscal_year) -> TerritoryPlan:
    """Start ``rep``'s territory plan for ``fiscal_year`` (one per rep and year)."""
    refusal = territory_create_refusal(user, rep)
    if refusal:
        raise PermissionDenied(refusal)
    try:
        period = Period(int(fiscal_year))
    except (TypeError, ValueError):
        raise ValidationError(
            {"fiscal_year": [f"“{fiscal_year}” is not a fiscal year (write it like 2027)."]}
        ) from None
    # Lock the rep's row so that two starts at once cannot both pass the check below.
    type(rep).objects.select_for_update().filter(pk=rep.pk).first()
    existing = territory_plan_for(rep=rep, fiscal_year=period.fiscal_year)
    if existing is not None:
        raise ValidationError(
            {
                "fiscal_year": [
                    f"{rep} already has a territory plan for {period.name}; open it instead "
                    "of starting another."
                ]
            }
        )
    plan = TerritoryPlan.objects.create(
        rep=rep, fiscal_year=period.fiscal_year, updated_by=_who(user)
    )
    versions.record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED,
        subject="territory plan",
        obj=plan,
        label="started",
    )
    return plan


@transaction.atomic
def facts_review(*, user, plan, note: str = "", version=None) -> TerritoryPlan:
    """The rep has read the facts of their territory (with what they make of them): the
    strategies step opens. Reading them again updates the note and the moment."""
    plan = _locked(plan)
    _require_edit(user, plan)
    check_version(plan, version, subject="territory plan", trail=versions.TRAIL)
    note = str(note or "").strip()
    if len(note) > 5000:
        raise ValidationError(
            {"facts_note": [f"The note is {len(note)} characters long; keep it to 5,000."]}
        )
    before = audit.snapshot(plan, ["facts_reviewed_at", "facts_note"])
    plan.facts_reviewed_at = timezone.now()
    plan.facts_note = note
    plan.version += 1
    plan.updated_by = _who(user)
    plan.save()
    versions.record(
        plan=plan,
        user=user,
        action=ChangeAction.UPDATED,
        subject="territory plan",
        obj=plan,
        label="facts read",
        changes=_snapshot_and_diff(plan, ["facts_reviewed_at", "facts_note"], before),
    )
    return plan


def _set_status(plan, user, status, label) -> None:
    before = plan.status
    plan.status = status
    plan.version += 1
    plan.updated_by = _who(user)
    plan.save()
    versions.record(
        plan=plan,
        user=user,
        action=ChangeAction.STATUS,
        subject="territory plan",
        obj=plan,
        label=label,
        changes={"status": [before, status]},
    )


@transaction.atomic
def territory_plan_activate(*, user, plan, version=None) -> TerritoryPlan:
    """Draft → active, once every step is done; a version of the plan is kept."""
    plan = _locked(plan)
    _require_edit(user, plan)
    check_version(plan, version, subject="territory plan", trail=versions.TRAIL)
    if plan.status == TerritoryPlanStatus.ACTIVE:
        raise ValidationError({"status": ["This territory plan is already active."]})
    refusal = all_done_or_refusal(steps(plan))
    if refusal:
        raise ValidationError({"step": [refusal]})
    _set_status(plan, user, TerritoryPlanStatus.ACTIVE, "activated")
    versions.take_version(plan=plan, user=user, reason=VersionReason.ACTIVATED)
    return plan


@transaction.atomic
def territory_plan_archive(*, user, plan, version=None) -> TerritoryPlan:
    """Archive the plan: it stays readable, nobody changes it, its activities leave
    My work and capacity."""
    plan = _locked(plan)
    _require_edit(user, plan)
    check_version(plan, version, subject="territory plan", trail=versions.TRAIL)
    _set_status(plan, user, TerritoryPlanStatus.ARCHIVED, "archived")
    return plan


@transaction.atomic
def territory_version_take(*, user, plan, note: str = ""):
    """Keep a version of the plan as it stands (on demand, with a note)."""
    plan = _locked(plan)
    _require_edit(user, plan)
    if len(" ".join(str(note or "").split())) > 255:
        raise ValidationError({"note": ["Keep the note to 255 characters."]})
    return versions.take_version(plan=plan, user=user, reason=VersionReason.ON_DEMAND, note=note)


# -- strategies and their people -------------------------------------------------------


def _month(errors, data, name, *, label, current=None):
    day = _date(errors, data, name, label=label, current=current)
    return day.replace(day=1) if day else None


@transaction.atomic
def strategy_save(*, user, plan, data: dict, strategy=None, version=None) -> TerritoryStrategy:
    """Add or change a strategy: title, how (description), what it leverages, the tiers
    and the rep's accounts it aims at, the months it runs (within the fiscal year). One to
    five per plan. Keys left out of ``data`` keep their value when changing."""
    from keyplan.accounts.models import Account

    plan = _locked(plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.STRATEGIES)
    if strategy is not None:
        strategy = _part(TerritoryStrategy, strategy, plan, label="strategy")
        check_version(strategy, version, subject="strategy", trail=versions.TRAIL)
        before = audit.snapshot(strategy, STRATEGY_FIELDS)
    else:
        count = TerritoryStrategy.objects.filter(plan=plan).count()
        if count >= MAX_STRATEGIES:
            raise ValidationError(
                {
                    "title": [
                        f"This plan already has {MAX_STRATEGIES} strategies, the most the "
                        "method allows: sharpen or replace one instead of adding a sixth."
                    ]
                }
            )
        strategy, before = TerritoryStrategy(plan=plan), {}
    current = strategy if strategy.pk else None
    errors: dict = {}
    title = _text(
        errors, data, "title", label="title", limit=200, current=getattr(current, "title", "")
    )
    description = _text(
        errors,
        data,
        "description",
        label="how",
        required=False,
        current=getattr(current, "description", ""),
    )
    leverages = list(data.get("leverages", getattr(current, "leverages", [])) or [])
    unknown = [v for v in leverages if v not in Leverage.values]
    if unknown:
        errors.setdefault("leverages", []).append(
            f"{words.names(unknown)}: not something a strategy leverages; choose from "
            f"{words.names(Leverage.labels)}."
        )
    tiers = [
        str(t).upper() for t in data.get("target_tiers", getattr(current, "target_tiers", [])) or []
    ]
    if any(t not in TIERS for t in tiers):
        errors.setdefault("target_tiers", []).append(
            f"{words.names([t for t in tiers if t not in TIERS])}: tiers are A, B and C."
        )
    first = _month(
        errors,
        data,
        "first_month",
        label="first month",
        current=getattr(current, "first_month", None),
    )
    last = _month(
        errors,
        data,
        "last_month",
        label="last month",
        current=getattr(current, "last_month", None),
    )
    period = plan.period
    for name, day, label in (
        ("first_month", first, "first month"),
        ("last_month", last, "last month"),
    ):
        if day is not None and not period.start <= day <= period.end:
            errors.setdefault(name, []).append(
                f"The {label}, {day:%B %Y}, is outside {period.name} ({period.months})."
            )
    if first and last and last < first and "last_month" not in errors:
        errors.setdefault("last_month", []).append(
            f"The last month ({last:%B %Y}) is before the first ({first:%B %Y})."
        )
    account_ids = None
    if "target_account_ids" in data or current is None:
        account_ids = sorted(set(_ids(data.get("target_account_ids"))))
        if any(not str(a).isdigit() for a in account_ids):
            errors.setdefault("target_account_ids", []).append("Accounts are named by their ids.")
        else:
            account_ids = [int(a) for a in account_ids]
            theirs = set(
                Account.objects.visible_to(plan.rep)
                .filter(pk__in=account_ids)
                .values_list("pk", flat=True)
            )
            foreign = [a for a in account_ids if a not in theirs]
            if foreign:
                errors.setdefault("target_account_ids", []).append(
                    f"{words.plural(len(foreign), 'account')} (id {words.names(foreign)}) "
                    f"{'is' if len(foreign) == 1 else 'are'} not in {plan.rep}'s territory: "
                    "a strategy aims at the rep's own accounts."
                )
    raise_if(errors)
    strategy.title, strategy.description = title, description
    strategy.leverages = [v for v in Leverage.values if v in leverages]  # in a fixed order
    strategy.target_tiers = [t for t in TIERS if t in tiers]
    strategy.first_month, strategy.last_month = first, last
    changed = _save_part(strategy, before, creating=current is None)
    if account_ids is not None:
        strategy.target_accounts.set(account_ids)
    after = audit.snapshot(strategy, STRATEGY_FIELDS)
    changes = audit.diff(before, after)
    if current is None or changes:
        if current is not None and not changed:
            strategy.version += 1  # only the accounts changed
            strategy.save(update_fields=["version"])
        _moved_on(plan, user)
        versions.record(
            plan=plan,
            user=user,
            action=ChangeAction.CREATED if current is None else ChangeAction.UPDATED,
            subject="strategy",
            obj=strategy,
            changes=changes,
        )
    return strategy


def _save_part(obj, before: dict, *, creating: bool) -> bool:
    """Save a new part, or a changed one with its version moved on; True when saved."""
    obj.full_clean(exclude=["plan", "strategy", "target_accounts", "strategies"])
    if creating:
        obj.save()
        return True
    scalar = [k for k in before if not obj._meta.get_field(k).many_to_many]
    if not audit.diff({k: before[k] for k in scalar}, audit.snapshot(obj, scalar)):
        return False
    obj.version += 1
    obj.save()
    return True


@transaction.atomic
def strategy_delete(*, user, strategy, version=None) -> None:
    """Remove a strategy with its people and activities (its objectives stay, serving
    the other strategies they name)."""
    plan = _locked(strategy.plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.STRATEGIES)
    strategy = _part(TerritoryStrategy, strategy, plan, label="strategy")
    check_version(strategy, version, subject="strategy", trail=versions.TRAIL)
    activities = strategy.activities.count()
    versions.record(
        plan=plan,
        user=user,
        action=ChangeAction.DELETED,
        subject="strategy",
        obj=strategy,
        changes={"activities": [activities, None]} if activities else {},
    )
    strategy.delete()
    _moved_on(plan, user)


@transaction.atomic
def resource_save(*, user, strategy, data: dict, resource=None, version=None) -> StrategyResource:
    """Name a person and the hours per month they give the strategy (more than 0, at most
    200), and what they do; one row per person and strategy."""
    plan = _locked(strategy.plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.STRATEGIES)
    strategy = _part(TerritoryStrategy, strategy, plan, label="strategy")
    if resource is not None:
        resource = _part(StrategyResource, resource, plan, label="person's time")
        if resource.strategy_id != strategy.pk:
            raise ValidationError("That person's time is given to another strategy.")
        check_version(resource, version, subject="resource", trail=versions.TRAIL)
        before = audit.snapshot(resource, versions.RESOURCE_FIELDS)
    else:
        resource, before = StrategyResource(strategy=strategy), {}
    current = resource if resource.pk else None
    errors: dict = {}
    person = _user(errors, data, "person", label="person", current=getattr(current, "person", None))
    hours = _hours(
        errors,
        data,
        "hours_per_month",
        label="hours per month",
        current=getattr(current, "hours_per_month", None),
    )
    role = _text(
        errors,
        data,
        "role",
        label="what they do",
        required=False,
        limit=120,
        current=getattr(current, "role", ""),
    )
    if person is not None:
        taken = StrategyResource.objects.filter(strategy=strategy, person=person)
        taken = taken.exclude(pk=resource.pk).first() if resource.pk else taken.first()
        if taken is not None:
            errors.setdefault("person", []).append(
                f"{person} already gives “{strategy}” {words.number(taken.hours_per_month)} "
                "hours a month; change that row instead."
            )
    raise_if(errors)
    resource.person, resource.hours_per_month, resource.role = person, hours, role
    if _save_part(resource, before, creating=current is None):
        _moved_on(plan, user)
        versions.record(
            plan=plan,
            user=user,
            action=ChangeAction.CREATED if current is None else ChangeAction.UPDATED,
            subject="resource",
            obj=resource,
            label=f"{person} on “{strategy}”",
            changes=audit.diff(before, audit.snapshot(resource, versions.RESOURCE_FIELDS)),
        )
    return resource


@transaction.atomic
def resource_delete(*, user, resource, version=None) -> None:
    plan = _locked(resource.strategy.plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.STRATEGIES)
    resource = _part(StrategyResource, resource, plan, label="person's time")
    check_version(resource, version, subject="resource", trail=versions.TRAIL)
    versions.record(
        plan=plan,
        user=user,
        action=ChangeAction.DELETED,
        subject="resource",
        obj=resource,
        label=f"{resource.person} on “{resource.strategy}”",
    )
    resource.delete()
    _moved_on(plan, user)


# -- activities ------------------------------------------------------------------------


def _strategy_of(errors, data, plan, *, current=None):
    value = data.get("strategy", current)
    if value in (None, ""):
        errors.setdefault("strategy", []).append("Choose the strategy it serves.")
        return None
    pk = getattr(value, "pk", value)
    found = (
        TerritoryStrategy.objects.filter(plan=plan, pk=pk).first() if str(pk).isdigit() else None
    )
    if found is None:
        errors.setdefault("strategy", []).append(
            f"Strategy “{getattr(value, 'title', value)}” is not one of this plan's."
        )
    return found


@transaction.atomic
def activity_save(*, user, plan, data: dict, activity=None, version=None) -> TerritoryActivity:
    """Add or change an activity of one of the plan's strategies: what, who (an active
    person), by when (within the fiscal year), the effort in hours (more than 0, at most
    200) and its status; done activities keep the moment they were marked done."""
    plan = _locked(plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.ACTIVITIES)
    fields = list(versions.ACTIVITY_FIELDS)
    if activity is not None:
        activity = _part(TerritoryActivity, activity, plan, label="activity")
        check_version(activity, version, subject="activity", trail=versions.TRAIL)
        before = audit.snapshot(activity, fields)
        current = activity
    else:
        activity, before, current = TerritoryActivity(plan=plan), {}, None
    errors: dict = {}
    strategy = _strategy_of(errors, data, plan, current=getattr(current, "strategy", None))
    title = _text(
        errors,
        data,
        "title",
        label="activity (what)",
        limit=255,
        current=getattr(current, "title", ""),
    )
    owner = _user(errors, data, "owner", label="owner", current=getattr(current, "owner", None))
    due = _date(
        errors, data, "due_date", label="due date", current=getattr(current, "due_date", None)
    )
    _in_year(errors, "due_date", due, plan, label="due date")
    effort = _hours(
        errors,
        data,
        "effort_hours",
        label="effort",
        current=getattr(current, "effort_hours", None),
    )
    status = (
        data.get("status", getattr(current, "status", ActionStatus.PLANNED)) or ActionStatus.PLANNED
    )
    if status not in ActionStatus.values:
        errors.setdefault("status", []).append(
            f"“{status}” is not a status; choose from {words.names(ActionStatus.labels)}."
        )
    raise_if(errors)
    activity.strategy, activity.title, activity.owner = strategy, title, owner
    activity.due_date, activity.effort_hours, activity.status = due, effort, status
    if status == ActionStatus.DONE and activity.completed_at is None:
        activity.completed_at = timezone.now()
    elif status != ActionStatus.DONE:
        activity.completed_at = None
    if _save_part(activity, before, creating=current is None):
        _moved_on(plan, user)
        versions.record(
            plan=plan,
            user=user,
            action=ChangeAction.CREATED if current is None else ChangeAction.UPDATED,
            subject="activity",
            obj=activity,
            changes=audit.diff(before, audit.snapshot(activity, fields)),
        )
    return activity


@transaction.atomic
def activity_delete(*, user, activity, version=None) -> None:
    plan = _locked(activity.plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.ACTIVITIES)
    activity = _part(TerritoryActivity, activity, plan, label="activity")
    check_version(activity, version, subject="activity", trail=versions.TRAIL)
    versions.record(
        plan=plan, user=user, action=ChangeAction.DELETED, subject="activity", obj=activity
    )
    activity.delete()
    _moved_on(plan, user)


# -- objectives and goals --------------------------------------------------------------

# Which dimension each kind of objective is about, and the values it takes.
DIMENSION_CHOICES = {
    ObjectiveKind.REVENUE_TIER: ("tier", dict.fromkeys(TIERS)),
    ObjectiveKind.REVENUE_CHANNEL: ("channel", dict(Channel.choices)),
    ObjectiveKind.REVENUE_SEGMENT: ("segment", dict(Segment.choices)),
}


@transaction.atomic
def objective_save(*, user, plan, data: dict, objective=None, version=None) -> TerritoryObjective:
    """Add or change an objective: its kind; the tier, channel or segment it is about
    (for those kinds) or the product line (revenue by product line); the target (0 to a
    trillion: money for revenue, a count otherwise); the cadence (activity objectives
    only); and the strategies of this plan it serves (at least one)."""
    from keyplan.catalog.models import ProductLine

    plan = _locked(plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.OBJECTIVES)
    fields = list(versions.OBJECTIVE_FIELDS)
    if objective is not None:
        objective = _part(TerritoryObjective, objective, plan, label="objective")
        check_version(objective, version, subject="objective", trail=versions.TRAIL)
        before = audit.snapshot(objective, fields)
        current = objective
    else:
        objective, before, current = TerritoryObjective(plan=plan), {}, None
    errors: dict = {}
    kind = data.get("kind", getattr(current, "kind", None))
    if kind not in ObjectiveKind.values:
        errors.setdefault("kind", []).append(
            f"“{kind or ''}” is not a kind of objective; choose from "
            f"{words.names(ObjectiveKind.labels)}."
            if kind
            else "Choose the kind of objective."
        )
    dimension = str(data.get("dimension", getattr(current, "dimension", "")) or "").strip()
    if kind in DIMENSION_CHOICES:
        what, allowed = DIMENSION_CHOICES[kind]
        if kind == ObjectiveKind.REVENUE_TIER:
            dimension = dimension.upper()
        if not dimension:
            errors.setdefault("dimension", []).append(f"Say which {what} it is about.")
        elif dimension not in allowed:
            errors.setdefault("dimension", []).append(
                f"“{dimension}” is not a {what}; choose from "
                f"{words.names(v or k for k, v in allowed.items())}."
            )
    else:
        dimension = ""  # only revenue by tier, channel or segment has one
    line = data.get("product_line", getattr(current, "product_line", None))
    if kind == ObjectiveKind.REVENUE_LINE:
        if line in (None, ""):
            errors.setdefault("product_line", []).append("Choose the product line.")
            line = None
        elif not isinstance(line, ProductLine):
            found = ProductLine.objects.filter(pk=line).first() if str(line).isdigit() else None
            if found is None:
                errors.setdefault("product_line", []).append(
                    f"There is no product line with id “{line}”."
                )
            line = found
    else:
        line = None
    target = _decimal(
        errors, data, "target", label="target", current=getattr(current, "target", None)
    )
    if target is not None:
        if target < 0:
            errors.setdefault("target", []).append(
                f"A target cannot be negative (got {words.number(target)})."
            )
        elif target > ABSURD:
            errors.setdefault("target", []).append(
                f"A target of {words.number(target)} is not plausible: it is more than a trillion."
            )
    cadence = data.get("cadence", getattr(current, "cadence", "")) or ActivityCadence.PER_PERIOD
    if cadence not in ActivityCadence.values:
        errors.setdefault("cadence", []).append(
            f"“{cadence}” is not a cadence; choose from {words.names(ActivityCadence.labels)}."
        )
    elif kind != ObjectiveKind.ACTIVITY and cadence != ActivityCadence.PER_PERIOD:
        errors.setdefault("cadence", []).append(
            "Only activity objectives are counted per month or quarter; the others are for "
            "the whole period."
        )
    strategy_ids = None
    if "strategies" in data or current is None:
        strategy_ids = sorted({int(s) for s in _ids(data.get("strategies")) if str(s).isdigit()})
        given = _ids(data.get("strategies"))
        ours = set(
            TerritoryStrategy.objects.filter(plan=plan, pk__in=strategy_ids).values_list(
                "pk", flat=True
            )
        )
        if not given:
            errors.setdefault("strategies", []).append(
                "Name the strategy (or strategies) this objective serves."
            )
        elif len(ours) != len(set(map(str, given))):
            errors.setdefault("strategies", []).append(
                "Every strategy named must be one of this plan's."
            )
    title = _text(
        errors,
        data,
        "title",
        label="title",
        required=False,
        limit=255,
        current=getattr(current, "title", ""),
    )
    raise_if(errors)
    objective.kind, objective.dimension, objective.product_line = kind, dimension, line
    objective.target = target.quantize(Decimal("0.01"))
    objective.cadence = cadence
    objective.title = title or versions.objective_title(kind, dimension, line)
    changed = _save_part(
        objective, {k: v for k, v in before.items() if k != "strategies"}, creating=current is None
    )
    if strategy_ids is not None:
        objective.strategies.set(strategy_ids)
    changes = audit.diff(before, audit.snapshot(objective, fields))
    if current is None or changes:
        if current is not None and not changed:
            objective.version += 1  # only the strategies changed
            objective.save(update_fields=["version"])
        _moved_on(plan, user)
        versions.record(
            plan=plan,
            user=user,
            action=ChangeAction.CREATED if current is None else ChangeAction.UPDATED,
            subject="objective",
            obj=objective,
            changes=changes,
        )
    return objective


@transaction.atomic
def objective_delete(*, user, objective, version=None) -> None:
    """Remove an objective. Allowed even when it is a strategy's last: the objectives
    step is then simply not done until the strategy has another."""
    plan = _locked(objective.plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.OBJECTIVES)
    objective = _part(TerritoryObjective, objective, plan, label="objective")
    check_version(objective, version, subject="objective", trail=versions.TRAIL)
    versions.record(
        plan=plan, user=user, action=ChangeAction.DELETED, subject="objective", obj=objective
    )
    objective.delete()
    _moved_on(plan, user)


@transaction.atomic
def goal_save(*, user, plan, data: dict, goal=None, version=None) -> TerritoryGoal:
    """Add or change a qualitative goal (one line of text)."""
    plan = _locked(plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.GOALS)
    if goal is not None:
        goal = _part(TerritoryGoal, goal, plan, label="goal")
        check_version(goal, version, subject="goal", trail=versions.TRAIL)
        before, current = audit.snapshot(goal, ["text"]), goal
    else:
        goal, before, current = TerritoryGoal(plan=plan), {}, None
    errors: dict = {}
    text = _text(
        errors, data, "text", label="goal", limit=255, current=getattr(current, "text", "")
    )
    raise_if(errors)
    goal.text = text
    if _save_part(goal, before, creating=current is None):
        _moved_on(plan, user)
        versions.record(
            plan=plan,
            user=user,
            action=ChangeAction.CREATED if current is None else ChangeAction.UPDATED,
            subject="goal",
            obj=goal,
            changes=audit.diff(before, audit.snapshot(goal, ["text"])),
        )
    return goal


@transaction.atomic
def goal_delete(*, user, goal, version=None) -> None:
    plan = _locked(goal.plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.GOALS)
    goal = _part(TerritoryGoal, goal, plan, label="goal")
    check_version(goal, version, subject="goal", trail=versions.TRAIL)
    versions.record(plan=plan, user=user, action=ChangeAction.DELETED, subject="goal", obj=goal)
    goal.delete()
    _moved_on(plan, user)

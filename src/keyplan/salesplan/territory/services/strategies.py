"""Strategies (one to five) and the people giving them hours per month."""

from django.core.exceptions import ValidationError
from django.db import transaction

from keyplan.core import words
from keyplan.plans import audit
from keyplan.plans.choices import ChangeAction
from keyplan.plans.services.common import check_version, raise_if
from keyplan.salesplan.choices import (
    Leverage,
    TerritoryStep,
)
from keyplan.salesplan.models import (
    StrategyResource,
    TerritoryStrategy,
)
from keyplan.salesplan.territory import versions
from keyplan.salesplan.territory.services.common import (
    STRATEGY_FIELDS,
    TIERS,
    _hours,
    _ids,
    _locked,
    _month,
    _moved_on,
    _part,
    _require_edit,
    _save_part,
    _text,
    _user,
)
from keyplan.salesplan.territory.steps import (
    MAX_STRATEGIES,
    require_open,
)


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

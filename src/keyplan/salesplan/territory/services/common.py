"""Shared by the territory plan services: the plan locked for the write, permission, the
plan's version moved on, and reading input into field messages."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError

from keyplan.core import words
from keyplan.plans import audit
from keyplan.salesplan.models import (
    StrategyResource,
    TerritoryPlan,
)
from keyplan.salesplan.territory import versions
from keyplan.salesplan.territory.permissions import territory_edit_refusal

# An hour figure above this for one month, or one activity, is a typo: a month holds
# about 170 working hours.
MAX_HOURS = Decimal("200")
# No objective is about more than a trillion: beyond that a number is a typo.
ABSURD = Decimal("1000000000000")
TIERS = ("A", "B", "C")
STRATEGY_FIELDS = list(versions.STRATEGY_FIELDS)

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


def _month(errors, data, name, *, label, current=None):
    day = _date(errors, data, name, label=label, current=current)
    return day.replace(day=1) if day else None


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


def _delete_part(*, user, model, obj, version, step, subject: str) -> None:
    """Remove one part of a plan (an activity, objective or goal) the same way for each:
    the plan locked, the edit and the step checked, the version read compared, the removal
    in the trail, and the plan's version moved on."""
    from keyplan.plans.choices import ChangeAction
    from keyplan.plans.services.common import check_version
    from keyplan.salesplan.territory.steps import require_open

    plan = _locked(obj.plan)
    _require_edit(user, plan)
    require_open(plan, step)
    obj = _part(model, obj, plan, label=subject)
    check_version(obj, version, subject=subject, trail=versions.TRAIL)
    versions.record(plan=plan, user=user, action=ChangeAction.DELETED, subject=subject, obj=obj)
    obj.delete()
    _moved_on(plan, user)

"""The plan's activity feed: every change recorded with who, when, what, before → after."""

from datetime import date
from decimal import Decimal

from django.db import models

from keyplan.plans.models import PlanChange


def _plain(value):
    """A JSON-safe, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted(str(v) for v in value)
    return str(value)


def snapshot(obj, fields) -> dict:
    """The current values of ``fields`` on ``obj`` (many-to-many fields as sorted names)."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            out[name] = _plain(list(getattr(obj, name).all())) if obj.pk else []
        elif field.is_relation:
            out[name] = _plain(getattr(obj, name))
        else:
            out[name] = _plain(getattr(obj, name))
    return out


EMPTY = (None, "", [], False)


def diff(before: dict, after: dict) -> dict:
    """Changed fields as {field: [before, after]}; for a new item (no ``before``) only the
    fields that were filled in."""
    return {
        k: [before.get(k), v]
        for k, v in after.items()
        if before.get(k) != v and (k in before or v not in EMPTY)
    }


def record(
    *,
    plan,
    user,
    action,
    subject: str,
    obj=None,
    label: str = "",
    changes=None,
    model=PlanChange,
    by_name: str = "",
):
    """One row of a plan's trail: ``model`` is the trail (PlanChange, an account plan's;
    salesplan's TerritoryPlanChange, a territory plan's, has the same fields).
    ``by_name``: the customer's person who made the change on the shared plan."""
    extra = {"by_name": by_name[:200]} if by_name else {}
    return model.objects.create(
        plan=plan,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        subject=subject,
        object_id=getattr(obj, "pk", None),
        label=(label or str(obj or plan))[:255],
        changes=changes or {},
        **extra,
    )


def last_change(*, subject: str, obj) -> PlanChange | None:
    return (
        PlanChange.objects.filter(subject=subject, object_id=obj.pk).select_related("user").first()
    )

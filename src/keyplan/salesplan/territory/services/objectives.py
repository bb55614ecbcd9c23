"""Objectives (revenue by tier, product line, channel and segment; new logos; activity
counts) and qualitative goals."""

from decimal import Decimal

from django.db import transaction

from keyplan.core import words
from keyplan.plans import audit
from keyplan.plans.choices import ChangeAction
from keyplan.plans.services.common import check_version, raise_if
from keyplan.salesplan.choices import (
    ActivityCadence,
    Channel,
    ObjectiveKind,
    Segment,
    TerritoryStep,
)
from keyplan.salesplan.models import (
    TerritoryGoal,
    TerritoryObjective,
    TerritoryStrategy,
)
from keyplan.salesplan.territory import versions
from keyplan.salesplan.territory.services.common import (
    ABSURD,
    TIERS,
    _decimal,
    _delete_part,
    _ids,
    _locked,
    _moved_on,
    _part,
    _require_edit,
    _save_part,
    _text,
)
from keyplan.salesplan.territory.steps import require_open

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
    _delete_part(
        user=user,
        model=TerritoryObjective,
        obj=objective,
        version=version,
        step=TerritoryStep.OBJECTIVES,
        subject="objective",
    )


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
    _delete_part(
        user=user,
        model=TerritoryGoal,
        obj=goal,
        version=version,
        step=TerritoryStep.GOALS,
        subject="goal",
    )

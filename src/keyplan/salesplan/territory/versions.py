"""A territory plan's history: the trail of every change (who, when, what, before →
after, in TerritoryPlanChange) and the versions — a snapshot of the whole plan when it is
activated and on demand — with the difference between any two in words.

The values recorded are plain (a choice's code, an amount as text, a date as ISO text,
people and accounts by name) and put into words when shown, with the account plans'
wording (``plans.wording``): the same words in both feeds, and old records read as well
as new ones."""

from dataclasses import dataclass, field
from functools import cache

from django.db import transaction
from django.db.models import Max, Prefetch

from keyplan.plans import audit, wording
from keyplan.plans.choices import ChangeAction, VersionReason
from keyplan.plans.services.common import Trail
from keyplan.salesplan.choices import Channel, Leverage, ObjectiveKind, Segment

# What each part of the plan records, in the trail and in a version.
PLAN_FIELDS = ("status", "facts_reviewed_at", "facts_note")
STRATEGY_FIELDS = (
    "title",
    "description",
    "leverages",
    "target_tiers",
    "target_accounts",
    "first_month",
    "last_month",
)
RESOURCE_FIELDS = ("person", "hours_per_month", "role")
ACTIVITY_FIELDS = ("strategy", "title", "owner", "due_date", "effort_hours", "status")
OBJECTIVE_FIELDS = (
    "kind",
    "dimension",
    "product_line",
    "title",
    "target",
    "cadence",
    "strategies",
)
GOAL_FIELDS = ("text",)

SECTIONS = {
    "strategies": "Strategies",
    "activities": "Activities",
    "objectives": "Objectives",
    "goals": "Goals",
}
# What a dimension code of an objective reads as.
DIMENSIONS = {"A": "A accounts", "B": "B accounts", "C": "C accounts"} | {
    **dict(Channel.choices),
    **dict(Segment.choices),
}
LEVERAGES = dict(Leverage.choices)


@cache
def subjects() -> dict:
    """A trail subject → the model its recorded fields belong to."""
    from keyplan.salesplan import models as m

    return {
        "territory plan": m.TerritoryPlan,
        "strategy": m.TerritoryStrategy,
        "resource": m.StrategyResource,
        "activity": m.TerritoryActivity,
        "objective": m.TerritoryObjective,
        "goal": m.TerritoryGoal,
        "version": m.TerritoryPlanVersion,
    }


# -- the trail -------------------------------------------------------------------------


def record(*, plan, user, action: str, subject: str, obj=None, label: str = "", changes=None):
    """One row of the plan's trail (``plans.audit.record`` into TerritoryPlanChange)."""
    from keyplan.salesplan.models import TerritoryPlanChange

    return audit.record(
        plan=plan,
        user=user,
        action=action,
        subject=subject,
        obj=obj,
        label=label,
        changes=changes,
        model=TerritoryPlanChange,
    )


def _readable(changes: dict) -> dict:
    """Codes that are no model choice (leverages, an objective's dimension) as labels."""
    out = {}
    for name, pair in (changes or {}).items():
        if name == "leverages":
            pair = [[LEVERAGES.get(c, c) for c in v] if isinstance(v, list) else v for v in pair]
        elif name == "dimension":
            pair = [DIMENSIONS.get(v, v) for v in pair]
        out[name] = pair
    return out


def change_rows(change) -> list[wording.Row]:
    """A recorded change's fields in words (label, before, after)."""
    return wording.rows(subjects().get(change.subject), _readable(change.changes))


def change_words(change) -> str:
    """What was done, as the feed says it after the person's name: "added strategy
    “Partner webinars”", "read the facts"."""
    if change.subject == "territory plan" and change.label in PLAN_EVENTS:
        return PLAN_EVENTS[change.label]
    return f"{change.get_action_display()} {change.subject} “{change.label}”"


def change_summary(change, limit: int = 6) -> str:
    """The change in one line: "hours per month: “20” → “30”"."""
    return "; ".join(f"{r.label}: “{r.before}” → “{r.after}”" for r in change_rows(change)[:limit])


# Things done to the plan as a whole, as the feed says them.
PLAN_EVENTS = {
    "facts read": "read the facts",
    "started": "started the territory plan",
    "activated": "activated the territory plan",
    "archived": "archived the territory plan",
}


class TerritoryTrail(Trail):
    """The territory plan's trail for the one stale-save rule: a part's last change is
    its own; the plan's is the last change to anything in it (every change to a part
    moves the plan's version on, so a plan-wide step — activating, reading the facts —
    is judged against the plan as the person saw it)."""

    def last_change(self, *, subject: str, obj):
        from keyplan.salesplan.models import TerritoryPlanChange

        changes = TerritoryPlanChange.objects.select_related("user")
        if subject == "territory plan":
            return changes.filter(plan=obj).first()
        return changes.filter(subject=subject, object_id=obj.pk).first()

    def name(self, *, subject: str, obj) -> str:
        return f"this {subject}"

    def summary(self, change, *, obj) -> str:
        rows = change_summary(change)
        same = subjects().get(change.subject) is type(obj) and change.object_id == obj.pk
        if change.action == ChangeAction.UPDATED and same:
            return rows
        return change_words(change) + (f": {rows}" if rows else "")


TRAIL = TerritoryTrail()


# -- versions --------------------------------------------------------------------------


def _items(queryset, fields) -> dict:
    return {str(obj.pk): audit.snapshot(obj, fields) for obj in queryset}


def snapshot(plan) -> dict:
    """The whole plan as plain JSON (ids as strings, amounts and dates as text, people
    and accounts by name), in seven queries however large the plan."""
    from keyplan.salesplan.models import (
        StrategyResource,
        TerritoryActivity,
        TerritoryGoal,
        TerritoryObjective,
        TerritoryStrategy,
    )

    strategies = TerritoryStrategy.objects.filter(plan=plan).prefetch_related(
        "target_accounts",
        Prefetch(
            "resources",
            queryset=StrategyResource.objects.select_related("person").order_by("pk"),
        ),
    )
    content = {
        "plan": audit.snapshot(plan, PLAN_FIELDS)
        | {"rep": str(plan.rep), "fiscal_year": plan.fiscal_year}
    }
    content["strategies"] = {}
    for strategy in strategies:
        item = audit.snapshot(strategy, STRATEGY_FIELDS)
        item["people"] = [
            f"{r.person}: {audit._plain(r.hours_per_month)} h a month"
            + (f" ({r.role})" if r.role else "")
            for r in strategy.resources.all()
        ]
        content["strategies"][str(strategy.pk)] = item
    content["activities"] = _items(
        TerritoryActivity.objects.filter(plan=plan).select_related("strategy", "owner"),
        ACTIVITY_FIELDS,
    )
    content["objectives"] = _items(
        TerritoryObjective.objects.filter(plan=plan)
        .select_related("product_line")
        .prefetch_related("strategies"),
        OBJECTIVE_FIELDS,
    )
    content["goals"] = _items(TerritoryGoal.objects.filter(plan=plan), GOAL_FIELDS)
    return content


@transaction.atomic
def take_version(*, plan, user, reason: str = VersionReason.ON_DEMAND, note: str = ""):
    """Keep a snapshot of the plan as it stands now (numbered 1, 2, … per plan)."""
    from keyplan.salesplan.models import TerritoryPlanVersion

    number = (
        TerritoryPlanVersion.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    version = TerritoryPlanVersion.objects.create(
        plan=plan,
        number=number,
        reason=reason,
        note=" ".join((note or "").split())[:255],
        taken_by=user if getattr(user, "is_authenticated", False) else None,
        content=snapshot(plan),
    )
    label = f"version {number} ({VersionReason(reason).label.lower()})"
    record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED,
        subject="version",
        obj=version,
        label=label,
    )
    return version


def _name(item: dict) -> str:
    return str(item.get("title") or item.get("text") or "")[:120]


def _changes(a: dict, b: dict) -> dict:
    """{field: [a, b]} for fields both recorded that differ."""
    return {k: [a[k], v] for k, v in b.items() if k in a and a[k] != v}


@dataclass
class SectionChanges:
    """What changed in one section (strategies, activities, …) between two versions."""

    key: str
    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list]] = field(default_factory=list)  # (name, rows in words)


@dataclass
class Comparison:
    """Two versions of a territory plan side by side, in words."""

    plan: list  # rows of the plan's own fields (status, the facts note …)
    sections: list[SectionChanges]

    @property
    def same(self) -> bool:
        return not self.plan and not self.sections

    def lines(self) -> list[str]:
        """Each difference as a sentence: "Strategies: added “Partner webinars”."."""
        out = [f"The plan's {r.label}: “{r.before}” → “{r.after}”." for r in self.plan]
        for s in self.sections:
            out += [f"{s.label}: added “{name}”." for name in s.added]
            out += [f"{s.label}: removed “{name}”." for name in s.removed]
            out += [
                f"{s.label}: “{name}” changed — "
                + "; ".join(f"{r.label}: “{r.before}” → “{r.after}”" for r in rows)
                + "."
                for name, rows in s.changed
            ]
        return out


def compare(old: dict, new: dict) -> Comparison:
    """What was added, removed and changed from snapshot ``old`` to snapshot ``new``,
    section by section, in words (items are matched by id, so a renamed strategy is
    one changed item, not one removed and one added)."""
    models = subjects()
    plan_rows = wording.rows(
        models["territory plan"], _changes(old.get("plan", {}), new.get("plan", {}))
    )
    section_models = {
        "strategies": models["strategy"],
        "activities": models["activity"],
        "objectives": models["objective"],
        "goals": models["goal"],
    }
    sections = []
    for key, label in SECTIONS.items():
        a, b = old.get(key, {}), new.get(key, {})
        section = SectionChanges(key, label)
        section.added = [_name(b[k]) for k in b if k not in a]
        section.removed = [_name(a[k]) for k in a if k not in b]
        for k in b:
            if k in a and (changes := _changes(a[k], b[k])):
                rows = wording.rows(section_models[key], _readable(changes))
                section.changed.append((_name(b[k]), rows))
        if section.added or section.removed or section.changed:
            sections.append(section)
    return Comparison(plan=plan_rows, sections=sections)


def objective_title(kind: str, dimension: str = "", product_line=None) -> str:
    """A name for an objective saved without one: "Revenue from A accounts"."""
    if kind == ObjectiveKind.REVENUE_TIER:
        return f"Revenue from {DIMENSIONS.get(dimension, dimension)}"
    if kind == ObjectiveKind.REVENUE_LINE:
        return f"Revenue from {product_line}" if product_line else "Revenue from a product line"
    if kind == ObjectiveKind.REVENUE_CHANNEL:
        return f"Revenue through {DIMENSIONS.get(dimension, dimension).lower()}"
    if kind == ObjectiveKind.REVENUE_SEGMENT:
        return f"Revenue from the {DIMENSIONS.get(dimension, dimension).lower()}"
    return str(ObjectiveKind(kind).label)


__all__ = [
    "TRAIL",
    "Comparison",
    "SectionChanges",
    "change_rows",
    "change_summary",
    "change_words",
    "compare",
    "record",
    "snapshot",
    "take_version",
]

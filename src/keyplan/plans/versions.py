"""Plan versions: a snapshot of the whole plan when it is activated, at each review and
on demand, and the difference between any two — what was added, removed and changed."""

from django.db import transaction
from django.db.models import Max

from keyplan.plans import audit, selectors, wording
from keyplan.plans.choices import ChangeAction
from keyplan.plans.fields import (
    GOAL_FIELDS,
    GOAL_LINKS,
    VALUE_FIELDS,
    VENDOR_FIELDS,
    VENDOR_LINKS,
)
from keyplan.plans.models import AccountPlan, InvestmentCase, PlanVersion, Strategy

# What a snapshot holds, per section: the fields that matter to a reader — the numbers
# and the narrative (stories, research, the proposal) alike.
SECTIONS = {
    "goals": ("goals", GOAL_FIELDS + GOAL_LINKS),
    "values": ("values", VALUE_FIELDS),
    "ideas": (
        "ideas",
        (
            "title",
            "stage",
            "problem_statement",
            "root_cause",
            "goal",
            "annual_value",
            "delivery",
            "partner_name",
            "expected_date",
            "confidence",
            "in_proposal",
        ),
    ),
    "objectives": (
        "objectives",
        ("category", "title", "metric", "baseline", "target", "due_date", "owner", "manual_value"),
    ),
    "actions": ("actions", ("title", "owner", "due_date", "effort_hours", "status")),
    "milestones": ("milestones", ("title", "date", "reached")),
    "vendors": ("vendors", VENDOR_FIELDS + VENDOR_LINKS),
    "qualitative": ("qualitative_goals", ("text",)),
    "help": ("help_requests", ("what", "asked_of", "needed_by", "status")),
    "pairings": ("executive_pairings", ("our_executive", "their_executive", "cadence_days")),
}
STRATEGY_FIELDS = ("objective", "description", "resources")
INVESTMENT_FIELDS = (
    "title",
    "description",
    "cost",
    "customer_share",
    "expected_return",
    "payback_months",
    "risks",
    "in_proposal",
    "status",
)
NUMBERS = (
    "period_start",
    "period_end",
    "status",
    "revenue_goal",
    "stretch_goal",
    "aspiration_value",
)
# The plan's own narrative, by step of the method.
TEXTS = {
    "insights": ("aspiration_statement", "value_perception", "our_aspirations"),
    "research": (
        "customer_business",
        "customer_trends",
        "customer_challenges",
        "our_capabilities",
        "our_references",
        "our_offers",
    ),
    "proposal": (
        "proposal_vision",
        "proposal_presented_on",
        "proposal_presented_to",
        "proposal_response",
    ),
}
LABELS = {
    "insights": "Insights and beliefs",
    "values": "Value statements",
    "goals": "Customer goals",
    "research": "Research",
    "ideas": "Ideas",
    "proposal": "The proposal",
    "objectives": "Objectives",
    "strategies": "Strategies",
    "actions": "Actions",
    "milestones": "Milestones",
    "vendors": "Competitors and vendors",
    "investments": "Investment cases",
    "qualitative": "Qualitative goals",
    "help": "Requests for help",
    "pairings": "Executive pairings",
}


def snapshot(plan: AccountPlan) -> dict:
    """The plan as it stands, as plain JSON (ids as strings, amounts as text)."""
    cov = selectors.coverage(plan)
    content = {
        "numbers": audit.snapshot(plan, NUMBERS)
        | {
            "pipeline": audit._plain(cov.pipeline),
            "coverage": audit._plain(cov.revenue.ratio) if cov.revenue else None,
        }
    }
    for key, fields in TEXTS.items():
        content[key] = audit.snapshot(plan, fields)
    for key, (related, fields) in SECTIONS.items():
        content[key] = _items(getattr(plan, related).all(), fields)
    content["strategies"] = _items(Strategy.objects.filter(objective__plan=plan), STRATEGY_FIELDS)
    content["investments"] = _items(
        InvestmentCase.objects.filter(idea__plan=plan), INVESTMENT_FIELDS
    )
    return content


def _items(queryset, fields) -> dict:
    """{id: {field: value}} for each item, in a fixed number of queries."""
    meta = queryset.model._meta
    many = [f for f in fields if meta.get_field(f).many_to_many]
    single = [f for f in fields if meta.get_field(f).is_relation and f not in many]
    queryset = queryset.select_related(*single).prefetch_related(*many)
    return {str(obj.pk): audit.snapshot(obj, fields) for obj in queryset}


@transaction.atomic
def take_version(*, plan: AccountPlan, user, reason: str, note: str = "") -> PlanVersion:
    number = (PlanVersion.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        reason=reason,
        note=note[:255],
        taken_by=user if getattr(user, "is_authenticated", False) else None,
        content=snapshot(plan),
    )
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED,
        subject="version",
        obj=version,
        label=f"version {number} ({version.get_reason_display().lower()})",
    )
    return version


def _name(item: dict) -> str:
    name = item.get("title") or item.get("name") or item.get("metric")
    name = name or item.get("description") or item.get("text") or item.get("what")
    if not name and "our_executive" in item:
        name = f"{item['our_executive']} ↔ {item['their_executive']}"
    return str(name or "")[:120]


def _changes(a: dict, b: dict) -> dict:
    """{field: [a, b]} for the fields both record that differ: a field one of them did
    not record (a version taken before snapshots held it) is no change."""
    return {k: [a[k], v] for k, v in b.items() if k in a and a[k] != v}


def _recorded(items: dict) -> set:
    return {name for item in items.values() for name in item}


def compare(old: dict, new: dict) -> dict:
    """{"numbers": {field: [old, new]}, section: {"label", "added": [...], "removed":
    [...], "changed": [(name, {field: [old, new]})], "fields": {field: [old, new]}}} for
    every section that differs ("fields": the plan's own narrative: insights, research,
    the proposal).

    A section one version did not record at all (taken before versions held the
    narrative) is {"label", "missing_in": "old" | "new"} instead; fields one version
    recorded and the other did not are listed by side in "unrecorded"."""
    out = {"numbers": _changes(old.get("numbers", {}), new.get("numbers", {}))}
    for key, label in LABELS.items():
        section = {"label": label, "added": [], "removed": [], "changed": []}
        if key not in old or key not in new:
            if key in old or key in new:
                out[key] = section | {"missing_in": "old" if key not in old else "new"}
            continue
        a, b = old[key], new[key]
        if key in TEXTS:
            section = {"label": label, "fields": _changes(a, b)} | section
        else:
            section["added"] = [_name(b[k]) for k in b if k not in a]
            section["removed"] = [_name(a[k]) for k in a if k not in b]
            section["changed"] = [
                (_name(b[k]), changes) for k in b if k in a and (changes := _changes(a[k], b[k]))
            ]
            if a and b:
                unrecorded = {
                    side: sorted(mine - theirs)
                    for side, mine, theirs in (
                        ("old", _recorded(b), _recorded(a)),
                        ("new", _recorded(a), _recorded(b)),
                    )
                    if mine - theirs
                }
                if unrecorded:
                    section["unrecorded"] = unrecorded
        if any(
            section[k]
            for k in ("added", "removed", "changed", "fields", "unrecorded")
            if k in section
        ):
            out[key] = section
    return out


def section_model(key: str):
    """The model a section's recorded fields belong to."""
    if key in ("numbers", *TEXTS):
        return AccountPlan
    if key == "strategies":
        return Strategy
    if key == "investments":
        return InvestmentCase
    return AccountPlan._meta.get_field(SECTIONS[key][0]).related_model


def _fields_of(key: str) -> tuple:
    if key in SECTIONS:
        return SECTIONS[key][1]
    return {"strategies": STRATEGY_FIELDS, "investments": INVESTMENT_FIELDS}.get(key, ())


def present(diff: dict, *, old_name: str, new_name: str) -> dict:
    """compare()'s result in words, for a page: {"sections": [{"key", "label", "rows"
    (changed fields of the plan itself), "added", "removed", "changed" ([(name, rows)]),
    "note" (fields one of the two versions did not record)}], "not_recorded": [one
    sentence per version that lacks whole parts of the plan]}."""
    sides = {"old": old_name, "new": new_name}
    sections, missing = [], {"old": [], "new": []}
    if diff.get("numbers"):
        rows = wording.rows(AccountPlan, diff["numbers"])
        sections.append({"key": "numbers", "label": "Numbers", "rows": rows})
    for key, section in diff.items():
        if key == "numbers":
            continue
        if section.get("missing_in"):
            missing[section["missing_in"]].append(section["label"].lower())
            continue
        model = section_model(key)
        note = ""
        for side, names in section.get("unrecorded", {}).items():
            order = _fields_of(key)
            names = sorted(names, key=lambda n: order.index(n) if n in order else len(order))
            note += (
                f"Not recorded in {sides[side]}: "
                + ", ".join(wording.label_of(model, name) for name in names)
                + "; changes to them cannot be shown. "
            )
        sections.append(
            {
                "key": key,
                "label": section["label"],
                "rows": wording.rows(model, section.get("fields") or {}),
                "added": section["added"],
                "removed": section["removed"],
                "changed": [(name, wording.rows(model, c)) for name, c in section["changed"]],
                "note": note.strip(),
            }
        )
    not_recorded = [
        f"{sides[side]} was kept before versions held the whole plan: "
        + _sentence(labels)
        + f" {'is' if len(labels) == 1 else 'are'} not recorded in it, so "
        + f"{'its' if len(labels) == 1 else 'their'} changes cannot be shown."
        for side, labels in missing.items()
        if labels
    ]
    return {"sections": sections, "not_recorded": not_recorded}


def _sentence(items: list[str]) -> str:
    """["a", "b", "c"] → "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

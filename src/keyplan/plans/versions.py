"""Plan versions: a snapshot of the whole plan when it is activated, at each review and
on demand, and the difference between any two — what was added, removed and changed."""

from django.db import transaction
from django.db.models import Max

from keyplan.plans import audit, selectors
from keyplan.plans.choices import ChangeAction
from keyplan.plans.models import AccountPlan, InvestmentCase, PlanVersion, Strategy

# What a snapshot holds, per section: the fields that matter to a reader.
SECTIONS = {
    "goals": ("goals", ("level", "title", "target_value")),
    "ideas": ("ideas", ("title", "stage", "annual_value", "delivery", "expected_date")),
    "objectives": (
        "objectives",
        ("category", "title", "metric", "baseline", "target", "due_date", "owner", "manual_value"),
    ),
    "actions": ("actions", ("title", "owner", "due_date", "effort_hours", "status")),
    "milestones": ("milestones", ("title", "date", "reached")),
    "vendors": ("vendors", ("relation", "name", "estimated_spend")),
    "qualitative": ("qualitative_goals", ("text",)),
    "help": ("help_requests", ("what", "asked_of", "needed_by", "status")),
    "pairings": ("executive_pairings", ("our_executive", "their_executive", "cadence_days")),
}
NUMBERS = (
    "period_start",
    "period_end",
    "status",
    "revenue_goal",
    "stretch_goal",
    "aspiration_value",
)
LABELS = {
    "goals": "Customer goals",
    "ideas": "Ideas",
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
    for key, (related, fields) in SECTIONS.items():
        manager = getattr(plan, related)
        relations = [f for f in fields if manager.model._meta.get_field(f).is_relation]
        manager = manager.select_related(*relations) if relations else manager.all()
        content[key] = {str(obj.pk): audit.snapshot(obj, fields) for obj in manager.all()}
    content["strategies"] = {
        str(s.pk): audit.snapshot(s, ("objective", "description", "resources"))
        for s in Strategy.objects.filter(objective__plan=plan).select_related("objective")
    }
    content["investments"] = {
        str(c.pk): audit.snapshot(c, ("title", "cost", "status"))
        for c in InvestmentCase.objects.filter(idea__plan=plan)
    }
    return content


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
    name = item.get("title") or item.get("name") or item.get("description") or item.get("text")
    name = name or item.get("what")
    if not name and "our_executive" in item:
        name = f"{item['our_executive']} ↔ {item['their_executive']}"
    return str(name or "")[:120]


def compare(old: dict, new: dict) -> dict:
    """{"numbers": {field: [old, new]}, section: {"added": [...], "removed": [...],
    "changed": [(name, {field: [old, new]})]}} for every section that differs."""
    out = {"numbers": audit.diff(old.get("numbers", {}), new.get("numbers", {}))}
    for key in LABELS:
        a, b = old.get(key, {}), new.get(key, {})
        added = [_name(b[k]) for k in b if k not in a]
        removed = [_name(a[k]) for k in a if k not in b]
        changed = [(_name(b[k]), audit.diff(a[k], b[k])) for k in b if k in a and a[k] != b[k]]
        if added or removed or changed:
            out[key] = {
                "label": LABELS[key],
                "added": added,
                "removed": removed,
                "changed": changed,
            }
    return out

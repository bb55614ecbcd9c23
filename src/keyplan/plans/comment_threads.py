"""Reading a plan's comments: one thread per part commented on (the plan's own first),
newest comment last, in a fixed number of queries however many comments there are."""

from dataclasses import dataclass, field

from keyplan.core import words
from keyplan.plans.models import AccountPlan, Comment
from keyplan.plans.services.elements import KINDS

# The parts a comment may be about, as the "about" menu offers them, in the plan's order.
COMMENTABLE = ("goal", "idea", "investment", "objective", "strategy", "action", "milestone", "help")


@dataclass
class Thread:
    subject: str
    object_id: int | None
    about: str
    comments: list = field(default_factory=list)
    removed: bool = False  # the part it is about was removed from the plan since

    @property
    def key(self) -> str:
        return f"{self.subject}-{self.object_id or 0}"


def _targets(plan: AccountPlan, wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """The names of the parts comments are about: one query per kind of part."""
    names = {}
    for kind, ids in wanted.items():
        spec = KINDS.get(kind)
        if spec is None:
            continue
        lookup = f"{spec.parent}__plan" if spec.parent else "plan"
        for obj in spec.model.objects.filter(pk__in=ids, **{lookup: plan}):
            names[(kind, obj.pk)] = str(obj)
    return names


def _about(subject: str, name: str | None) -> str:
    if subject == "plan":
        return "The plan"
    label = KINDS[subject].label if subject in KINDS else subject
    if name is None:
        return f"A {label} since removed"
    return f"{label.capitalize()}: {words.shortened(name, 80)}"


def plan_threads(plan: AccountPlan) -> list[Thread]:
    comments = list(
        Comment.objects.filter(plan=plan)
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("created_at", "pk")
    )
    wanted: dict[str, set[int]] = {}
    for c in comments:
        if c.subject != "plan" and c.object_id:
            wanted.setdefault(c.subject, set()).add(c.object_id)
    names = _targets(plan, wanted)
    threads: dict[tuple, Thread] = {}
    for c in comments:
        key = (c.subject, c.object_id)
        if key not in threads:
            threads[key] = Thread(
                subject=c.subject,
                object_id=c.object_id,
                about=_about(c.subject, names.get(key) if c.subject != "plan" else None),
                removed=c.subject != "plan" and key not in names,
            )
        threads[key].comments.append(c)
    # The plan's own thread first, then by the newest comment, most recently active first.
    return sorted(
        threads.values(),
        key=lambda t: (t.subject != "plan", -t.comments[-1].created_at.timestamp()),
    )


# The field each commentable part is named by (its ``__str__``).
NAME_FIELD = {
    "goal": "title",
    "idea": "title",
    "investment": "title",
    "objective": "title",
    "strategy": "description",
    "action": "title",
    "milestone": "title",
    "help": "what",
}


def about_choices(plan: AccountPlan, parts: dict | None = None) -> list[tuple[str, str]]:
    """The "about" menu: the plan, then each part of it. ``parts`` ({kind: every row of
    that kind in the plan}, for every kind in COMMENTABLE) are the rows the plan page
    has read already; without them, the parts are read in one query (a UNION of every
    kind's ids and names)."""
    if parts is not None:
        rows = [
            (order, kind, obj.pk, getattr(obj, NAME_FIELD[kind]))
            for order, kind in enumerate(COMMENTABLE)
            for obj in parts[kind]
        ]
    else:
        rows = _about_rows(plan)
    choices = [("plan", "The plan as a whole")]
    for _, kind, pk, name in sorted(rows, key=lambda r: (r[0], r[2])):
        label = KINDS[kind].label.capitalize()
        choices.append((f"{kind}-{pk}", f"{label}: {words.shortened(' '.join(name.split()), 60)}"))
    return choices


def _about_rows(plan: AccountPlan):
    """(rank, kind, pk, name) of every part of the plan, in one query."""
    from django.db.models import CharField, F, Value

    parts = None
    for order, kind in enumerate(COMMENTABLE):
        spec = KINDS[kind]
        lookup = f"{spec.parent}__plan" if spec.parent else "plan"
        rows = (
            spec.model.objects.filter(**{lookup: plan})
            .annotate(
                part=Value(kind, output_field=CharField()),
                rank=Value(order),
                name=F(NAME_FIELD[kind]),
            )
            .order_by()
            .values_list("rank", "part", "pk", "name")
        )
        parts = rows if parts is None else parts.union(rows, all=True)
    return list(parts)

"""A rep's quarterly review sitting pack: all of one rep's active account plans for a
quarter in one deck or PDF — about thirty minutes a plan, every plan in one sitting
(METHOD.md, "Execution"). ``review_pack(rep=, quarter=, user=)`` is the one entry: the
pages, the API and (issue 17) a scheduled sitting call it.

Each plan is read through the plan export's own selector (``content.plan_document``:
at a glance, the forecast against the goal, coverage, health and its reasons, overdue
actions, what is asked of leadership) plus what changed since its last version (the
plan's versions compared in words, ``plans.versions``). A fixed number of queries per
plan, whatever the plan holds; a rep has about five.

Visibility: a pack is for a rep the user sees (the rep themself, their managers up the
chain, and those who see everything, by people.scope); it holds only the plans
``AccountPlan.objects.visible_to(user)`` lets the user read."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from keyplan.core import words
from keyplan.outputs.content import (
    COMMITMENT_ASKED,
    Ask,
    PlanDocument,
    commitment_ask,
    file_name,
    plain,
    plan_document,
)
from keyplan.salesplan.periods import Period, parse_period

PACK_FORMATS = ("pptx", "pdf")
CHANGES_SHOWN = 12  # sentences of "what changed" per plan; the plan's page has them all


class PackRefused(ValueError):
    """A pack asked for wrongly (no rep, a year for a quarter, a format packs do not
    come in); the message says which parameter and what is expected."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


@dataclass
class PackPlan:
    doc: PlanDocument
    since: str  # "since version 3 (quarterly review) of 2027-01-12", or why nothing
    changes: list[str] = field(default_factory=list)
    decisions: list[Ask] = field(default_factory=list)

    @property
    def plan(self):
        return self.doc.plan


@dataclass
class ReviewPack:
    rep: object
    rep_name: str
    manager_name: str
    quarter: Period
    plans: list[PackPlan]
    generated_on: datetime.date
    generated_by: str

    @property
    def title(self) -> str:
        return f"Quarterly review: {self.rep_name} · {self.quarter.name}"

    @property
    def file_stem(self) -> str:
        name = file_name(self.rep_name, "rep")
        return f"Review pack - {name} - {self.quarter.fiscal_year}-Q{self.quarter.quarter}"


def parse_quarter(text) -> Period:
    """ "2027-Q1", "Q1 FY 2027" → the quarter; a year or anything else is refused."""
    try:
        period = parse_period(text or "")
    except ValueError:
        shown = f"“{text}”" if text else "nothing"
        raise PackRefused(
            "quarter", f"{shown} is not a quarter: write it as “2027-Q1” or “Q1 FY 2027”."
        ) from None
    if not period.quarter:
        raise PackRefused(
            "quarter",
            f"“{text}” is a whole year; a review sitting is for one quarter, e.g. "
            f"“{period.fiscal_year}-Q1”.",
        )
    return period


def visible_rep_or_none(user, rep_id):
    """The rep ``rep_id`` if ``user`` sees their plans (themself, their managers, those
    who see everything), else None: a pack of someone out of reach is 404, as their
    plans are."""
    from keyplan.people.models import User
    from keyplan.people.scope import scope_for

    if not str(rep_id or "").isdigit():
        return None
    scope = scope_for(user)
    rep = User.objects.select_related("manager").filter(pk=int(rep_id)).first()
    if rep is None or not (scope.everything or rep.pk in scope.user_ids):
        return None
    return rep


def pack_plans(*, rep, quarter: Period, user):
    """The rep's active account plans whose period overlaps the quarter, as ``user``
    may see them."""
    from keyplan.plans.choices import PlanStatus
    from keyplan.plans.models import AccountPlan

    return (
        AccountPlan.objects.visible_to(user)
        .filter(
            owner=rep,
            status=PlanStatus.ACTIVE,
            period_start__lte=quarter.end,
            period_end__gte=quarter.start,
        )
        .select_related("account", "account__tier", "owner", "proposal_presented_to")
        .order_by("account__name", "pk")
    )


def _change_sentences(presented: dict) -> list[str]:
    out = []
    for section in presented["sections"]:
        parts = []
        for r in section["rows"]:
            parts.append(f"{r.label} rewritten" if r.diff else f"{r.label}: {r.before} → {r.after}")
        if section.get("added"):
            parts.append("added " + "; ".join(plain(n) for n in section["added"]))
        if section.get("removed"):
            parts.append("removed " + "; ".join(plain(n) for n in section["removed"]))
        for name, rows in section.get("changed", []):
            said = ", ".join(
                f"{r.label} rewritten" if r.diff else f"{r.label} {r.before} → {r.after}"
                for r in rows
            )
            parts.append(f"changed {plain(name)} ({said})")
        if parts:
            out.append(f"{section['label']}: " + "; ".join(parts) + ".")
    out += presented["not_recorded"]
    return out


def since_last_version(plan) -> tuple[str, list[str]]:
    """(what the changes are counted from, the changes in words) for ``plan`` as it is
    now against its latest version."""
    from keyplan.plans import versions
    from keyplan.plans.models import PlanVersion

    last = PlanVersion.objects.filter(plan=plan).select_related("taken_by").order_by("-number")
    last = last.first()
    if last is None:
        return "No version of this plan has been kept yet: nothing to compare with.", []
    since = (
        f"Since version {last.number} ({last.get_reason_display().lower()}) of "
        f"{words.day(timezone.localtime(last.taken_at).date())}"
    )
    diff = versions.compare(last.content, versions.snapshot(plan))
    presented = versions.present(diff, old_name=f"v{last.number}", new_name="the plan now")
    changes = _change_sentences(presented)
    if not changes:
        return f"{since}: nothing changed.", []
    if len(changes) > CHANGES_SHOWN:
        more = len(changes) - CHANGES_SHOWN
        changes = changes[:CHANGES_SHOWN] + [
            f"… and {words.plural(more, 'more part')} changed: see the plan's versions page."
        ]
    return f"{since}:", changes


def decisions_waiting(doc: PlanDocument) -> list[Ask]:
    """What the sitting decides: investment cases submitted for approval and help asked
    of others and not yet committed."""
    from keyplan.plans.choices import HelpStatus, InvestmentStatus

    waiting = {
        ("investment", InvestmentStatus.SUBMITTED.label),
        ("help", HelpStatus.REQUESTED.label),
    }
    # Commitments asked of delivery, manufacturing or finance and not answered yet.
    commitments = [commitment_ask(c) for c in doc.commitments if c.status == COMMITMENT_ASKED]
    return [a for a in doc.asks if (a.kind, a.status) in waiting] + commitments


def review_pack(*, rep, quarter: Period, user) -> ReviewPack:
    """The pack of ``rep``'s plans for ``quarter`` as ``user`` may see them."""
    plans = []
    for plan in pack_plans(rep=rep, quarter=quarter, user=user):
        doc = plan_document(plan, user)
        since, changes = since_last_version(plan)
        plans.append(PackPlan(doc, since, changes, decisions_waiting(doc)))
    manager = getattr(rep, "manager", None)
    return ReviewPack(
        rep=rep,
        rep_name=plain(str(rep)),
        manager_name=plain(str(manager)) if manager else "no manager recorded",
        quarter=quarter,
        plans=plans,
        generated_on=timezone.localdate(),
        generated_by=str(user),
    )

"""The relationship and decision map of a plan's account: who reports to whom, each
contact's role in decisions, attitude toward us, how strong our relationship is and who
of us holds it; warnings in plain words where the map shows a risk; and the executive
pairings (leader to leader) with the last executive meeting of each.

Everything is read in a fixed number of queries, however many contacts the account has.
The chart's tree, grouped by business unit, is built in ``relationship_tree.py``.
The accounts are the plan's account and every account under it; inactive contacts (who
have left the company) are not on the map.

The warnings, exactly:

* ``uncovered_decision_maker``: an active decision maker whose relationship with us is
  none or weak (medium or strong covers them).
* ``influential_blocker``: an active blocker who is C-level or VP, or has at least one
  active direct report.
* ``no_senior_contact``: a product line with key stakeholder roles where no active
  contact both fills one of its roles (``StakeholderRole.matches``) and is a director,
  VP or C-level.
* ``single_threaded``: only one contact has any relationship with us (weak or better),
  or one of our people holds every medium or strong relationship (at least one, all
  with that same owner).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from keyplan.accounts.choices import DecisionRole, RelationshipStrength, Seniority
from keyplan.core.words import day, plural
from keyplan.plans.relationship_tree import build_tree

COVERED = frozenset({RelationshipStrength.MEDIUM, RelationshipStrength.STRONG})
ANY_RELATIONSHIP = frozenset(
    {RelationshipStrength.WEAK, RelationshipStrength.MEDIUM, RelationshipStrength.STRONG}
)
SENIOR = frozenset({Seniority.C_LEVEL, Seniority.VP, Seniority.DIRECTOR})
INFLUENTIAL = frozenset({Seniority.C_LEVEL, Seniority.VP})


@dataclass
class MapWarning:
    """A risk on the map, said in plain words, with the contacts it concerns."""

    kind: str
    text: str
    contacts: list = field(default_factory=list)
    subject: str = ""  # e.g. the product line's name

    def __str__(self) -> str:
        return self.text


@dataclass
class PairingRow:
    """One executive pairing with its last executive interaction and whether the agreed
    cadence has been missed."""

    pairing: object
    last_met: datetime.date | None
    due: datetime.date | None
    overdue: bool
    days_overdue: int

    @property
    def status(self) -> str:
        if self.last_met is None:
            return "No executive meeting recorded yet"
        if self.overdue:
            return f"Overdue by {plural(self.days_overdue, 'day')}"
        return f"Next meeting due by {day(self.due)}"


@dataclass
class RelationshipMap:
    contacts: list
    nodes: list
    edges: list
    tree: dict
    warnings: list
    pairings: list
    accounts: list
    product_lines: list
    business_unit: object = None
    product_line: object = None


def _subtree(account_id: int) -> set[int]:
    from keyplan.accounts.models import AccountLineage

    return set(
        AccountLineage.objects.filter(ancestor_id=account_id).values_list(
            "descendant_id", flat=True
        )
    )


def _plan_accounts(plan) -> set[int]:
    """The accounts the map covers: the plan's account and the chosen accounts under it,
    each with everything under it (the same accounts whose facts count for the plan)."""
    from keyplan.plans.selectors import plan_account_ids

    return set(plan_account_ids(plan))


def _contacts(account_ids) -> list:
    from keyplan.accounts.models import Contact

    return list(
        Contact.objects.filter(account_id__in=account_ids, is_active=True)
        .select_related("account", "relationship_owner", "reports_to")
        .order_by("last_name", "first_name", "pk")
    )


def _roles_by_line() -> dict:
    """Product line → its stakeholder roles (only lines that have roles)."""
    from keyplan.territory.models import StakeholderRole

    by_line: dict = {}
    for role in StakeholderRole.objects.select_related("product_line").order_by(
        "product_line__name", "name"
    ):
        by_line.setdefault(role.product_line, []).append(role)
    return by_line


def _fills(contact, roles) -> bool:
    return any(r.matches(contact.title, contact.function, contact.seniority) for r in roles)


def _report_counts(contacts) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for c in contacts:
        if c.reports_to_id:
            counts[c.reports_to_id] += 1
    return counts


def _warnings(contacts, reports: dict[int, int], roles_by_line: dict) -> list[MapWarning]:
    out: list[MapWarning] = []
    for c in contacts:
        if c.decision_role == DecisionRole.DECISION_MAKER and c.relationship_strength not in (
            COVERED
        ):
            how = (
                "only a weak relationship with us"
                if c.relationship_strength == RelationshipStrength.WEAK
                else "no relationship with us"
            )
            out.append(
                MapWarning(
                    "uncovered_decision_maker",
                    f"Decision maker {c.name}{_title(c)} has {how}: "
                    "build a medium or strong relationship before the decision is made.",
                    [c],
                )
            )
    for c in contacts:
        if c.decision_role != DecisionRole.BLOCKER:
            continue
        why = []
        if c.seniority in INFLUENTIAL:
            why.append(f"is {c.get_seniority_display()}")
        n = reports.get(c.pk, 0)
        if n:
            why.append(f"has {n} direct report{'s' if n != 1 else ''}")
        if why:
            out.append(
                MapWarning(
                    "influential_blocker",
                    f"Blocker {c.name}{_title(c)} has influence: {' and '.join(why)}. "
                    "Plan how to win them over or limit their say.",
                    [c],
                )
            )
    for line, roles in roles_by_line.items():
        if not any(c.seniority in SENIOR and _fills(c, roles) for c in contacts):
            names = ", ".join(r.name for r in roles)
            out.append(
                MapWarning(
                    "no_senior_contact",
                    f"{line.name}: we know nobody senior (director or above) in its key "
                    f"roles ({names}).",
                    [],
                    subject=line.name,
                )
            )
    related = [c for c in contacts if c.relationship_strength in ANY_RELATIONSHIP]
    strong = [c for c in contacts if c.relationship_strength in COVERED]
    owners = {c.relationship_owner_id for c in strong}
    if len(related) == 1:
        c = related[0]
        out.append(
            MapWarning(
                "single_threaded",
                f"Single-threaded: {c.name} is the only contact we have any relationship "
                "with. If they leave or turn against us, we lose the account.",
                [c],
            )
        )
    elif strong and len(owners) == 1 and None not in owners:
        holder = strong[0].relationship_owner
        out.append(
            MapWarning(
                "single_threaded",
                f"Single-threaded: {holder} holds every medium or strong relationship "
                f"({len(strong)} contact{'s' if len(strong) != 1 else ''}). "
                "Bring more of our people into the account.",
                strong,
            )
        )
    return out


def _title(contact) -> str:
    return f" ({contact.title})" if contact.title else ""


def _pairing_rows(plan, today: datetime.date) -> list[PairingRow]:
    from keyplan.accounts.models import Interaction

    pairings = list(
        plan.executive_pairings.select_related("our_executive", "their_executive").order_by("pk")
    )
    if not pairings:
        return []
    last: dict[tuple[int, int], datetime.date] = {
        (contact_id, user_id): day
        for contact_id, user_id, day in Interaction.objects.filter(
            is_executive=True,
            contacts__in={p.their_executive_id for p in pairings},
            participants__in={p.our_executive_id for p in pairings},
            # A meeting dated after today is planned, not met (an accepted meeting
            # request is one): the executive program counts the same way.
            date__lte=today,
        )
        .values_list("contacts", "participants")
        .annotate(last=Max("date"))
        .order_by()
    }
    rows = []
    for p in pairings:
        met = last.get((p.their_executive_id, p.our_executive_id))
        if met is None:
            rows.append(PairingRow(p, None, None, True, 0))
            continue
        due = met + datetime.timedelta(days=p.cadence_days)
        late = (today - due).days
        rows.append(PairingRow(p, met, due, late > 0, max(late, 0)))
    return rows


def relationship_map(
    plan, *, business_unit=None, product_line=None, today=None, contact_url=None
) -> RelationshipMap:
    """The map of ``plan``'s accounts, optionally only one business unit (an account in
    the plan's subtree, with everything under it) or only the contacts who fill a key
    stakeholder role of ``product_line``. Warnings are about what is shown. A fixed
    number of queries. ``contact_url(contact)`` gives each node its link."""
    from keyplan.accounts.models import Account

    today = today or timezone.localdate()
    subtree = _plan_accounts(plan)
    accounts = {a.pk: a for a in Account.objects.filter(pk__in=subtree).order_by("name")}
    contacts = _contacts(subtree)
    reports = _report_counts(contacts)
    roles_by_line = _roles_by_line()
    if business_unit is not None and business_unit.pk in subtree:
        unit = _subtree(business_unit.pk)
        contacts = [c for c in contacts if c.account_id in unit]
        shown_accounts = {pk: a for pk, a in accounts.items() if pk in unit}
    else:
        business_unit = None
        shown_accounts = accounts
    lines = list(roles_by_line)
    if product_line is not None:
        roles = next((r for line, r in roles_by_line.items() if line.pk == product_line.pk), [])
        contacts = [c for c in contacts if _fills(c, roles)]
        roles_by_line = {product_line: roles} if roles else {}
    pairings = _pairing_rows(plan, today)
    paired: dict = defaultdict(list)
    for row in pairings:
        paired[row.pairing.their_executive_id].append(str(row.pairing.our_executive))
    paired_text = {pk: ", ".join(names) for pk, names in paired.items()}
    urls = {c.pk: contact_url(c) for c in contacts} if contact_url else {}
    tree, edges = build_tree(
        business_unit or plan.account, contacts, shown_accounts, paired_text, urls
    )
    for c in contacts:
        c.report_count = reports.get(c.pk, 0)
        c.paired_with = paired_text.get(c.pk, "")
    nodes = [
        {
            "id": c.pk,
            "name": c.name,
            "role": c.decision_role,
            "attitude": c.attitude,
            "strength": c.relationship_strength,
            "owner": str(c.relationship_owner) if c.relationship_owner_id else "",
        }
        for c in contacts
    ]
    return RelationshipMap(
        contacts=contacts,
        nodes=nodes,
        edges=edges,
        tree=tree,
        warnings=_warnings(contacts, reports, roles_by_line),
        pairings=pairings,
        accounts=sorted(accounts.values(), key=lambda a: (a.pk != plan.account_id, a.name)),
        product_lines=lines,
        business_unit=business_unit,
        product_line=product_line,
    )


def map_warnings(plan) -> list[MapWarning]:
    """The plain-words warnings for the whole map of ``plan`` (no filter)."""
    contacts = _contacts(_plan_accounts(plan))
    return _warnings(contacts, _report_counts(contacts), _roles_by_line())


def decision_makers_covered(plan) -> tuple[int, int]:
    """(decision makers we have a medium or strong relationship with, all decision
    makers) among the active contacts of the plan's accounts."""
    from keyplan.accounts.models import Contact

    strengths = list(
        Contact.objects.filter(
            account_id__in=_plan_accounts(plan),
            is_active=True,
            decision_role=DecisionRole.DECISION_MAKER,
        ).values_list("relationship_strength", flat=True)
    )
    return sum(1 for s in strengths if s in COVERED), len(strengths)

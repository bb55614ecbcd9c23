"""Audience white space: for every account, product line and key stakeholder role, do we
know someone who fills it (an active contact matches), and have we engaged them (an
interaction in the last ``days`` days)?"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from keyplan.accounts.models import Contact, Interaction
from keyplan.territory.analysis.params import Scope

KNOWN, ENGAGED, MISSING = "known", "engaged", "missing"


@dataclass
class LineCoverage:
    line: str
    core: bool
    roles: int
    known: int
    engaged: int
    missing: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.known / self.roles if self.roles else 0.0

    @property
    def engagement(self) -> float:
        return self.engaged / self.roles if self.roles else 0.0


@dataclass
class AccountAudience:
    account_id: int
    name: str
    lines: list[LineCoverage]

    @property
    def coverage(self) -> float:
        roles = sum(c.roles for c in self.lines)
        return sum(c.known for c in self.lines) / roles if roles else 0.0


class AccountAudiences(Sequence):
    """Every account's coverage in name order, each built when asked for: a territory has
    100,000 accounts × product lines and a page shows fifty of them."""

    def __init__(self, names, filled, layout, order=None):
        self._names = names  # [(account id, name)], by name
        self._filled = filled  # account id → role id → known / engaged
        self._layout = layout  # [(line, core, [(role id, role name)])]
        self._roles = sum(len(roles) for _l, _c, roles in layout)
        self._order = order  # positions in _names, when re-ordered

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        position = self._order[index] if self._order is not None else index
        return self._build(*self._names[position])

    def coverage(self, account_id: int) -> float:
        known = len(self._filled.get(account_id, ()))
        return known / self._roles if self._roles else 0.0

    def by_coverage(self) -> "AccountAudiences":
        """The same accounts, least covered first (then by name)."""
        order = sorted(
            range(len(self._names)),
            key=lambda i: (self.coverage(self._names[i][0]), self._names[i][1].casefold()),
        )
        return AccountAudiences(self._names, self._filled, self._layout, order)

    def _build(self, account_id: int, name: str) -> AccountAudience:
        states = self._filled.get(account_id, {})
        lines = []
        for line, core, roles in self._layout:
            missing = [role_name for role_id, role_name in roles if role_id not in states]
            engaged = sum(1 for role_id, _n in roles if states.get(role_id) == ENGAGED)
            lines.append(
                LineCoverage(line, core, len(roles), len(roles) - len(missing), engaged, missing)
            )
        return AccountAudience(account_id, name, lines)


@dataclass
class Audience:
    days: int
    as_of: datetime.date
    lines: list[tuple[str, bool, int]]  # (line, core, roles)
    accounts: AccountAudiences
    totals: dict[str, dict[str, float]]  # line → coverage / engagement; plus core/non-core


def audience(
    *,
    user,
    scope: Scope | None = None,
    days: int = 180,
    as_of: datetime.date | None = None,
    account_ids=None,
) -> Audience:
    from keyplan.territory.models import StakeholderRole

    scope = scope or Scope()
    as_of = as_of or datetime.date.today()
    accounts = scope.accounts(user)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    roles = list(StakeholderRole.objects.select_related("product_line"))
    by_line: dict[str, list] = defaultdict(list)
    core = {}
    for role in roles:
        by_line[role.product_line.name].append(role)
        core[role.product_line.name] = role.product_line.is_core
    lines = sorted(by_line)
    engaged_contacts = set(
        Interaction.contacts.through.objects.filter(
            interaction__date__gt=as_of - datetime.timedelta(days=days),
            interaction__date__lte=as_of,
            interaction__account__in=accounts,
        ).values_list("contact_id", flat=True)
    )
    filled: dict[int, dict[int, str]] = defaultdict(dict)  # account → role id → state
    # Titles repeat across contacts: match each distinct (title, function, seniority) once.
    matching: dict[tuple, tuple[int, ...]] = {}
    for pk, account_id, *profile in (
        Contact.objects.filter(account__in=accounts, is_active=True)
        .order_by()  # not by name: the order does not matter here and sorting costs
        .values_list("pk", "account_id", "title", "function", "seniority")
        .iterator(20000)
    ):
        key = tuple(profile)
        role_ids = matching.get(key)
        if role_ids is None:
            role_ids = matching[key] = tuple(r.pk for r in roles if r.matches(*profile))
        if not role_ids:
            continue
        state = ENGAGED if pk in engaged_contacts else KNOWN
        states = filled[account_id]
        for role_id in role_ids:
            if states.get(role_id) != ENGAGED:
                states[role_id] = state
    # Per line: (roles, known, engaged) summed over every account in scope; only accounts
    # where someone fills a role add to known and engaged.
    line_of = {role.pk: role.product_line.name for role in roles}
    names = list(accounts.values_list("pk", "name").order_by("name", "pk"))
    sums = {line: [len(by_line[line]) * len(names), 0, 0] for line in lines}
    for states in filled.values():
        for role_id, state in states.items():
            figures = sums[line_of[role_id]]
            figures[1] += 1
            figures[2] += state == ENGAGED
    totals = {
        line: {"coverage": k / r if r else 0.0, "engagement": e / r if r else 0.0}
        for line, (r, k, e) in sums.items()
    }
    for label, is_core in (("core lines", True), ("other lines", False)):
        r = sum(sums[line][0] for line in lines if core[line] == is_core)
        k = sum(sums[line][1] for line in lines if core[line] == is_core)
        e = sum(sums[line][2] for line in lines if core[line] == is_core)
        totals[label] = {"coverage": k / r if r else 0.0, "engagement": e / r if r else 0.0}
    layout = [(line, core[line], [(r.pk, r.name) for r in by_line[line]]) for line in lines]
    result = AccountAudiences(names, dict(filled), layout)
    return Audience(
        days, as_of, [(line, core[line], len(by_line[line])) for line in lines], result, totals
    )

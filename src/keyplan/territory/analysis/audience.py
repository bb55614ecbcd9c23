"""Audience white space: for every account, product line and key stakeholder role, do we
know someone who fills it (an active contact matches), and have we engaged them (an
interaction in the last ``days`` days)?"""

import datetime
from collections import defaultdict
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


@dataclass
class Audience:
    days: int
    as_of: datetime.date
    lines: list[tuple[str, bool, int]]  # (line, core, roles)
    accounts: list[AccountAudience]
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
    for pk, account_id, title, function, seniority in (
        Contact.objects.filter(account__in=accounts, is_active=True)
        .values_list("pk", "account_id", "title", "function", "seniority")
        .iterator(20000)
    ):
        for role in roles:
            if role.matches(title, function, seniority):
                state = ENGAGED if pk in engaged_contacts else KNOWN
                if filled[account_id].get(role.pk) != ENGAGED:
                    filled[account_id][role.pk] = state
    result = []
    sums = {line: [0, 0, 0] for line in lines}
    for pk, name in accounts.values_list("pk", "name").order_by("name", "pk"):
        states = filled.get(pk, {})
        coverage = []
        for line in lines:
            known = engaged = 0
            missing = []
            for role in by_line[line]:
                state = states.get(role.pk)
                if state:
                    known += 1
                    engaged += state == ENGAGED
                else:
                    missing.append(role.name)
            n = len(by_line[line])
            coverage.append(LineCoverage(line, core[line], n, known, engaged, missing))
            sums[line][0] += n
            sums[line][1] += known
            sums[line][2] += engaged
        result.append(AccountAudience(pk, name, coverage))
    totals = {
        line: {"coverage": k / r if r else 0.0, "engagement": e / r if r else 0.0}
        for line, (r, k, e) in sums.items()
    }
    for label, is_core in (("core lines", True), ("other lines", False)):
        r = sum(sums[line][0] for line in lines if core[line] == is_core)
        k = sum(sums[line][1] for line in lines if core[line] == is_core)
        e = sum(sums[line][2] for line in lines if core[line] == is_core)
        totals[label] = {"coverage": k / r if r else 0.0, "engagement": e / r if r else 0.0}
    return Audience(
        days, as_of, [(line, core[line], len(by_line[line])) for line in lines], result, totals
    )

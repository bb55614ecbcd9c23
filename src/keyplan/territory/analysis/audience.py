"""Audience white space: for every account, product line and key stakeholder role, do we
know someone who fills it (an active contact matches), and have we engaged them (an
interaction in the last ``days`` days)?"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from django.db.models import IntegerField, Value

from keyplan.accounts.models import Contact, Interaction
from keyplan.territory.analysis.columns import int_columns
from keyplan.territory.analysis.facts import raw_rows
from keyplan.territory.analysis.lazy import BuiltOnRead
from keyplan.territory.analysis.params import Scope


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


class AccountAudiences(BuiltOnRead):
    """Every account's coverage in name order, each built when asked for: a territory has
    100,000 accounts × product lines and a page shows fifty of them."""

    def __init__(self, names, filled, layout, order=None):
        self._names = names  # [(account id, name)], by name
        self._filled = filled  # account id → (mask of roles known, mask of roles engaged)
        self._layout = layout  # [(line, core, [(role's bit in the masks, role name)])]
        self._roles = sum(len(roles) for _l, _c, roles in layout)
        self._order = order  # positions in _names, when re-ordered

    def __len__(self) -> int:
        return len(self._names)

    def _item(self, i: int) -> AccountAudience:
        position = self._order[i] if self._order is not None else i
        return self._build(*self._names[position])

    def coverage(self, account_id: int) -> float:
        known = self._filled.get(account_id, (0, 0))[0].bit_count()
        return known / self._roles if self._roles else 0.0

    def by_coverage(self) -> "AccountAudiences":
        """The same accounts, least covered first (then by name)."""
        order = sorted(
            range(len(self._names)),
            key=lambda i: (self.coverage(self._names[i][0]), self._names[i][1].casefold()),
        )
        return AccountAudiences(self._names, self._filled, self._layout, order)

    def _build(self, account_id: int, name: str) -> AccountAudience:
        known, engaged_mask = self._filled.get(account_id, (0, 0))
        lines = []
        for line, core, roles in self._layout:
            missing = [role_name for role_bit, role_name in roles if not known & role_bit]
            engaged = sum(1 for role_bit, _n in roles if engaged_mask & role_bit)
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
    everything = account_ids is None and scope.everything(user)
    roles = list(StakeholderRole.objects.select_related("product_line"))
    by_line: dict[str, list] = defaultdict(list)
    core = {}
    for role in roles:
        by_line[role.product_line.name].append(role)
        core[role.product_line.name] = role.product_line.is_core
    lines = sorted(by_line)
    bit = {role.pk: 1 << i for i, role in enumerate(roles)}  # a role is a bit of a mask
    interactions = Interaction.contacts.through.objects.filter(
        interaction__date__gt=as_of - datetime.timedelta(days=days), interaction__date__lte=as_of
    )
    contacts = Contact.objects.filter(is_active=True).order_by()  # order: none needed
    if not everything:
        interactions = interactions.filter(interaction__account__in=accounts)
        contacts = contacts.filter(account__in=accounts)
    engaged_contacts = np.fromiter(
        chain.from_iterable(raw_rows(interactions.values_list("contact_id"))), dtype=np.int64
    )
    filled = _masks_per_account(
        *_matching_contacts(contacts, roles, bit, everything), engaged_contacts
    )
    # Per line: (roles, known, engaged) summed over every account in scope; only accounts
    # where someone fills a role add to known and engaged. Accounts share mask pairs.
    names = list(accounts.values_list("pk", "name").order_by("name", "pk"))
    line_masks = {line: sum(bit[r.pk] for r in by_line[line]) for line in lines}
    sums = {line: [len(by_line[line]) * len(names), 0, 0] for line in lines}
    for (known, engaged), n in Counter(filled.values()).items():
        for line, line_mask in line_masks.items():
            sums[line][1] += n * (known & line_mask).bit_count()
            sums[line][2] += n * (engaged & line_mask).bit_count()
    totals = {
        line: {"coverage": k / r if r else 0.0, "engagement": e / r if r else 0.0}
        for line, (r, k, e) in sums.items()
    }
    for label, is_core in (("core lines", True), ("other lines", False)):
        r = sum(sums[line][0] for line in lines if core[line] == is_core)
        k = sum(sums[line][1] for line in lines if core[line] == is_core)
        e = sum(sums[line][2] for line in lines if core[line] == is_core)
        totals[label] = {"coverage": k / r if r else 0.0, "engagement": e / r if r else 0.0}
    layout = [(line, core[line], [(bit[r.pk], r.name) for r in by_line[line]]) for line in lines]
    result = AccountAudiences(names, filled, layout)
    return Audience(
        days, as_of, [(line, core[line], len(by_line[line])) for line in lines], result, totals
    )


_PROFILES_PER_QUERY = 100  # SQLite allows 500 terms in a UNION; stay well below


def _masks_per_account(rows, masks, engaged_contacts) -> dict[int, tuple[int, int]]:
    """account → (mask of the roles its contacts fill, mask of those filled by a contact
    met lately), from ``rows`` (account, contact, profile number) and the roles each
    profile fills (``masks``: ints of any width, one bit per role — kept as Python ints,
    so a territory may define any number of roles)."""
    if not len(rows):
        return {}
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    starts = np.flatnonzero(np.diff(rows[:, 0], prepend=-1))
    mask = np.array(masks, dtype=object)[rows[:, 2]]
    met = np.isin(rows[:, 1], engaged_contacts)
    known = np.bitwise_or.reduceat(mask, starts)
    engaged = np.bitwise_or.reduceat(np.where(met, mask, 0), starts)
    return dict(
        zip(
            rows[starts, 0].tolist(),
            zip(known.tolist(), engaged.tolist(), strict=True),
            strict=True,
        )
    )


def _matching_contacts(contacts, roles, bit, everything) -> tuple[np.ndarray, list[int]]:
    """(rows, masks): a row (account id, contact id, profile number) for every contact of
    ``contacts`` who fills at least one role, and the mask of the roles each profile
    number fills.

    Titles repeat across contacts (45 distinct title / function / seniority profiles for
    700,000 contacts in a generated territory): each distinct profile is matched once.
    For every account (``everything``) only the contacts of the profiles that match are
    read — a UNION of look-ups on the index of active contacts' (title, function,
    seniority, account, id), with no filter by account. For part of the territory the
    scope's contacts are few (a rep's: hundreds) and are read in one query filtered by
    account — the filter, which can carry many people's ids, is then written once."""

    number: dict[tuple, int] = {}  # profile → its number
    masks: list[int] = []  # number → the roles the profile fills

    def number_of(profile: tuple) -> int:
        if profile not in number:
            number[profile] = len(masks)
            masks.append(sum(bit[r.pk] for r in roles if r.matches(*profile)))
        return number[profile]

    if not everything:
        rows = []
        for account_id, contact_id, *profile in raw_rows(
            contacts.values_list("account_id", "pk", "title", "function", "seniority")
        ):
            n = number_of(tuple(profile))
            if masks[n]:
                rows.append((account_id, contact_id, n))
        return int_columns(rows, 3), masks
    profiles = []
    for profile in raw_rows(contacts.values_list("title", "function", "seniority").distinct()):
        n = number_of(tuple(profile))
        if masks[n]:
            profiles.append((profile, n))
    parts = []
    for start in range(0, len(profiles), _PROFILES_PER_QUERY):
        chunk = profiles[start : start + _PROFILES_PER_QUERY]
        union = [
            contacts.filter(title=title, function=function, seniority=seniority)
            .annotate(profile=Value(n, output_field=IntegerField()))
            .values_list("account_id", "pk", "profile")
            for (title, function, seniority), n in chunk
        ]
        union = union[0].union(*union[1:], all=True) if len(union) > 1 else union[0]
        parts.append(int_columns(raw_rows(union), 3))
    return (np.concatenate(parts) if parts else int_columns([], 3)), masks

"""Pareto: which few accounts make most of the revenue.

Revenue per account in the window comes from the sales roll-up in one aggregate query;
at the legal-entity level every account's revenue is added to the top of its hierarchy.
Ranking is one sort of one number per account; running totals come from
``itertools.accumulate``; the core set and the 50/80/90% marks are found walking the top
of the ranking only, and a row is built when it is shown (``ParetoRows``).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from itertools import accumulate

from keyplan.accounts.models import Account, AccountLineage
from keyplan.territory.analysis.facts import account_totals, money, raw_rows
from keyplan.territory.analysis.lazy import BuiltOnRead
from keyplan.territory.analysis.params import ParameterError, Scope, Window

LEVELS = ("account", "entity")
# What the ranking counts: every account in scope (those without revenue in the window
# ranked last, at 0), or only the accounts with revenue in the window. The revenue shares
# are the same; "the top 20% of accounts" and "N of M accounts make 80%" are not.
BASES = {
    "all": "all accounts in scope",
    "with_revenue": "accounts with revenue in the window",
}


@dataclass(slots=True)
class ParetoRow:
    rank: int
    account_id: int
    name: str
    external_id: str
    cents: int  # revenue in the window (100,000 rows: an int each, an amount when shown)
    share: float
    cumulative_share: float
    in_core: bool

    @property
    def revenue(self) -> Decimal:
        return money(self.cents)


class ParetoRows(BuiltOnRead):
    """The ranked accounts, each row built when asked for: 100,000 accounts, and a page
    shows fifty."""

    def __init__(self, order, amounts, running, names, total, core_count):
        self._order = order  # account ids, highest revenue first
        self._amounts = amounts  # cents, same order
        self._running = running  # cumulative cents, same order
        self._names = names  # id → (name, external id)
        self._total = total
        self._core_count = core_count

    def __len__(self) -> int:
        return len(self._order)

    def _item(self, i: int) -> ParetoRow:
        pk, amount, total = self._order[i], self._amounts[i], self._total
        name, ext = self._names[pk]
        return ParetoRow(
            i + 1,
            pk,
            name,
            ext,
            amount,
            amount / total if total else 0.0,
            self._running[i] / total if total else 0.0,
            i < self._core_count,
        )


@dataclass
class ParetoResult:
    window: Window
    scope: Scope
    level: str
    threshold: float
    total_revenue: Decimal
    accounts: int
    core_count: int
    top20_share: float
    accounts_for: dict[int, int]  # 50/80/90 → how many top accounts reach that share
    tied_at_threshold: bool
    basis: str = "all"
    without_revenue: int = 0  # accounts in scope without revenue in the window
    rows: Sequence[ParetoRow] = field(default_factory=list)

    @property
    def basis_label(self) -> str:
        return BASES[self.basis]

    def summary(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rows"}
        data["window"] = {"from": self.window.start.isoformat(), "to": self.window.end.isoformat()}
        data["scope"] = str(self.scope)
        data["accounts_for"] = dict(self.accounts_for)
        data["total_revenue"] = str(self.total_revenue)
        return data


def pareto(
    *,
    user,
    window: Window,
    scope: Scope | None = None,
    level: str = "account",
    threshold: float = 0.8,
    basis: str = "all",
) -> ParetoResult:
    scope = scope or Scope()
    if level not in LEVELS:
        raise ParameterError(f"Level “{level}” is not one of: account, entity.")
    if basis not in BASES:
        raise ParameterError(
            f"Basis “{basis}” is not one of: all (every account in scope), with_revenue "
            "(only accounts with revenue in the window)."
        )
    if not 0 < threshold <= 1:
        raise ParameterError("The threshold is a share between 0 and 1 (e.g. 0.8).")
    accounts = scope.accounts(user)
    everyone = scope.everything(user)
    if level == "entity":
        accounts = accounts.filter(parent__isnull=True)
    names = {
        pk: (name, ext or "")
        for pk, name, ext in raw_rows(accounts.order_by().values_list("pk", "name", "external_id"))
    }
    revenue: dict[int, int] = dict.fromkeys(names, 0)  # in cents
    if level == "account":
        for account_id, amount in account_totals(window, None if everyone else accounts).items():
            if account_id in revenue:
                revenue[account_id] = amount
    else:
        # Each account's revenue goes to the top of its hierarchy.
        tops = AccountLineage.objects.filter(ancestor_id__in=accounts.values("pk"))
        top_of = dict(raw_rows(tops.order_by().values_list("descendant_id", "ancestor_id")))
        below = None if everyone else Account.objects.filter(pk__in=tops.values("descendant_id"))
        for account_id, amount in account_totals(window, below).items():
            top = top_of.get(account_id)
            if top is not None:
                revenue[top] += amount
    return _rank(window, scope, level, threshold, names, revenue, basis)


def _rank(window, scope, level, threshold, names, revenue, basis="all") -> ParetoResult:
    """``revenue``: account id → cents. Whole cents keep the sums exact and fast."""
    without_revenue = sum(1 for cents in revenue.values() if cents == 0)
    if basis == "with_revenue":
        # Net revenue, so an account whose credit notes cancel its sales has none.
        revenue = {pk: cents for pk, cents in revenue.items() if cents != 0}
    # Highest revenue first; ties by name, then id, so a run is repeatable.
    order = sorted(revenue, key=lambda pk: (-revenue[pk], names[pk][0].casefold(), pk))
    total = sum(revenue.values())
    amounts = [revenue[pk] for pk in order]
    running = list(accumulate(amounts))
    # The core set: the top accounts up to the first whose running total reaches the
    # threshold (the first account always, when there is revenue).
    core_count = 0
    if total > 0:
        core_count = 1
        while core_count < len(running) and running[core_count - 1] / total < threshold:
            core_count += 1
    reach = {50: None, 80: None, 90: None}
    targets = [(pct, pct / 100 - 1e-12) for pct in reach]  # reached in this order
    if total:
        for rank, cumulative_cents in enumerate(running, start=1):
            cumulative = cumulative_cents / total
            while targets and cumulative >= targets[0][1]:
                reach[targets.pop(0)[0]] = rank
            if not targets:
                break
    n = len(order)
    top_n = max(1, round(n * 0.2)) if n else 0
    top20 = sum(revenue[pk] for pk in order[:top_n]) / total if total else 0.0
    tied = False
    if core_count and core_count < n:
        tied = revenue[order[core_count - 1]] == revenue[order[core_count]]
    return ParetoResult(
        window=window,
        scope=scope,
        level=level,
        threshold=threshold,
        total_revenue=money(total),
        accounts=n,
        core_count=core_count,
        top20_share=top20,
        accounts_for={k: (v or 0) for k, v in reach.items()},
        tied_at_threshold=tied,
        basis=basis,
        without_revenue=without_revenue,
        rows=ParetoRows(order, amounts, running, names, total, core_count),
    )

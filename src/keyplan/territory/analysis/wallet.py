"""Potential and share of wallet.

Potential = what an account could spend per year in our product lines: the latest
estimate someone entered (with its source), otherwise a peer benchmark — the top-quartile
revenue per employee (``QUARTILE``) among accounts of the same industry and size band
that buy from us, times the account's employees (falling back to the size band, then all
accounts, when fewer than ``MIN_PEERS`` peers buy). Share of wallet = annualised revenue
in the window / potential. The method is kept beside every figure.
"""

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from keyplan.accounts.models import Account
from keyplan.territory.analysis.bands import size_band_sql
from keyplan.territory.analysis.facts import account_totals, money, raw_rows
from keyplan.territory.analysis.params import Scope, Window

MIN_PEERS = 5
QUARTILE = 0.75
CENT = Decimal("0.01")
# What every figure needs of an account (first, in this order) and what a listed wallet
# also shows.
FIGURES = ("pk", "industry", "employees", "band")
SHOWN = ("name", "external_id", "owner_id")


@dataclass(slots=True)
class Wallet:
    account_id: int
    name: str
    external_id: str
    owner_id: int | None
    revenue: Decimal  # a year's worth, from the window
    potential: Decimal | None
    method: str
    share: float | None

    @property
    def untapped(self) -> Decimal | None:
        return None if self.potential is None else max(self.potential - self.revenue, Decimal(0))


@dataclass
class WalletFigures:
    """Every account's figures in whole cents, as columns (100,000 accounts: what
    ``keyplan analyze wallet`` sums and records, without an object per account)."""

    ids: np.ndarray
    revenue: np.ndarray  # a year's worth, in cents
    potential: np.ndarray  # in cents; meaningless where ``sized`` is false
    sized: np.ndarray  # has a potential (an estimate, or peers to benchmark against)

    @classmethod
    def of(cls, wallets: list[Wallet]) -> "WalletFigures":
        """The same columns from wallets already built (one read serves both)."""
        n = len(wallets)

        def column(values, dtype=np.int64):
            return np.fromiter(values, dtype=dtype, count=n)

        return cls(
            column(w.account_id for w in wallets),
            column(int(w.revenue.scaleb(2)) for w in wallets),
            column(0 if w.potential is None else int(w.potential.scaleb(2)) for w in wallets),
            column((w.potential is not None for w in wallets), dtype=bool),
        )

    @property
    def share(self) -> np.ndarray:
        """Revenue / potential (NaN where there is no potential, or it is zero)."""
        share = np.full(len(self.ids), np.nan)
        some = self.sized & (self.potential != 0)
        share[some] = self.revenue[some] / self.potential[some]  # correctly rounded
        return share

    def snapshot_rows(self, run_id: int) -> Iterator[tuple]:
        """(run, account, revenue, potential, share), amounts as exact decimal text."""
        columns = (self.ids, self.revenue, self.potential, self.sized, self.share)
        for pk, r, p, sized, share in zip(*(c.tolist() for c in columns), strict=True):
            potential = cents_text(p) if sized else None
            yield run_id, pk, cents_text(r), potential, None if share != share else share

    def known(self) -> tuple[int, int, int]:
        """(accounts with a potential other than zero, their revenue, their potential),
        in cents."""
        known = self.sized & (self.potential != 0)
        return int(known.sum()), int(self.revenue[known].sum()), int(self.potential[known].sum())


def cents_text(cents: int) -> str:
    """Whole cents as exact decimal text, as ``str(money(cents))`` writes it."""
    sign, (units, rest) = "-" if cents < 0 else "", divmod(abs(cents), 100)
    return f"{sign}{units}.{rest:02d}"


EXACT_BELOW = 1e11  # currency: below it, round(x, 2) × 100 is within 0.01 of its cents


def cents_of(x: float) -> int:
    """A float amount rounded to the cent as ``Decimal(x).quantize(CENT)`` rounds it (half
    to even on the float's exact value), in whole cents: ``round(x, 2)`` does that, and
    its result times 100 is then an integer to well within a cent; beyond a hundred
    billion, where it might not be, through ``Decimal``."""
    if -EXACT_BELOW < x < EXACT_BELOW:
        return round(round(x, 2) * 100)
    return int(Decimal(x).quantize(CENT).scaleb(2))


def _quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def _rates(rows: Iterable[tuple], sales: dict[int, int], window: Window) -> Callable:
    """The peer benchmark over ``rows`` (every account: a statistic, whoever is looking):
    ``rate(industry, band)`` → (top-quartile revenue per employee of the peers, the method's
    words up to the account's employee count) or None."""
    per_employee_group: dict[tuple, list[float]] = defaultdict(list)
    per_employee_band: dict[str, list[float]] = defaultdict(list)
    per_employee_all: list[float] = []
    yearly = float(window.annualise) / 100  # cents in the window → currency a year
    for row in rows:
        c, employees = sales.get(row[0]), row[2]
        if c and c > 0 and employees:
            x = c * yearly / employees
            per_employee_group[(row[1], row[3])].append(x)
            per_employee_band[row[3]].append(x)
            per_employee_all.append(x)
    benchmark: dict[tuple, tuple[float, str] | None] = {}

    def rate(industry: str, band: str) -> tuple[float, str] | None:
        key = (industry, band)
        if key not in benchmark:
            for values, label in (
                (per_employee_group.get(key, []), f"{industry or 'no industry'}, {band} employees"),
                (per_employee_band.get(band, []), f"any industry, {band} employees"),
                (per_employee_all, "all accounts"),
            ):
                if len(values) >= MIN_PEERS:
                    per_employee = _quantile(values, QUARTILE)
                    benchmark[key] = (
                        per_employee,
                        f"peer benchmark: top-quartile revenue per employee "
                        f"({per_employee:,.0f}) of {len(values)} peers: {label} × ",
                    )
                    break
            else:
                benchmark[key] = None
        return benchmark[key]

    return rate


def _estimates() -> dict[int, tuple[int, str]]:
    """Each account's latest potential estimate: (cents, the method's words)."""
    from keyplan.territory.models import PotentialEstimate

    latest = {}
    for account_id, amount, source, who, when in PotentialEstimate.objects.order_by(
        "account_id", "-entered_at", "-pk"
    ).values_list("account_id", "annual_amount", "source", "entered_by__username", "entered_at"):
        if account_id not in latest:
            words = f"estimate by {who or 'someone'} on {when:%Y-%m-%d}: {source}"
            latest[account_id] = (int(amount.scaleb(2)), words)
    return latest


UNKNOWN_PEERS = "unknown: too few peers buy from us"
UNKNOWN_SIZE = "unknown: no employee count and no estimate"


ESTIMATE, PEERS, NO_SIZE, NO_PEERS = range(4)  # how a potential was found (or not)


@dataclass
class _Columns:
    revenue: np.ndarray  # cents, a year's worth
    potential: np.ndarray  # cents, where ``how`` is ESTIMATE or PEERS
    how: np.ndarray
    group: np.ndarray  # each account's (industry, band) in ``rates``
    rates: list  # per group: (top-quartile revenue per employee, the method's words) or None


def _figures(rows: list[tuple], sales, estimates, rate, window: Window) -> _Columns:
    """Revenue, potential and how it was found for each account row (``FIGURES`` first),
    as columns.

    Money is whole cents: exact, as the amounts are. A peer potential is max(rate ×
    employees rounded to the cent (``cents_of``), revenue)."""
    n = len(rows)
    revenue = np.fromiter((sales.get(row[0]) or 0 for row in rows), dtype=np.int64, count=n)
    annualise = window.annualise
    if annualise != 1:
        revenue = np.array(
            [int((money(c) * annualise).quantize(CENT).scaleb(2)) for c in revenue.tolist()],
            dtype=np.int64,
        ).reshape(n)
    employees = np.fromiter((row[2] or 0 for row in rows), dtype=np.int64, count=n)
    groups: dict[tuple[str, str], int] = {}
    group = np.fromiter(
        (groups.setdefault((row[1], row[3]), len(groups)) for row in rows), dtype=np.int64, count=n
    )
    rates = [rate(industry, band) for industry, band in groups]
    per_employee = np.array([r[0] if r else np.nan for r in rates], dtype=np.float64)
    how = np.where(employees > 0, NO_PEERS, NO_SIZE)
    how[(employees > 0) & ~np.isnan(per_employee)[group]] = PEERS
    potential = np.zeros(n, dtype=np.int64)
    peers = np.flatnonzero(how == PEERS)
    amounts = (per_employee[group[peers]] * employees[peers]).tolist()
    potential[peers] = np.array([cents_of(x) for x in amounts], dtype=np.int64).reshape(-1)
    potential[peers] = np.maximum(potential[peers], revenue[peers])
    if estimates:
        for i, row in enumerate(rows):
            if row[0] in estimates:
                potential[i], how[i] = estimates[row[0]][0], ESTIMATE
    return _Columns(revenue, potential, how, group, rates)


def _accounts(columns, scope: Scope | None = None, user=None, *, by_name: bool = False):
    """Rows of ``columns`` (with the size band) of every account, or of those of ``scope``
    that ``user`` sees; by name (the database's collation), else in no particular order."""
    rows = Account.objects.all() if scope is None else scope.accounts(user)
    rows = rows.annotate(band=size_band_sql()).values_list(*columns)
    return raw_rows(rows.order_by("name", "pk") if by_name else rows.order_by())


def wallet_figures(*, user, window: Window, scope: Scope | None = None) -> WalletFigures:
    """Every account's figures in scope, in no particular order, as columns."""
    scope = scope or Scope()
    sales = account_totals(window)  # cents in the window, every account with sales
    every = list(_accounts(FIGURES))
    rows = every if scope.everything(user) else list(_accounts(FIGURES, scope, user))
    found = _figures(rows, sales, _estimates(), _rates(every, sales, window), window)
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    sized = (found.how == ESTIMATE) | (found.how == PEERS)
    return WalletFigures(ids, found.revenue, found.potential, sized)


def wallets(*, user, window: Window, scope: Scope | None = None) -> list[Wallet]:
    """Every account's wallet in scope, by name: what pages and the API show."""
    scope = scope or Scope()
    sales = account_totals(window)  # cents in the window, every account with sales
    columns = FIGURES + SHOWN
    if scope.everything(user):
        every = listed = list(_accounts(columns, by_name=True))
    else:
        every, listed = _accounts(FIGURES), list(_accounts(columns, scope, user, by_name=True))
    estimates = _estimates()
    found = _figures(listed, sales, estimates, _rates(every, sales, window), window)
    result = []
    for row, r, p, how, group in zip(
        listed,
        *(c.tolist() for c in (found.revenue, found.potential, found.how, found.group)),
        strict=True,
    ):
        pk, _industry, employees, _band, name, ext, owner_id = row
        if how == ESTIMATE:
            method = estimates[pk][1]
        elif how == PEERS:
            method = f"{found.rates[group][1]}{employees:,} employees"
        else:
            method, p = (UNKNOWN_SIZE if how == NO_SIZE else UNKNOWN_PEERS), None
        share = r / p if p else None
        result.append(
            Wallet(
                pk,
                name,
                ext or "",
                owner_id,
                money(r),
                None if p is None else money(p),
                method,
                share,
            )
        )
    return result

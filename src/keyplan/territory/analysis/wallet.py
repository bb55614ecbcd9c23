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

from keyplan.accounts.models import Account
from keyplan.territory.analysis.facts import account_totals, money, raw_rows
from keyplan.territory.analysis.params import Scope, Window
from keyplan.territory.analysis.whitespace import size_band_sql

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

    ids: list[int]
    revenue: list[int]  # a year's worth, in cents
    potential: list[int | None]  # in cents
    share: list[float | None]

    def snapshot_rows(self, run_id: int) -> Iterator[tuple]:
        """(run, account, revenue, potential, share), amounts as exact decimal text."""
        for pk, r, p, s in zip(self.ids, self.revenue, self.potential, self.share, strict=True):
            yield run_id, pk, cents_text(r), None if p is None else cents_text(p), s

    def known(self) -> tuple[int, int, int]:
        """(accounts with a potential, their revenue, their potential), in cents."""
        pairs = [(r, p) for r, p in zip(self.revenue, self.potential, strict=True) if p]
        return len(pairs), sum(r for r, _p in pairs), sum(p for _r, p in pairs)


def cents_text(cents: int) -> str:
    """Whole cents as exact decimal text, as ``str(money(cents))`` writes it."""
    sign, (units, rest) = "-" if cents < 0 else "", divmod(abs(cents), 100)
    return f"{sign}{units}.{rest:02d}"


def _quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def _rates(rows: Iterable[tuple], sales: dict[int, int], window: Window) -> Callable:
    """The peer benchmark over ``rows`` (every account: a statistic, whoever is looking):
    ``rate(industry, band)`` → (top-quartile revenue per employee of the peers, the method's
    words up to the account's employee count, as a 1-tuple) or None."""
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
    benchmark: dict[tuple, tuple[float, tuple[str]] | None] = {}

    def rate(industry: str, band: str) -> tuple[float, tuple[str]] | None:
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
                        (
                            f"peer benchmark: top-quartile revenue per employee "
                            f"({per_employee:,.0f}) of {len(values)} peers: {label} × ",
                        ),
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


def _figures(rows: Iterable[tuple], sales, estimates, rate, window: Window) -> Iterator[tuple]:
    """(row, revenue in cents, potential in cents or None, how) for each account row
    (``FIGURES`` first). ``how``: the method, or a 1-tuple of the peer method's words up to
    the employee count.

    Money is whole cents (ints): exact, as the amounts are. A peer potential is
    max(rate × employees rounded to the cent, revenue); ``round(x, 2)`` rounds the float's
    exact value half to even, as ``Decimal(x).quantize`` would."""
    annualise = window.annualise
    one_year = annualise == 1
    for row in rows:
        pk = row[0]
        c = sales.get(pk) or 0
        if c and not one_year:
            c = int((money(c) * annualise).quantize(CENT).scaleb(2))
        estimate = estimates.get(pk)
        if estimate is not None:
            yield row, c, estimate[0], estimate[1]
            continue
        employees = row[2]
        if not employees:
            yield row, c, None, UNKNOWN_SIZE
            continue
        found = rate(row[1], row[3])
        if found is None:
            yield row, c, None, UNKNOWN_PEERS
            continue
        yield row, c, max(round(round(found[0] * employees, 2) * 100), c), found[1]


def _share(revenue: int, potential: int | None) -> float | None:
    return float(Decimal(revenue) / potential) if potential else None


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
    rows = every if scope.everything(user) else _accounts(FIGURES, scope, user)
    rate = _rates(every, sales, window)
    ids, revenue, potential, share = [], [], [], []
    for row, r, p, _how in _figures(rows, sales, _estimates(), rate, window):
        ids.append(row[0])
        revenue.append(r)
        potential.append(p)
        share.append(_share(r, p))
    return WalletFigures(ids, revenue, potential, share)


def wallets(*, user, window: Window, scope: Scope | None = None) -> list[Wallet]:
    """Every account's wallet in scope, by name: what pages and the API show."""
    scope = scope or Scope()
    sales = account_totals(window)  # cents in the window, every account with sales
    columns = FIGURES + SHOWN
    if scope.everything(user):
        every = listed = list(_accounts(columns, by_name=True))
    else:
        every, listed = _accounts(FIGURES), _accounts(columns, scope, user, by_name=True)
    rate = _rates(every, sales, window)
    result = []
    for row, r, p, how in _figures(listed, sales, _estimates(), rate, window):
        pk, _industry, employees, _band, name, ext, owner_id = row
        method = how if isinstance(how, str) else f"{how[0]}{employees:,} employees"
        potential = None if p is None else money(p)
        share = _share(r, p)
        result.append(Wallet(pk, name, ext or "", owner_id, money(r), potential, method, share))
    return result

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
from dataclasses import dataclass
from decimal import Decimal

from keyplan.accounts.models import Account
from keyplan.territory.analysis.facts import account_totals, money, raw_rows
from keyplan.territory.analysis.params import Scope, Window
from keyplan.territory.analysis.whitespace import size_band_sql

MIN_PEERS = 5
QUARTILE = 0.75
CENT = Decimal("0.01")


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


def _quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def wallets(*, user, window: Window, scope: Scope | None = None) -> list[Wallet]:
    from keyplan.territory.models import PotentialEstimate

    scope = scope or Scope()
    annualise = window.annualise
    sales = account_totals(window)  # cents in the window, every account with sales
    columns = ("pk", "name", "external_id", "owner_id", "industry", "employees", "band")
    every = list(
        raw_rows(
            Account.objects.annotate(band=size_band_sql())
            .values_list(*columns)
            .order_by("name", "pk")
        )
    )
    # Peer benchmark over the whole territory (a statistic, whoever is looking).
    per_employee_group: dict[tuple, list[float]] = defaultdict(list)
    per_employee_band: dict[str, list[float]] = defaultdict(list)
    per_employee_all: list[float] = []
    yearly = float(annualise) / 100  # cents in the window → currency a year
    for pk, _name, _ext, _owner, industry, employees, band in every:
        c = sales.get(pk)
        if c and c > 0 and employees:
            x = c * yearly / employees
            per_employee_group[(industry, band)].append(x)
            per_employee_band[band].append(x)
            per_employee_all.append(x)
    benchmark: dict[tuple, tuple[float, str] | None] = {}

    def rate(industry: str, band: str) -> tuple[float, str] | None:
        """Top-quartile revenue per employee of the peers, and the method's words up to
        the account's own employee count."""
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

    estimates = {}
    for account_id, amount, source, who, when in PotentialEstimate.objects.order_by(
        "account_id", "-entered_at", "-pk"
    ).values_list("account_id", "annual_amount", "source", "entered_by__username", "entered_at"):
        estimates.setdefault(account_id, (amount, source, who, when))
    if scope.everything(user):
        listed = every
    else:
        listed = raw_rows(
            scope.accounts(user)
            .annotate(band=size_band_sql())
            .values_list(*columns)
            .order_by("name", "pk")
        )
    one_year = annualise == 1
    zero = Decimal("0.00")
    result = []
    for pk, name, ext, owner_id, industry, employees, band in listed:
        c = sales.get(pk)
        r = money(c) if c and one_year else (money(c) * annualise).quantize(CENT) if c else zero
        if pk in estimates:
            amount, source, who, when = estimates[pk]
            potential = amount
            method = f"estimate by {who or 'someone'} on {when:%Y-%m-%d}: {source}"
        elif employees:
            found = rate(industry, band)
            if found:
                per_employee, words = found
                potential = max(Decimal(per_employee * employees), r).quantize(CENT)
                method = f"{words}{employees:,} employees"
            else:
                potential, method = None, "unknown: too few peers buy from us"
        else:
            potential, method = None, "unknown: no employee count and no estimate"
        share = float(r / potential) if potential else None
        result.append(Wallet(pk, name, ext or "", owner_id, r, potential, method, share))
    return result

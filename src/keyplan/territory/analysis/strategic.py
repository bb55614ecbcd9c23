"""Strategic and aspirational accounts.

Strategic: for each rep, up to ``per_rep`` of their tier-A accounts, those with the most
potential first (then revenue) — suggestions a manager confirms or declines.
Aspirational: accounts whose untapped potential (potential − revenue) is at least
``factor`` × the average annual revenue of an account that buys from us, largest first.
"""

from dataclasses import dataclass
from decimal import Decimal

from keyplan.territory.analysis.params import Scope, Window
from keyplan.territory.analysis.wallet import Wallet, wallets


@dataclass
class Aspirational:
    wallet: Wallet
    average_revenue: Decimal
    factor: float

    @property
    def multiple(self) -> float:
        return float(self.wallet.untapped / self.average_revenue) if self.average_revenue else 0


def average_revenue(items: list[Wallet]) -> Decimal:
    buying = [w.revenue for w in items if w.revenue > 0]
    return (
        (sum(buying, Decimal(0)) / len(buying)).quantize(Decimal("0.01")) if buying else Decimal(0)
    )


def aspirational(
    *, user, window: Window, scope: Scope | None = None, factor: float = 10.0
) -> list[Aspirational]:
    everyone = wallets(user=None, window=window)
    average = average_revenue(everyone)
    visible = (
        {w.account_id for w in wallets(user=user, window=window, scope=scope)}
        if user is not None or scope
        else None
    )
    bar = average * Decimal(str(factor))
    found = [
        Aspirational(w, average, factor)
        for w in everyone
        if w.untapped is not None
        and average > 0
        and w.untapped >= bar
        and (visible is None or w.account_id in visible)
    ]
    return sorted(found, key=lambda a: (-a.wallet.untapped, a.wallet.name))


def strategic_candidates(*, window: Window, per_rep: int = 5) -> dict[int, list[Wallet]]:
    """Rep id → their tier-A accounts with the most potential, at most ``per_rep``."""
    from keyplan.territory.models import AccountTier

    tier_a = set(AccountTier.objects.filter(tier="A").values_list("account_id", flat=True))
    by_rep: dict[int, list[Wallet]] = {}
    for w in wallets(user=None, window=window):
        if w.account_id in tier_a and w.owner_id:
            by_rep.setdefault(w.owner_id, []).append(w)
    return {
        rep: sorted(items, key=lambda w: (-(w.potential or 0), -w.revenue, w.name))[:per_rep]
        for rep, items in by_rep.items()
    }

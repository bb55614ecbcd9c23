"""Distributing a quota over accounts: pure arithmetic, no database.

The target is the quota times the stretch factor, rounded to whole currency units (half
up). Each account gets a share of the target in proportion to its basis (last period's
revenue, its forecast, its headroom, its tier's weight); shares are rounded to whole
units and what rounding leaves over (a few units at most) goes to the account with the
largest basis, so the goals add up to the target exactly. A basis at or below zero (no
sales, or more credit notes than sales) earns no share: a goal is never negative."""

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal

ONE = Decimal(1)


class NothingToDistribute(ValueError):
    """No account has a positive basis: the proportions are undefined."""


def whole(value: Decimal) -> Decimal:
    return Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)


def target(quota: Decimal, stretch: Decimal) -> Decimal:
    """The quota times the stretch, in whole currency units."""
    return whole(Decimal(quota) * Decimal(stretch))


def allocate(
    *, quota: Decimal, stretch: Decimal, basis: Mapping[Hashable, Decimal]
) -> dict[Hashable, Decimal]:
    """Goals per key (whole units, adding up to ``target(quota, stretch)``), in proportion
    to ``basis``. Raises NothingToDistribute when no basis is above zero and ValueError
    for a negative quota or a stretch outside 0.5-3."""
    quota, stretch = Decimal(quota), Decimal(stretch)
    if quota < 0:
        raise ValueError("A quota cannot be negative.")
    if not Decimal("0.5") <= stretch <= Decimal(3):
        raise ValueError(f"A stretch factor of {stretch} is outside 0.5 to 3.")
    total = target(quota, stretch)
    weights = {key: max(Decimal(value or 0), Decimal(0)) for key, value in basis.items()}
    weight_sum = sum(weights.values(), Decimal(0))
    if weight_sum <= 0:
        raise NothingToDistribute(
            "None of the accounts has anything on this basis to share the quota by."
        )
    goals = {key: whole(total * w / weight_sum) for key, w in weights.items()}
    rest = total - sum(goals.values(), Decimal(0))
    if rest:
        # The largest basis absorbs the rounding (the first such key on a tie, so the
        # result does not depend on anything but the input's order).
        largest = max(weights, key=lambda key: weights[key])
        goals[largest] += rest
    return goals

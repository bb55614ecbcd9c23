"""Distributing a quota over accounts: hand-computed figures."""

from decimal import Decimal

import pytest

from keyplan.salesplan.allocation import NothingToDistribute, allocate, target

D = Decimal


def test_quota_shared_by_last_period_revenue_with_stretch():
    goals = allocate(
        quota=D(1_000_000),
        stretch=D("1.1"),
        basis={"a": D(500_000), "b": D(300_000), "c": D(200_000)},
    )
    assert goals == {"a": D(550_000), "b": D(330_000), "c": D(220_000)}


def test_rounding_remainder_goes_to_the_largest_so_the_sum_is_exact():
    # 1,000,000 / 3 = 333,333.33 each → 333,333 each, 1 left over for the largest basis.
    goals = allocate(quota=D(1_000_000), stretch=D(1), basis={"a": D(10), "b": D(30), "c": D(20)})
    # 1,000,000 × 10/60 = 166,666.67 → 166,667; ×30/60 = 500,000; ×20/60 = 333,333.33 → 333,333
    assert goals == {"a": D(166_667), "b": D(500_000), "c": D(333_333)}
    assert sum(goals.values()) == D(1_000_000)
    equal = allocate(quota=D(1_000_000), stretch=D(1), basis={"x": D(1), "y": D(1), "z": D(1)})
    assert sorted(equal.values()) == [D(333_333), D(333_333), D(333_334)]
    assert equal["x"] == D(333_334)  # the first of equal largest takes the remainder


def test_target_is_quota_times_stretch_in_whole_units():
    assert target(D("999999.99"), D("1.15")) == D(1_150_000)  # 1,149,999.9885 → 1,150,000
    goals = allocate(quota=D(1_234_567), stretch=D("1.07"), basis={"a": D(7), "b": D(3)})
    assert sum(goals.values()) == target(D(1_234_567), D("1.07")) == D(1_320_987)
    assert all(v == v.to_integral() for v in goals.values())


def test_accounts_with_zero_or_negative_basis_get_no_share():
    # A credit note left one account with negative revenue: it earns no share, and the
    # others share the whole target between them.
    goals = allocate(
        quota=D(600_000),
        stretch=D(1),
        basis={"a": D(200_000), "b": D(0), "c": D(-50_000), "d": D(100_000)},
    )
    assert goals == {"a": D(400_000), "b": D(0), "c": D(0), "d": D(200_000)}


def test_nothing_to_share_by_is_said_not_divided_by_zero():
    with pytest.raises(NothingToDistribute, match="None of the accounts"):
        allocate(quota=D(100), stretch=D(1), basis={"a": D(0), "b": D(-5)})
    with pytest.raises(ValueError, match="outside 0.5 to 3"):
        allocate(quota=D(100), stretch=D(10), basis={"a": D(1)})
    with pytest.raises(ValueError, match="cannot be negative"):
        allocate(quota=D(-1), stretch=D(1), basis={"a": D(1)})

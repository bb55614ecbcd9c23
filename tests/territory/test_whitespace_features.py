"""White-space features on hand-computed cases (no database): co-purchase, lapse, peer
rates shrunk toward the territory's, and the edge cases — an account with one sale, a new
product nobody owns, an empty territory."""

import numpy as np
import pytest

from keyplan.territory.analysis.propensity import fit, score
from keyplan.territory.analysis.propensity_features import (
    FEATURES,
    NEVER,
    SHRINK,
    History,
    features,
    rates,
    snapshot,
    training_cutoffs,
)

ITEMS = [(1, "Backup", "Cloud"), (2, "Vault", "Cloud"), (3, "Insight", "Analytics")]


def history(sales, accounts=4, industry=None, employees=None):
    """``sales``: (account position, item position, month index, cents)."""
    rows = np.array(sales, dtype=np.int64).reshape(-1, 4)
    order = np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))
    rows = rows[order]
    return History(
        items=ITEMS,
        account_ids=np.arange(1, accounts + 1, dtype=np.int64),
        industry=np.array(industry or [0] * accounts, dtype=np.int64),
        industries=["Energy", "Retail"],
        band=np.zeros(accounts, dtype=np.int64),
        employees=np.array(employees or [np.nan] * accounts, dtype=float),
        tier=np.zeros(accounts, dtype=np.int64),
        account=rows[:, 0],
        item=rows[:, 1],
        month=rows[:, 2],
        cents=rows[:, 3],
        last_month=int(rows[:, 2].max()) if len(rows) else -1,
    )


def column(cells, name):
    return cells.X[:, FEATURES.index(name)]


def test_co_purchase_and_lapse_by_hand():
    # Cut-off at month 24. Accounts 0 and 1 own Backup in the year before; of them,
    # account 0 adopts Vault in the horizon. Account 2 owns nothing then and adopts
    # nothing. Account 3 bought Vault in month 5 (lapsed) and Backup in month 20.
    h = history(
        [
            (0, 0, 15, 100),
            (1, 0, 18, 100),
            (0, 1, 26, 500),
            (2, 2, 2, 50),
            (3, 1, 5, 70),
            (3, 0, 20, 90),
        ],
        employees=[50, np.nan, 2000, np.nan],
    )
    s = snapshot(h, 24, 12)
    r = rates(h, s)
    # Vault: white for all four accounts, one adopted: (1 + 1) / (4 + 2).
    assert r.item[1] == pytest.approx(2 / 6)
    # Owners of Backup (accounts 0, 1, 3) → Vault adopted by 1 of 3 white cells, shrunk
    # toward the territory's rate with SHRINK pseudo-cells.
    assert r.co[0, 1] == pytest.approx((1 + SHRINK * 2 / 6) / (3 + SHRINK))
    cells = features(h, s, r)
    at = {
        (int(a), int(i)): k for k, (a, i) in enumerate(zip(cells.account, cells.item, strict=True))
    }
    vault_3 = at[(3, 1)]
    assert column(cells, "lapsed")[vault_3] == 1.0
    assert column(cells, "months_since_item")[vault_3] == 24 - 5
    assert cells.co_item[vault_3] == 0  # Backup, which account 3 buys
    insight_0 = at[(0, 2)]
    assert column(cells, "lapsed")[insight_0] == 0.0
    assert column(cells, "months_since_item")[insight_0] == NEVER
    # Account 2 owns nothing in the year before the cut-off: no co-purchase to lean on.
    assert cells.co_item[at[(2, 1)]] == -1
    assert column(cells, "co_rate")[at[(2, 1)]] == 0.0
    # Missing employee counts stay missing (their own value), not the smallest band.
    employees = column(cells, "log_employees")
    assert np.isnan(employees[cells.account == 1]).all()
    assert employees[at[(0, 2)]] == pytest.approx(np.log1p(50))


def test_training_cutoffs_are_whole_years_back_with_a_year_before_them():
    assert training_cutoffs(48, 12, 0) == [36, 24, 12]
    assert training_cutoffs(48, 3, 0) == [36, 24, 12]
    assert training_cutoffs(48, 18, 0) == [24, 12]
    assert training_cutoffs(24, 12, 0) == [12]
    assert training_cutoffs(20, 12, 0) == []


def _check(h, at):
    model = fit(h, at, 12)
    scored = score(h, model, at)
    assert len(scored.probability) == len(scored.cells.account)
    assert ((scored.probability >= 0) & (scored.probability <= 1)).all()
    assert (scored.value >= 0).all() and np.isfinite(scored.value).all()
    return scored


def test_empty_territory_scores_nothing():
    scored = _check(history([], accounts=0), 36)
    assert len(scored.probability) == 0


def test_an_account_with_one_sale_and_a_product_nobody_owns():
    # One account, one sale two years ago; Insight has never been sold.
    h = history([(0, 0, 10, 1000)], accounts=1)
    scored = _check(h, 36)
    assert sorted(scored.cells.item.tolist()) == [0, 1, 2]  # all white space today
    assert scored.probability.sum() == 0  # nothing was ever adopted: nothing predicted


@pytest.mark.parametrize("seed", range(4))
def test_random_small_territories_give_probabilities(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    sales = [
        (int(rng.integers(0, 8)), int(rng.integers(0, 3)), int(rng.integers(0, 48)), 100)
        for _ in range(n)
    ]
    _check(history(sales, accounts=8, industry=[0, 1] * 4), 48)


def test_how_a_lapsed_item_was_bought_by_hand():
    """A lapsed item's spell, the same at any cut-off: months bought (up to 12), how
    regularly between the first and last purchase, and other products of its line still
    bought. Cut-off at month 36."""
    h = history(
        # Account 0: Vault every month 0-19 (20 months), then stopped; still buys Backup
        # (the same line, Cloud) in month 30.
        [(0, 1, m, 100) for m in range(20)]
        + [(0, 0, 30, 100)]
        # Account 1: Vault in months 10, 13 and 16 (3 of the 7 months 10-16); nothing since.
        + [(1, 1, 10, 100), (1, 1, 13, 100), (1, 1, 16, 100)]
    )
    cells = features(h, snapshot(h, 36, 12), rates(h, snapshot(h, 36, 12)))
    at = {
        (int(a), int(i)): k for k, (a, i) in enumerate(zip(cells.account, cells.item, strict=True))
    }
    steady, sparse, never = at[(0, 1)], at[(1, 1)], at[(0, 2)]
    assert column(cells, "months_bought")[[steady, sparse, never]].tolist() == [12.0, 3.0, 0.0]
    assert column(cells, "regularity")[[steady, sparse, never]].tolist() == [1.0, 3 / 7, 0.0]
    # Account 0 left Vault but still buys Backup (Cloud); account 1 buys nothing of Cloud.
    assert column(cells, "line_owned")[[steady, sparse]].tolist() == [1.0, 0.0]
    assert column(cells, "line_owned")[at[(0, 2)]] == 0.0  # Analytics: nothing of it

"""An account the white-space model did not score (created since it learned, or without
white space) has no cells: its totals are nothing and the best cells of a scope holding it
are only its scored accounts' — never the next account's in id order, which may be one
the reader may not see."""

import datetime

import numpy as np

from keyplan.territory.analysis.propensity_report import Prediction, predicted_cells


def scored(account_ids, cells):
    """A prediction over ``account_ids`` with ``cells`` as (account id, probability, value)."""
    positions = {a: i for i, a in enumerate(account_ids)}
    n = len(cells)
    zeros = np.zeros(n)
    return Prediction(
        by="product",
        horizon=12,
        as_of=datetime.date(2026, 11, 1),
        items=[(7, "Cloud Backup", "Cloud")],
        industries=["Retail"],
        account_ids=np.array(account_ids, dtype=np.int64),
        account=np.array([positions[a] for a, _, _ in cells], dtype=np.int64),
        item=np.zeros(n, dtype=np.int64),
        probability=np.array([p for _, p, _ in cells]),
        value=np.array([v for _, _, v in cells]),
        peer_rate=zeros,
        co_item=np.full(n, -1),
        co_rate=zeros,
        item_rate=zeros,
        last=np.full(n, -1),
        industry=np.zeros(len(account_ids), dtype=np.int64),
        band=np.zeros(len(account_ids), dtype=np.int64),
        training_cells=100,
        training_bought=10,
    )


def test_an_unscored_account_has_no_cells_and_borrows_none():
    # Accounts 10 and 30 were scored; 20 (the rep's new account) and 40 were not.
    prediction = scored([10, 30], [(10, 0.5, 1000.0), (30, 0.25, 4000.0)])
    assert prediction.totals([20]) == {"purchases": 0.0, "value": 0.0}
    assert prediction.totals([40]) == {"purchases": 0.0, "value": 0.0}
    assert prediction.totals([10, 20]) == {"purchases": 0.5, "value": 1000.0}
    assert predicted_cells(prediction, accounts=[20]) == []
    best = predicted_cells(prediction, accounts=[10, 20])
    assert [cell[0] for cell in best] == [10]  # account 30's cell is not the rep's

"""The reason beside a white-space probability, as a rep reads it: what the account
itself did comes first, the peers' rate last."""

import datetime

import numpy as np

from keyplan.territory.analysis.propensity_features import BAND_NAMES
from keyplan.territory.analysis.propensity_report import Prediction


def prediction(*, last, co_item, co_rate=0.3, item_rate=0.05, peer_rate=0.02, horizon=12):
    """One account (Technology, 1,000–9,999 employees) with one white-space cell,
    "Cloud Network"; it buys "Cloud Storage"."""
    band = BAND_NAMES.index("1,000–9,999")
    return Prediction(
        by="product",
        horizon=horizon,
        as_of=datetime.date(2026, 11, 1),
        items=[(1, "Cloud Network", "Cloud"), (2, "Cloud Storage", "Cloud")],
        industries=["Technology"],
        account_ids=np.array([7]),
        account=np.array([0]),
        item=np.array([0]),
        probability=np.array([0.28]),
        value=np.array([29290.0]),
        peer_rate=np.array([peer_rate]),
        co_item=np.array([co_item]),
        co_rate=np.array([co_rate]),
        item_rate=np.array([item_rate]),
        last=np.array([last]),
        industry=np.array([0]),
        band=np.array([band]),
        training_cells=100,
        training_bought=5,
    )


def test_a_lapsed_buyer_is_explained_by_its_own_purchases_first():
    """28% for an account that bought the item until March, while 2% of its peers took
    it up: the reason must not open with the 2%."""
    march_2025 = 2025 * 12 + 2
    why = prediction(last=march_2025, co_item=1).explain(0)
    assert why == (
        "They bought it until 2025-03; often bought with Cloud Storage, which they buy; "
        "bought within a year by 2% of similar accounts (Technology, 1,000–9,999 employees) "
        "that did not have it."
    )


def test_a_co_purchase_comes_before_the_peers_rate():
    why = prediction(last=-1, co_item=1, horizon=6).explain(0)
    assert why.startswith("Often bought with Cloud Storage, which they buy; bought within 6")


def test_without_history_or_co_purchase_the_peers_rate_is_the_reason():
    why = prediction(last=-1, co_item=-1).explain(0)
    assert why == (
        "Bought within a year by 2% of similar accounts (Technology, 1,000–9,999 employees) "
        "that did not have it."
    )

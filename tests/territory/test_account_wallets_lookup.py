"""An account page or plan reads its potential and share of wallet from a small cached
bucket, with the same figures as the whole territory's result, and follows new
estimates."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest

from keyplan.territory import views
from keyplan.territory.analysis.params import Window
from keyplan.territory.services import potential_estimate_add
from tests.factories import AccountFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db

WINDOW = Window(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def test_same_figures_read_from_buckets_and_new_estimates_count():
    accounts = []
    for i in range(1, 6):
        a = AccountFactory(name=f"Peer {i}", industry="Energy", employees=100)
        SaleLineFactory(account=a, date=datetime.date(2025, 6, 1), amount=Decimal(100 * i))
        accounts.append(a)
    ids = [a.pk for a in accounts]
    whole = views.territory_wallets(WINDOW)
    first = views.account_wallets(ids[:2], WINDOW)
    assert {pk: (w.potential, w.share) for pk, w in first.items()} == {
        pk: (whole[pk].potential, whole[pk].share) for pk in ids[:2]
    }
    with mock.patch.object(views, "territory_wallets", side_effect=AssertionError("recomputed")):
        again = views.account_wallets(ids[:2], WINDOW)  # answered from the cached bucket
    assert again.keys() == first.keys()

    potential_estimate_add(
        account=accounts[0],
        user=UserFactory(username="ops", role="sales_ops"),
        annual_amount=Decimal("9000"),
        source="Customer's budget letter",
    )
    assert views.account_wallets([ids[0]], WINDOW)[ids[0]].potential == Decimal("9000")

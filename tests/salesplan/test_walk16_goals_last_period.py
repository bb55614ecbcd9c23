"""The account goals page's "last period" column is a sum of last year's sales: written to
the unit, as the territory plan's facts and the roll-ups write computed amounts, beside
whole goals and quotas (walk16: "728,098.60 USD" beside "1,014,992")."""

import datetime
from decimal import Decimal

import pytest

from keyplan.salesplan.periods import Period
from keyplan.salesplan.services import quota_save
from tests.factories import AccountFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


def test_last_period_revenue_is_written_to_the_unit(client, org):
    quota, _ = quota_save(
        user=org.ops, level="rep", rep=org.rep, period=Period(2026), amount=1_000_000
    )
    alpha = AccountFactory(name="Alpha", owner=org.rep)
    for day, amount in (
        (datetime.date(2025, 3, 1), "728,000.35"),
        (datetime.date(2025, 6, 1), "98.25"),
    ):
        SaleLineFactory(account=alpha, date=day, amount=Decimal(amount.replace(",", "")))
    client.force_login(org.rep)
    page = " ".join(client.get(f"/quotas/{quota.pk}/goals/").content.decode().split())
    page = page.replace("\u00a0", " ")
    assert "728,099 USD" in page
    assert "728,098.60" not in page

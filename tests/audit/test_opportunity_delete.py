"""Deleting an opportunity through the API puts it in the recycle bin: its won amount
leaves the roll-up, and comes back with it."""

import datetime
from decimal import Decimal

import pytest

from keyplan.audit.bin import restore
from keyplan.audit.models import DeletedRecord
from keyplan.sales.models import SalesMonth
from tests.factories import OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_a_deleted_won_deal_leaves_the_rollup_and_comes_back(org, loading_client):
    deal = OpportunityFactory(
        account=org.mine,
        product=ProductFactory(),
        name="Big win",
        amount=Decimal(5000),
        stage="Closed Won",
        probability=100,
        created_date=datetime.date(2025, 1, 1),
        close_date=datetime.date(2025, 3, 1),
    )
    from keyplan.sales.rollup import rollup_refresh

    rollup_refresh(account_ids=[org.mine.pk])
    assert SalesMonth.objects.filter(account=org.mine).count() == 1

    loading_client.force_authenticate(org.rep)
    assert loading_client.delete(f"/api/v1/opportunities/{deal.pk}/").status_code == 204
    assert not SalesMonth.objects.filter(account=org.mine).exists()
    record = DeletedRecord.objects.get()
    assert (record.object_type, record.object_label, record.deleted_by) == (
        "Opportunity",
        str(deal),
        org.rep,
    )

    restore(record=record, user=org.rep)
    assert loading_client.get(f"/api/v1/opportunities/{deal.pk}/").json()["name"] == "Big win"
    assert SalesMonth.objects.get(account=org.mine).amount == Decimal(5000)

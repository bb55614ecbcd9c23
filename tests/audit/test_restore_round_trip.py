"""Deleting an account keeps a restorable copy: everything that went with it comes back,
and the sales roll-up (what every analysis reads) follows."""

import datetime
from decimal import Decimal

import pytest

from keyplan.audit.models import AuditEvent, DeletedRecord
from keyplan.sales.models import SalesMonth
from tests.conftest import login
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
    ProductFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db


def rollup(account):
    return sorted(
        (r.product_id, r.month.isoformat(), r.amount)
        for r in SalesMonth.objects.filter(account=account)
    )


@pytest.fixture
def full_account(org):
    account = org.teammate
    product = ProductFactory()
    boss = ContactFactory(account=account, first_name="Bea", last_name="Boss")
    ContactFactory(account=account, first_name="Rudi", last_name="Report", reports_to=boss)
    InteractionFactory(account=account)
    SaleLineFactory(account=account, product=product, date=datetime.date(2025, 5, 2), amount=100)
    SaleLineFactory(account=account, product=product, date=datetime.date(2025, 6, 2), amount=40)
    OpportunityFactory(
        account=account,
        product=product,
        amount=Decimal(900),
        stage="Closed Won",
        probability=100,
        created_date=datetime.date(2025, 1, 1),
        close_date=datetime.date(2025, 7, 1),
    )
    return account


def test_api_delete_goes_to_the_bin_and_restore_brings_everything_back(
    org, full_account, loading_client, client
):
    before = rollup(full_account)
    assert before, "the roll-up holds the account's sales before the delete"
    api = loading_client
    api.force_authenticate(org.ops)
    preview = api.get(f"/api/v1/accounts/{full_account.pk}/deletion/").json()
    assert "2 contacts" in preview["goes_with_it"]
    assert "2 sale lines" in preview["goes_with_it"]
    assert "1 opportunity" in preview["goes_with_it"]
    assert preview["refusal"] is None

    assert api.delete(f"/api/v1/accounts/{full_account.pk}/").status_code == 204

    assert api.get(f"/api/v1/accounts/{full_account.pk}/").status_code == 404
    assert api.get(f"/api/v1/contacts/?account={full_account.pk}").json()["count"] == 0
    assert api.get("/api/v1/sale-lines/").json()["count"] == 0
    assert rollup(full_account) == []
    event = AuditEvent.objects.get(action="deleted")
    assert event.user == org.ops and event.object_label == "Teammate Corp"
    assert "2 contacts" in event.summary

    web = login(client, org.ops)
    page = web.get("/recycle-bin/")
    assert "Teammate Corp" in page.content.decode()
    record = DeletedRecord.objects.get()
    response = web.post(f"/recycle-bin/{record.pk}/restore/", follow=True)
    assert "Teammate Corp was restored" in response.content.decode()

    assert api.get(f"/api/v1/accounts/{full_account.pk}/").json()["name"] == "Teammate Corp"
    contacts = api.get(f"/api/v1/contacts/?account={full_account.pk}").json()["results"]
    assert sorted(c["last_name"] for c in contacts) == ["Boss", "Report"]
    assert api.get("/api/v1/sale-lines/").json()["count"] == 2
    assert api.get("/api/v1/opportunities/").json()["count"] == 1
    assert rollup(full_account) == before
    assert AuditEvent.objects.filter(action="restored", user=org.ops).exists()
    assert not DeletedRecord.objects.exists()

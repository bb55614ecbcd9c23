"""Writes through the API: field-level errors that change nothing, references limited
to what the user may see, the same rules as the pages."""

import datetime
from decimal import Decimal

import pytest

from keyplan.accounts.models import Account, AccountLineage, Contact
from keyplan.sales.models import SalesMonth
from tests.factories import ContactFactory, OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_rep_creates_an_account_they_own_and_see(api_client, org):
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        "/api/v1/accounts/", {"name": "Newco", "parent": org.mine.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    newco = Account.objects.get(name="Newco")
    assert newco.owner == org.rep and newco.depth == 1
    assert AccountLineage.objects.filter(ancestor=org.mine, descendant=newco).exists()
    assert api_client.get(f"/api/v1/accounts/{newco.pk}/").status_code == 200


def test_invalid_account_gets_field_errors_and_nothing_changes(api_client, org):
    api_client.force_authenticate(org.rep)
    response = api_client.patch(
        f"/api/v1/accounts/{org.mine.pk}/",
        {"name": "", "employees": -3, "website": "nope"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"name", "employees", "website"}
    org.mine.refresh_from_db()
    assert org.mine.name == "Mine Group"


def test_parent_cycle_is_refused(api_client, org):
    api_client.force_authenticate(org.rep)
    response = api_client.patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"parent": org.mine_child.pk}, format="json"
    )
    assert response.status_code == 400 and "cycle" in str(response.json()["parent"])
    org.mine.refresh_from_db()
    assert org.mine.parent is None


def test_invisible_parent_is_the_same_as_a_missing_one(api_client, org):
    api_client.force_authenticate(org.rep)
    hidden = api_client.patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"parent": org.theirs.pk}, format="json"
    )
    missing = api_client.patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"parent": 987654}, format="json"
    )
    assert hidden.status_code == missing.status_code == 400
    assert "does not exist" in str(hidden.json()["parent"])


def test_rep_cannot_hand_an_account_to_someone_else(api_client, org):
    api_client.force_authenticate(org.rep)
    response = api_client.patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"owner": org.other.pk}, format="json"
    )
    assert response.status_code == 403
    org.mine.refresh_from_db()
    assert org.mine.owner == org.rep


def test_contact_on_an_invisible_account_is_refused(api_client, org):
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        "/api/v1/contacts/", {"account": org.theirs.pk, "last_name": "Spy"}, format="json"
    )
    assert response.status_code == 400 and "account" in response.json()
    assert not Contact.objects.filter(last_name="Spy").exists()


def test_reporting_line_must_stay_at_the_account_and_never_loop(api_client, org):
    boss = ContactFactory(account=org.mine)
    report = ContactFactory(account=org.mine, reports_to=boss)
    other = ContactFactory(account=org.mine_child)
    api_client.force_authenticate(org.rep)
    loop = api_client.patch(
        f"/api/v1/contacts/{boss.pk}/", {"reports_to": report.pk}, format="json"
    )
    assert loop.status_code == 400 and "cycle" in str(loop.json())
    elsewhere = api_client.patch(
        f"/api/v1/contacts/{boss.pk}/", {"reports_to": other.pk}, format="json"
    )
    assert elsewhere.status_code == 400 and "same account" in str(elsewhere.json())


def test_interaction_contacts_must_work_at_its_account(api_client, org):
    stranger = ContactFactory(account=org.mine_child)
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        "/api/v1/interactions/",
        {"account": org.mine.pk, "kind": "call", "date": "2026-01-02", "contacts": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400 and "contacts" in response.json()


def test_won_opportunity_through_the_api_updates_the_sales_rollup(api_client, org):
    product = ProductFactory()
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        "/api/v1/opportunities/",
        {
            "account": org.mine.pk,
            "product": product.pk,
            "name": "Big win",
            "stage": "Closed Won",
            "status": "won",
            "amount": "5000.00",
            "probability": 100,
            "created_date": "2026-01-01",
            "close_date": "2026-02-10",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    cell = SalesMonth.objects.get(account=org.mine)
    assert cell.month == datetime.date(2026, 2, 1) and cell.amount == Decimal(5000)


def test_stage_and_status_must_agree_and_dates_in_order(api_client, org):
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        "/api/v1/opportunities/",
        {
            "account": org.mine.pk,
            "name": "Odd",
            "stage": "Closed Lost",
            "status": "won",
            "amount": "1",
            "created_date": "2026-03-01",
            "close_date": "2026-02-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "close_date" in response.json()


def test_sale_line_writes_refresh_the_rollup(api_client, org):
    product = ProductFactory()
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        "/api/v1/sale-lines/",
        {
            "account": org.mine.pk,
            "product": product.pk,
            "date": "2026-05-05",
            "amount": "120.50",
            "quantity": "1",
        },
        format="json",
    )
    assert response.status_code == 201
    line_id = response.json()["id"]
    assert SalesMonth.objects.get(account=org.mine).amount == Decimal("120.50")
    api_client.delete(f"/api/v1/sale-lines/{line_id}/")
    assert not SalesMonth.objects.filter(account=org.mine).exists()


def test_only_sales_ops_change_the_catalogue(api_client, org):
    product = ProductFactory()
    api_client.force_authenticate(org.rep)
    assert api_client.get("/api/v1/products/").status_code == 200
    assert (
        api_client.patch(
            f"/api/v1/products/{product.pk}/", {"name": "X"}, format="json"
        ).status_code
        == 403
    )
    api_client.force_authenticate(org.ops)
    assert (
        api_client.patch(
            f"/api/v1/products/{product.pk}/", {"name": "X"}, format="json"
        ).status_code
        == 200
    )


def test_deleting_accounts_is_for_sales_ops_and_never_orphans(api_client, org):
    OpportunityFactory(account=org.mine)
    api_client.force_authenticate(org.rep)
    assert api_client.delete(f"/api/v1/accounts/{org.mine_child.pk}/").status_code == 403
    api_client.force_authenticate(org.ops)
    response = api_client.delete(f"/api/v1/accounts/{org.mine.pk}/")
    assert response.status_code == 400 and "under it" in response.json()["detail"]
    assert Account.objects.filter(pk=org.mine.pk).exists()

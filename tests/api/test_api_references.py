"""A write may only point at records the user can see: an invisible account, contact or
opportunity is refused exactly like one that does not exist, and nothing is written."""

import pytest

from keyplan.accounts.models import Account, Contact, Interaction
from keyplan.sales.models import Opportunity, SaleLine
from tests.factories import ContactFactory, OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db

MISSING = 987654321


def refused_like_a_missing_id(client, method, url, payload, field, hidden_id):
    hidden = getattr(client, method)(url, {**payload, field: hidden_id}, format="json")
    missing = getattr(client, method)(url, {**payload, field: MISSING}, format="json")
    assert hidden.status_code == missing.status_code == 400
    message = str(hidden.json()[field])
    assert "does not exist" in message
    assert message == str(missing.json()[field]).replace(str(MISSING), str(hidden_id))


def test_account_parent_must_be_visible(as_user, org):
    client = as_user(org.rep)
    refused_like_a_missing_id(
        client, "post", "/api/v1/accounts/", {"name": "Spinoff"}, "parent", org.theirs.pk
    )
    assert not Account.objects.filter(name="Spinoff").exists()
    refused_like_a_missing_id(
        client, "patch", f"/api/v1/accounts/{org.mine.pk}/", {}, "parent", org.theirs.pk
    )
    org.mine.refresh_from_db()
    assert org.mine.parent is None


def test_contact_account_must_be_visible(as_user, org):
    client = as_user(org.rep)
    refused_like_a_missing_id(
        client, "post", "/api/v1/contacts/", {"last_name": "Spy"}, "account", org.theirs.pk
    )
    assert not Contact.objects.filter(last_name="Spy").exists()


def test_contact_cannot_be_moved_to_an_invisible_account(as_user, org):
    contact = ContactFactory(account=org.mine)
    refused_like_a_missing_id(
        as_user(org.rep), "patch", f"/api/v1/contacts/{contact.pk}/", {}, "account", org.theirs.pk
    )
    contact.refresh_from_db()
    assert contact.account == org.mine


def test_contact_reports_to_must_be_visible(as_user, org):
    hidden_boss = ContactFactory(account=org.theirs)
    refused_like_a_missing_id(
        as_user(org.rep),
        "post",
        "/api/v1/contacts/",
        {"account": org.mine.pk, "last_name": "Report"},
        "reports_to",
        hidden_boss.pk,
    )
    assert not Contact.objects.filter(last_name="Report").exists()


def test_interaction_account_and_contacts_must_be_visible(as_user, org):
    client = as_user(org.rep)
    mine = ContactFactory(account=org.mine)
    hidden = ContactFactory(account=org.theirs)
    payload = {"kind": "call", "date": "2026-02-01", "contacts": [mine.pk]}
    refused_like_a_missing_id(
        client, "post", "/api/v1/interactions/", payload, "account", org.theirs.pk
    )
    response = client.post(
        "/api/v1/interactions/",
        {**payload, "account": org.mine.pk, "contacts": [mine.pk, hidden.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert f'Invalid pk "{hidden.pk}" - object does not exist.' in response.json()["contacts"]
    assert not Interaction.objects.exists()


def test_opportunity_account_must_be_visible(as_user, org):
    payload = {
        "name": "Poached deal",
        "amount": "1000.00",
        "created_date": "2026-01-01",
        "close_date": "2026-03-01",
    }
    refused_like_a_missing_id(
        as_user(org.rep), "post", "/api/v1/opportunities/", payload, "account", org.theirs.pk
    )
    assert not Opportunity.objects.filter(name="Poached deal").exists()


def test_a_rep_references_no_sale_line_at_all(as_user, org):
    """Sale lines are written only by sales ops and admins, who see every account (issue
    14): a rep's sale line is refused whatever it references, visible or not."""
    client = as_user(org.rep)
    payload = {
        "product": ProductFactory().pk,
        "date": "2026-04-01",
        "amount": "10.00",
    }
    hidden_deal = OpportunityFactory(account=org.theirs)
    for extra in (
        {"account": org.theirs.pk},
        {"account": org.mine.pk, "opportunity": hidden_deal.pk},
    ):
        response = client.post("/api/v1/sale-lines/", payload | extra, format="json")
        assert response.status_code == 403
    assert not SaleLine.objects.exists()


def test_manager_may_reference_their_teams_accounts(as_user, org):
    response = as_user(org.manager).post(
        "/api/v1/contacts/", {"account": org.teammate.pk, "last_name": "Fine"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["account_name"] == "Teammate Corp"

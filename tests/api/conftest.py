"""Helpers for the API tests: a client signed in as one of the ``org`` fixture's people,
and one record of every kind at each of three accounts (mine, a teammate's, someone
else's)."""

import pytest

from tests.factories import (
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
    SaleLineFactory,
)

# Endpoints that show an account or something that belongs to one.
ACCOUNT_DATA_ENDPOINTS = ["accounts", "contacts", "interactions", "sale-lines", "opportunities"]


@pytest.fixture
def as_user(loading_client):
    """A client signed in as ``user`` that reads an item before changing it (so it
    sends the version it read, as the API requires)."""

    def sign_in(user):
        loading_client.force_authenticate(user)
        return loading_client

    return sign_in


def records_at(account):
    """One record of each kind shown by ``ACCOUNT_DATA_ENDPOINTS`` at ``account``."""
    contact = ContactFactory(account=account)
    interaction = InteractionFactory(account=account)
    interaction.contacts.add(contact)
    return {
        "accounts": account,
        "contacts": contact,
        "interactions": interaction,
        "sale-lines": SaleLineFactory(account=account),
        "opportunities": OpportunityFactory(account=account),
    }


@pytest.fixture
def records(org):
    """Records at the rep's child account (Mine Division, seen through Mine Group), at the
    rep's teammate's account and at the account of a rep in no team."""
    return {
        "mine": records_at(org.mine_child),
        "team": records_at(org.teammate),
        "theirs": records_at(org.theirs),
    }


def listed_ids(client, endpoint, query=""):
    response = client.get(f"/api/v1/{endpoint}/?page_size=500{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}

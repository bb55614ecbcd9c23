"""A list endpoint issues the same number of queries for 5 rows as for 30: related
records are joined or prefetched, never fetched once per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from keyplan.people.tokens import token_issue
from tests.factories import (
    AccountFactory,
    AccountTeamMemberFactory,
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
    ProductFactory,
    SaleLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "accounts",
    "contacts",
    "interactions",
    "sale-lines",
    "opportunities",
    "products",
    "product-lines",
    "users",
]


def add_rows(org, n):
    """``n`` more rows for every endpoint, each with related records of its own (owner,
    parent, team member, manager contact, product, product line, ...), all visible to the
    rep through Mine Group."""
    for _ in range(n):
        owner = UserFactory(team=org.team)
        account = AccountFactory(owner=owner, parent=org.mine)
        AccountTeamMemberFactory(account=account, user=UserFactory())
        boss = ContactFactory(account=account, relationship_owner=owner)
        contact = ContactFactory(account=account, reports_to=boss)
        interaction = InteractionFactory(account=account)
        interaction.contacts.add(contact, boss)
        interaction.participants.add(owner)
        product = ProductFactory()
        SaleLineFactory(account=account, product=product)
        OpportunityFactory(account=account, product=product, owner=owner)


def queries_for(client, endpoint):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/{endpoint}/?page_size=100")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("who", ["rep", "manager", "executive"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_queries_do_not_grow_with_rows(org, endpoint, who):
    # Token authentication loads the user afresh on every request, as in production,
    # so the visibility scope is computed inside each measured request.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=getattr(org, who))[1]}")
    # The token's first request stamps its last use (a write, at most once a minute per
    # token, whatever the rows): made before measuring, so both measured requests are
    # alike but for the number of rows.
    queries_for(client, endpoint)
    add_rows(org, 5)
    few, few_rows = queries_for(client, endpoint)
    add_rows(org, 25)
    many, many_rows = queries_for(client, endpoint)
    assert many_rows >= few_rows + 25  # the rows really are there and listed
    assert many == few, f"{endpoint}: {few} queries for {few_rows} rows, {many} for {many_rows}"

"""List pages and the account page issue a fixed number of queries, however many rows
they show: no query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AccountFactory,
    AccountTeamMemberFactory,
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
    ProductFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(org, n):
    """Add n accounts (with owner, parent, contacts, opportunities) for the rep."""
    for i in range(n):
        account = AccountFactory(owner=org.rep, parent=org.mine, name=f"Grown {i}")
        contact = ContactFactory(account=account, relationship_owner=org.rep)
        OpportunityFactory(account=account, owner=org.rep, product=ProductFactory())
        AccountTeamMemberFactory(account=org.mine, role="marketing")
        SaleLineFactory(account=account)
        interaction = InteractionFactory(account=org.mine)
        interaction.contacts.add(contact)
        interaction.participants.add(org.rep)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/",
        "/contacts/",
        "/opportunities/",
        "/opportunities/?status=open",
        "/products/",
        "/accounts/?within=0",
    ],
)
def test_list_pages_do_not_query_per_row(client, org, url):
    client.force_login(org.rep)
    grow(org, 2)
    url = url.replace("within=0", f"within={org.mine.pk}")
    few = count_queries(client, url)
    grow(org, 12)
    many = count_queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


def test_account_page_does_not_query_per_row(client, org):
    client.force_login(org.rep)
    grow(org, 2)
    url = f"/accounts/{org.mine.pk}/"
    few = count_queries(client, url)
    grow(org, 12)
    many = count_queries(client, url)
    assert many == few


def test_lists_are_paginated(client, org):
    client.force_login(org.executive)
    for i in range(55):
        AccountFactory(name=f"Bulk {i:02d}")
    response = client.get("/accounts/")
    table = response.context["table"]
    assert len(table.page.object_list) == 50
    assert "Page 1 of 2" in response.content.decode()
    second = client.get("/accounts/?page=2")
    assert len(second.context["table"].page.object_list) == 59 - 50

"""The "Account" filters of the list pages take what a person types — words of the
account's name — in a text box; an id, as links from other pages send it, still works.
(The API keeps its id filters: a client sends ids.)"""

import re

import pytest

from tests.factories import ContactFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def _rows(html: str) -> str:
    return html.split('id="results"')[1]


def test_opportunities_filtered_by_words_of_the_account_name(client, org):
    OpportunityFactory(account=org.mine, name="Fleet renewal", owner=org.rep)
    OpportunityFactory(account=org.teammate, name="Depot upgrade", owner=org.rep2)
    client.force_login(org.executive)
    html = client.get("/opportunities/", {"account": "mine group"}).content.decode()
    assert "Fleet renewal" in _rows(html) and "Depot upgrade" not in _rows(html)
    assert re.search(r'<input type="text" name="account"[^>]*placeholder="name"', html)
    # A link from the account page carries the id.
    by_id = client.get("/opportunities/", {"account": org.teammate.pk}).content.decode()
    assert "Depot upgrade" in _rows(by_id) and "Fleet renewal" not in _rows(by_id)


def test_contacts_filtered_by_words_of_the_account_name(client, org):
    ContactFactory(account=org.mine, first_name="Clara", last_name="Berg")
    ContactFactory(account=org.theirs, first_name="Otto", last_name="Falk")
    client.force_login(org.executive)
    rows = _rows(client.get("/contacts/", {"account": "Mine"}).content.decode())
    assert "Berg" in rows and "Falk" not in rows


def test_accounts_under_an_account_typed_by_name(client, org):
    client.force_login(org.executive)
    rows = _rows(client.get("/accounts/", {"within": "mine group"}).content.decode())
    assert "Mine Division" in rows and "Teammate Corp" not in rows
    rows = _rows(client.get("/accounts/", {"parent": "Mine"}).content.decode())
    assert "Mine Division" in rows and "Teammate Corp" not in rows

"""Two people edit the same account or contact in the browser: the later save, made from
the version opened before the other's, is refused with who-changed-when, and everything
typed is still in the form; saving again then keeps it deliberately."""

import pytest

from keyplan.accounts.models import Account, Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def account_form(account, **changes):
    data = {
        "name": account.name,
        "external_id": account.external_id,
        "kind": account.kind,
        "parent": "",
        "industry": account.industry,
        "country": account.country,
        "region": account.region,
        "employees": account.employees or "",
        "annual_revenue": account.annual_revenue or "",
        "website": account.website,
        "owner": account.owner_id or "",
        "version": account.version,
    }
    return data | changes


def test_the_account_form_carries_its_version(client, org):
    client.force_login(org.rep)
    page = client.get(f"/accounts/{org.mine.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in page


def test_a_stale_account_save_is_refused_and_keeps_what_was_typed(client, org):
    url = f"/accounts/{org.mine.pk}/edit/"
    opened = account_form(org.mine)  # both open the form at version 1
    client.force_login(org.manager)
    assert client.post(url, opened | {"industry": "Utilities"}).status_code == 302
    client.force_login(org.rep)
    response = client.post(url, opened | {"industry": "Mining", "region": "Alps"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this account at" in page
    assert "Your changes were not saved; they are still below." in page
    assert 'value="Mining"' in page and 'value="Alps"' in page
    assert 'name="version" value="2"' in page
    stored = Account.objects.get(pk=org.mine.pk)
    assert (stored.industry, stored.version) == ("Utilities", 2)
    # Having seen it, the rep saves again: now from version 2, it goes through.
    again = client.post(url, opened | {"industry": "Mining", "version": 2})
    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.industry, stored.version) == ("Mining", 3)


def test_a_stale_contact_save_is_refused_and_keeps_what_was_typed(client, org):
    contact = ContactFactory(account=org.mine, last_name="Keller", title="CIO")
    url = f"/contacts/{contact.pk}/edit/"
    opened = {"last_name": "Keller", "relationship_strength": "none", "version": 1}
    client.force_login(org.manager)
    assert client.post(url, opened | {"title": "CTO"}).status_code == 302
    client.force_login(org.rep)
    response = client.post(url, opened | {"title": "Chief Digital Officer"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this contact at" in page
    assert 'value="Chief Digital Officer"' in page
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.title, stored.version) == ("CTO", 2)

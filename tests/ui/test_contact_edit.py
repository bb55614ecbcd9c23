"""Adding and editing contacts: reporting lines stay inside the account and never loop."""

import pytest

from keyplan.accounts.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_add_contact_to_an_account(client, org):
    boss = ContactFactory(account=org.mine, last_name="Boss")
    client.force_login(org.rep)
    response = client.post(
        f"/accounts/{org.mine.pk}/contacts/new/",
        {
            "first_name": "Linus",
            "last_name": "Report",
            "title": "IT Manager",
            "seniority": "manager",
            "reports_to": boss.pk,
            "relationship_strength": "weak",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(last_name="Report")
    assert contact.account == org.mine and contact.reports_to == boss
    page = client.get(f"/contacts/{boss.pk}/").content.decode()
    assert "Linus Report" in page


def test_reporting_line_cycle_is_refused(client, org):
    boss = ContactFactory(account=org.mine, last_name="Boss")
    report = ContactFactory(account=org.mine, last_name="Report", reports_to=boss)
    client.force_login(org.rep)
    response = client.post(
        f"/contacts/{boss.pk}/edit/",
        {"last_name": "Boss", "reports_to": report.pk, "relationship_strength": "none"},
    )
    assert response.status_code == 200
    assert "cycle" in str(response.context["form"].errors["reports_to"])
    boss.refresh_from_db()
    assert boss.reports_to is None


def test_reports_to_must_be_at_the_same_account(client, org):
    stranger = ContactFactory(account=org.theirs)
    client.force_login(org.rep)
    response = client.post(
        f"/accounts/{org.mine.pk}/contacts/new/",
        {"last_name": "Newbie", "reports_to": stranger.pk, "relationship_strength": "none"},
    )
    assert response.status_code == 200
    assert "reports_to" in response.context["form"].errors
    assert not Contact.objects.filter(last_name="Newbie").exists()


def test_contact_page_shows_reporting_line_up_and_down(client, org):
    ceo = ContactFactory(account=org.mine, first_name="Ceo", last_name="Top")
    cio = ContactFactory(account=org.mine, first_name="Cio", last_name="Mid", reports_to=ceo)
    ContactFactory(account=org.mine, first_name="Dev", last_name="Low", reports_to=cio)
    client.force_login(org.rep)
    response = client.get(f"/contacts/{cio.pk}/")
    assert [c.name for c in response.context["chain"]] == ["Ceo Top"]
    assert [c.name for c in response.context["reports"]] == ["Dev Low"]

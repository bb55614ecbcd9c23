"""Contacts through the API: a reporting line stays at one account and never loops."""

import pytest

from keyplan.accounts.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_rep_adds_a_contact_at_their_account(as_user, org):
    response = as_user(org.rep).post(
        "/api/v1/contacts/",
        {
            "account": org.mine_child.pk,
            "first_name": "Grace",
            "last_name": "Hopper",
            "seniority": "c_level",
            "decision_role": "decision_maker",
            "relationship_owner": org.rep.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Grace Hopper" and body["account_name"] == "Mine Division"
    assert Contact.objects.get(pk=body["id"]).relationship_owner == org.rep


def test_invalid_contact_gets_field_errors_and_nothing_changes(as_user, org):
    contact = ContactFactory(account=org.mine, email="ada@customer.example")
    response = as_user(org.rep).patch(
        f"/api/v1/contacts/{contact.pk}/",
        {"email": "not-an-email", "seniority": "emperor", "last_name": ""},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"email", "seniority", "last_name"}
    contact.refresh_from_db()
    assert contact.email == "ada@customer.example"


def test_a_contact_cannot_report_to_themselves(as_user, org):
    contact = ContactFactory(account=org.mine)
    response = as_user(org.rep).patch(
        f"/api/v1/contacts/{contact.pk}/", {"reports_to": contact.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"reports_to": ["A contact cannot report to themselves."]}


def test_a_reporting_line_never_loops(as_user, org):
    ceo = ContactFactory(account=org.mine)
    cfo = ContactFactory(account=org.mine, reports_to=ceo)
    controller = ContactFactory(account=org.mine, reports_to=cfo)
    response = as_user(org.rep).patch(
        f"/api/v1/contacts/{ceo.pk}/", {"reports_to": controller.pk}, format="json"
    )
    assert response.status_code == 400
    assert "cycle" in response.json()["reports_to"][0]
    ceo.refresh_from_db()
    assert ceo.reports_to is None


def test_the_manager_must_work_at_the_same_account(as_user, org):
    boss_at_division = ContactFactory(account=org.mine_child)
    contact = ContactFactory(account=org.mine)
    response = as_user(org.rep).patch(
        f"/api/v1/contacts/{contact.pk}/", {"reports_to": boss_at_division.pk}, format="json"
    )
    assert response.status_code == 400
    assert "must work at Mine Group" in response.json()["reports_to"][0]


def test_reporting_line_within_the_account_is_saved(as_user, org):
    boss = ContactFactory(account=org.mine)
    contact = ContactFactory(account=org.mine)
    response = as_user(org.rep).patch(
        f"/api/v1/contacts/{contact.pk}/", {"reports_to": boss.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["reports_to_name"] == boss.name


def test_moving_a_contact_keeps_reporting_lines_inside_one_account(as_user, org):
    boss = ContactFactory(account=org.mine)
    report = ContactFactory(account=org.mine, reports_to=boss)
    client = as_user(org.rep)
    # The contact moves but still reports to someone at the old account: refused.
    moved = client.patch(
        f"/api/v1/contacts/{report.pk}/", {"account": org.mine_child.pk}, format="json"
    )
    assert moved.status_code == 400 and "reports_to" in moved.json()
    # Someone still reports to the boss at the old account: refused too.
    boss_moved = client.patch(
        f"/api/v1/contacts/{boss.pk}/", {"account": org.mine_child.pk}, format="json"
    )
    assert boss_moved.status_code == 400
    assert "1 contact at Mine Group reports to" in boss_moved.json()["account"][0]
    # Clearing the line first lets the contact move.
    ok = client.patch(
        f"/api/v1/contacts/{report.pk}/",
        {"account": org.mine_child.pk, "reports_to": None},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["account_name"] == "Mine Division"


def test_deleting_a_manager_leaves_their_reports_without_one(as_user, org):
    boss = ContactFactory(account=org.mine)
    report = ContactFactory(account=org.mine, reports_to=boss)
    assert as_user(org.rep).delete(f"/api/v1/contacts/{boss.pk}/").status_code == 204
    report.refresh_from_db()
    assert report.reports_to is None

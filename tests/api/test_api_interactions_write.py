"""Interactions through the API: with contacts of the interaction's own account."""

import pytest

from keyplan.accounts.models import Interaction
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


def test_rep_records_a_meeting_with_contacts_of_the_account(as_user, org):
    ada, bob = ContactFactory(account=org.mine), ContactFactory(account=org.mine)
    response = as_user(org.rep).post(
        "/api/v1/interactions/",
        {
            "account": org.mine.pk,
            "kind": "meeting",
            "date": "2026-03-04",
            "subject": "Renewal",
            "contacts": [ada.pk, bob.pk],
            "participants": [org.rep.pk, org.manager.pk],
            "is_executive": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(body["contacts"]) == sorted([ada.pk, bob.pk])
    assert body["account_name"] == "Mine Group"
    interaction = Interaction.objects.get(pk=body["id"])
    assert set(interaction.participants.all()) == {org.rep, org.manager}


def test_contacts_must_work_at_the_interactions_account(as_user, org):
    stranger = ContactFactory(account=org.mine_child)  # visible, but at the child account
    response = as_user(org.rep).post(
        "/api/v1/interactions/",
        {"account": org.mine.pk, "kind": "call", "date": "2026-01-02", "contacts": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"contacts": [f"Contact {stranger.pk} does not work at Mine Group."]}
    assert not Interaction.objects.exists()


def test_an_interaction_is_with_at_least_one_contact(as_user, org):
    response = as_user(org.rep).post(
        "/api/v1/interactions/",
        {"account": org.mine.pk, "kind": "call", "date": "2026-01-02", "contacts": []},
        format="json",
    )
    assert response.status_code == 400 and "at least one contact" in str(response.json())


def test_moving_an_interaction_to_another_account_checks_its_contacts(as_user, org):
    contact = ContactFactory(account=org.mine)
    interaction = InteractionFactory(account=org.mine)
    interaction.contacts.add(contact)
    client = as_user(org.rep)
    response = client.patch(
        f"/api/v1/interactions/{interaction.pk}/", {"account": org.mine_child.pk}, format="json"
    )
    assert response.status_code == 400 and "contacts" in response.json()
    interaction.refresh_from_db()
    assert interaction.account == org.mine
    there = ContactFactory(account=org.mine_child)
    moved = client.patch(
        f"/api/v1/interactions/{interaction.pk}/",
        {"account": org.mine_child.pk, "contacts": [there.pk]},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["contacts"] == [there.pk]


def test_invalid_interaction_gets_field_errors(as_user, org):
    contact = ContactFactory(account=org.mine)
    response = as_user(org.rep).post(
        "/api/v1/interactions/",
        {"account": org.mine.pk, "kind": "fax", "date": "yesterday", "contacts": [contact.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "date"}

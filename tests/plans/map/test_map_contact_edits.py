"""Contacts are added and edited on the map (with their reporting line, at any account
of the plan's hierarchy); each change is in the plan's activity feed."""

import pytest

from keyplan.accounts.models import Contact
from keyplan.plans.choices import ChangeAction
from keyplan.plans.models import PlanChange
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _new(**fields):
    return {
        "first_name": "Nora",
        "last_name": "Ops",
        "title": "COO",
        "seniority": "c_level",
        "is_active": "on",
        "decision_role": "decision_maker",
        "relationship_strength": "none",
    } | fields


def test_add_a_contact_under_a_manager_in_a_child_account(client, org, plan):
    login(client, org.rep)
    form = client.get(f"/plans/{plan.pk}/map/contacts/new/", HTTP_HX_REQUEST="true")
    assert 'name="account"' in form.content.decode()
    response = client.post(
        f"/plans/{plan.pk}/map/contacts/new/",
        _new(account=org.mine_child.pk),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="map-body"' in html and "Nora Ops" in html
    nora = Contact.objects.get(last_name="Ops")
    assert nora.account == org.mine_child
    change = PlanChange.objects.get(subject="contact", object_id=nora.pk)
    assert change.action == ChangeAction.CREATED and change.user == org.rep
    assert change.changes["decision_role"] == [None, "decision_maker"]


def test_add_a_report_and_edit_a_contact(client, org, plan):
    login(client, org.rep)
    form = client.get(f"/plans/{plan.pk}/map/contacts/new/?manager={org.cfo.pk}")
    assert f'<option value="{org.cfo.pk}" selected>' in form.content.decode()
    response = client.post(
        f"/plans/{plan.pk}/map/contacts/new/",
        _new(account=org.mine.pk, reports_to=org.cfo.pk),
    )
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/map/"
    nora = Contact.objects.get(last_name="Ops")
    assert nora.reports_to == org.cfo

    data = _new(
        reports_to=org.cfo.pk, relationship_strength="strong", relationship_owner=org.rep.pk
    )
    client.post(f"/plans/{plan.pk}/map/contacts/{nora.pk}/", data)
    nora.refresh_from_db()
    assert nora.relationship_strength == "strong" and nora.relationship_owner == org.rep
    change = PlanChange.objects.get(
        subject="contact", object_id=nora.pk, action=ChangeAction.UPDATED
    )
    assert change.changes["relationship_strength"] == ["none", "strong"]


def test_contacts_outside_the_plan_cannot_be_edited_here(client, org, plan):
    from tests.factories import ContactFactory

    elsewhere = ContactFactory(account=org.teammate)
    login(client, org.manager)  # sees Teammate Corp, edits the plan
    assert client.get(f"/plans/{plan.pk}/map/contacts/{elsewhere.pk}/").status_code == 404
    response = client.post(f"/plans/{plan.pk}/map/contacts/new/", _new(account=org.teammate.pk))
    assert response.status_code == 200  # the form again, with the account refused
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.filter(last_name="Ops").exists()

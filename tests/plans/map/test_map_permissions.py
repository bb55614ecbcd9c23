"""Reading the map follows the plan; changing anything on it needs edit rights on the
plan. A refused change changes nothing; a rep who cannot see the account gets 404."""

import pytest

from keyplan.accounts.models import Contact
from keyplan.plans import services
from keyplan.plans.models import ExecutivePairing, PlanChange
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _data(contact, **changes):
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "title": contact.title,
        "is_active": "on",
        "relationship_strength": "strong",
    } | changes


def test_a_reader_cannot_change_the_map(client, org, plan):
    login(client, org.executive)
    assert client.get(f"/plans/{plan.pk}/map/").status_code == 200
    assert client.get(f"/plans/{plan.pk}/map/contacts/new/").status_code == 403
    assert client.get(f"/plans/{plan.pk}/map/contacts/{org.cfo.pk}/").status_code == 403

    response = client.post(f"/plans/{plan.pk}/map/contacts/{org.cfo.pk}/", _data(org.cfo))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "you can read it" in page
    response = client.post(
        f"/plans/{plan.pk}/map/contacts/new/",
        _data(org.cfo, last_name="Intruder"),
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == "#map-messages"
    assert "you can read it" in response.content.decode()
    response = client.post(
        f"/plans/{plan.pk}/map/pairings/new/",
        {"our_executive": org.executive.pk, "their_executive": org.cfo.pk, "cadence_days": 91},
    )
    assert response.status_code == 302
    assert Contact.objects.get(pk=org.cfo.pk).relationship_strength == "none"
    assert not Contact.objects.filter(last_name="Intruder").exists()
    assert not ExecutivePairing.objects.exists()
    assert not PlanChange.objects.filter(subject="contact").exists()


def test_a_reader_cannot_remove_a_pairing(client, org, plan):
    pairing = services.element_save(
        kind="pairing",
        plan=plan,
        user=org.rep,
        our_executive=org.executive,
        their_executive=org.cfo,
    )
    login(client, org.ops)
    client.post(f"/plans/{plan.pk}/map/pairings/{pairing.pk}/delete/")
    assert ExecutivePairing.objects.filter(pk=pairing.pk).exists()


def test_a_rep_who_cannot_see_the_account_gets_404(client, org, plan):
    login(client, org.other)
    assert client.get(f"/plans/{plan.pk}/map/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/map/contacts/new/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/map/contacts/{org.cfo.pk}/").status_code == 404
    response = client.post(f"/plans/{plan.pk}/map/contacts/{org.cfo.pk}/", _data(org.cfo))
    assert response.status_code == 404
    assert Contact.objects.get(pk=org.cfo.pk).relationship_strength == "none"


def test_nobody_changes_an_archived_plans_map(client, org, plan):
    services.plan_activate(plan=plan, user=org.rep)
    services.plan_archive(plan=plan, user=org.rep)
    login(client, org.rep)
    response = client.post(f"/plans/{plan.pk}/map/contacts/{org.cfo.pk}/", _data(org.cfo))
    assert response.status_code == 302
    assert Contact.objects.get(pk=org.cfo.pk).relationship_strength == "none"

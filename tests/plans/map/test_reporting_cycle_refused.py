"""A reporting line that would make a cycle is refused on the "reports to" field and
nothing changes (contact, reporting lines, activity feed)."""

import pytest

from keyplan.accounts.models import Contact
from keyplan.plans.models import PlanChange
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _post(client, plan, contact, **changes):
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "title": contact.title,
        "function": contact.function,
        "seniority": contact.seniority,
        "reports_to": contact.reports_to_id or "",
        "email": contact.email,
        "is_active": "on",
        "decision_role": contact.decision_role,
        "attitude": contact.attitude,
        "relationship_strength": contact.relationship_strength,
        "relationship_owner": contact.relationship_owner_id or "",
    } | changes
    return client.post(f"/plans/{plan.pk}/map/contacts/{contact.pk}/", data, HTTP_HX_REQUEST="true")


def test_a_loop_of_managers_is_refused_on_the_field(client, org, plan):
    org.cio.reports_to = org.cfo
    org.cio.save()
    changes_before = PlanChange.objects.count()
    login(client, org.rep)
    response = _post(client, plan, org.cfo, reports_to=org.cio.pk, title="Chief Financial Officer")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#map-slot"
    assert 'id="id_reports_to_errors"' in html
    assert "already reports (directly or not) to Clara Finance" in html
    assert "that would make a cycle" in html
    cfo = Contact.objects.get(pk=org.cfo.pk)
    assert cfo.reports_to_id is None and cfo.title == "CFO"
    assert PlanChange.objects.count() == changes_before


def test_a_longer_loop_and_a_self_report_are_refused(client, org, plan):
    org.cio.reports_to = org.cfo
    org.cio.save()
    login(client, org.rep)
    from tests.factories import ContactFactory

    analyst = ContactFactory(account=org.mine, reports_to=org.cio)
    response = _post(client, plan, org.cfo, reports_to=analyst.pk)
    assert "that would make a cycle" in response.content.decode()
    assert Contact.objects.get(pk=org.cfo.pk).reports_to_id is None
    # Oneself is not even offered as a manager.
    response = _post(client, plan, org.cfo, reports_to=org.cfo.pk)
    assert 'id="id_reports_to_errors"' in response.content.decode()
    assert Contact.objects.get(pk=org.cfo.pk).reports_to_id is None

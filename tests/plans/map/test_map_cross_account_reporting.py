"""On the map a division's contact can report to someone at the group (the hierarchy's
reporting lines cross accounts), and a line that would make a cycle is still refused."""

from keyplan.accounts.models import Contact
from tests.factories import ContactFactory


def _post(client, plan, contact, manager):
    return client.post(
        f"/plans/{plan.pk}/map/contacts/{contact.pk}/",
        {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "is_active": "on",
            "relationship_strength": "none",
            "reports_to": manager.pk,
        },
        HTTP_HX_REQUEST="true",
    )


def test_division_head_reports_to_the_group_cfo(org, plan, client):
    head = ContactFactory(account=org.mine_child, first_name="Dana", last_name="Head")
    client.force_login(org.rep)
    _post(client, plan, head, org.cfo)
    assert Contact.objects.get(pk=head.pk).reports_to == org.cfo
    response = _post(client, plan, org.cfo, head)  # the CFO under her own report: a cycle
    assert "cycle" in response.content.decode()
    assert Contact.objects.get(pk=org.cfo.pk).reports_to is None

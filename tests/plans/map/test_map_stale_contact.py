"""Two people editing the same contact on the map: the later save, made from an older
copy, is refused with the other change shown; nothing is overwritten."""

from keyplan.accounts.models import Contact


def _form(contact, **changes):
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "title": contact.title,
        "seniority": contact.seniority,
        "is_active": "on",
        "decision_role": contact.decision_role,
        "attitude": contact.attitude,
        "relationship_strength": contact.relationship_strength,
    }
    return data | changes


def test_the_later_save_from_an_older_copy_is_refused(org, plan, client):
    cfo = Contact.objects.get(pk=org.cfo.pk)
    url = f"/plans/{plan.pk}/map/contacts/{cfo.pk}/"
    client.force_login(org.rep)
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    loaded = page.split('name="loaded" value="')[1].split('"')[0]

    client.force_login(org.manager)
    client.post(url, _form(cfo, decision_role="decision_maker", loaded=loaded))
    client.force_login(org.rep)
    response = client.post(
        url, _form(cfo, relationship_strength="strong", loaded=loaded), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "changed Clara Finance after you opened it" in html
    assert "role in decisions: “—” → “Decision maker”" in html
    cfo.refresh_from_db()
    assert (cfo.decision_role, cfo.relationship_strength) == ("decision_maker", "none")

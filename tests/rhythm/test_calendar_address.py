"""The feed's secret address: made, shown and copied on the person's settings page,
stored only as a hash, regenerated (the old address then answers 404) or turned off."""

import hashlib

from django.test import Client

from keyplan.rhythm.models import PersonalSettings
from tests.rhythm.conftest import add_action, days


def _address_on_page(client) -> str | None:
    html = client.get("/me/").content.decode()
    if 'data-testid="feed-url"' not in html:
        return None
    return html.split('data-testid="feed-url"')[1].split(">", 1)[1].split("</textarea>")[0]


def test_make_regenerate_and_turn_off(org, plan, settings):
    settings.KEYPLAN_BASE_URL = "https://keyplan.example.com"
    add_action(plan, org.rep, "Call the CFO", days(10))
    client = Client()
    client.force_login(org.rep)
    assert _address_on_page(client) is None
    assert "Make my calendar address" in client.get("/me/").content.decode()

    response = client.post("/me/calendar/regenerate/", follow=True)
    assert "Your calendar address is ready" in response.content.decode()
    first = _address_on_page(client)
    assert first.startswith("https://keyplan.example.com/calendar/") and first.endswith(".ics")
    path = first.removeprefix("https://keyplan.example.com")
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert len(token) >= 40

    # Only a hash is kept: the address is not in the database.
    stored = PersonalSettings.objects.get(user=org.rep)
    assert stored.calendar_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.calendar_nonce, stored.calendar_token_hash}

    anonymous = Client()
    feed = anonymous.get(path)
    assert feed.status_code == 200 and b"Call the CFO" in feed.content
    assert feed["Cache-Control"] == "private, no-store"
    assert _address_on_page(client) == first  # shown again, the same, on every visit

    response = client.post("/me/calendar/regenerate/", follow=True)
    assert "the old one no longer works" in response.content.decode()
    second = _address_on_page(client)
    assert second != first
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(second.removeprefix("https://keyplan.example.com")).status_code == 200

    client.post("/me/calendar/revoke/")
    assert _address_on_page(client) is None
    assert anonymous.get(second.removeprefix("https://keyplan.example.com")).status_code == 404


def test_unknown_addresses_and_people_who_left_get_404(org, plan):
    client = Client()
    client.force_login(org.rep)
    client.post("/me/calendar/regenerate/")
    path = _address_on_page(client).split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()
    assert anonymous.get("/" + path).status_code == 200
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404
    assert anonymous.get("/calendar/" + "x" * 200 + ".ics").status_code == 404
    response = anonymous.get("/" + path[:-8] + "AAAA.ics")
    assert response.status_code == 404 and b"Call" not in response.content
    assert anonymous.post("/" + path).status_code == 405
    org.rep.is_active = False
    org.rep.save()
    assert anonymous.get("/" + path).status_code == 404


def test_changing_the_address_needs_a_signed_in_post(org):
    anonymous = Client()
    response = anonymous.post("/me/calendar/regenerate/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not PersonalSettings.objects.exists()
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.rep)
    assert client.post("/me/calendar/regenerate/").status_code == 403
    assert client.get("/me/calendar/regenerate/").status_code == 405
    assert not PersonalSettings.objects.exists()

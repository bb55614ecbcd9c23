"""Each person chooses, on their own settings page, their time zone and — per kind of
email — immediately, the daily digest or off; sensible defaults; bad input is refused
with a specific message and changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from keyplan.rhythm.models import PersonalSettings
from keyplan.rhythm.services import settings_for, settings_save

CHOICES = {
    "time_zone": "Asia/Tokyo",
    "decisions": "daily",
    "help": "immediately",
    "actions": "off",
    "reviews": "immediately",
    "mentions": "daily",
    "meetings": "immediately",
}


def _checked(html: str, name: str) -> str:
    for tag in html.split("<input")[1:]:
        tag = tag.split(">")[0]
        if f'name="{name}"' in tag and "checked" in tag:
            return tag.split('value="')[1].split('"')[0]
    raise AssertionError(f"nothing checked for {name}")


def test_defaults_then_saved_choices(org):
    client = Client()
    client.force_login(org.rep)
    html = client.get("/me/").content.decode()
    assert "Your settings" in html and 'data-testid="my-settings"' in html
    # Defaults: what needs the person at once comes at once; actions and mentions daily.
    kinds = ("decisions", "help", "actions", "reviews", "mentions", "meetings")
    assert [_checked(html, k) for k in kinds] == [
        "immediately",
        "immediately",
        "daily",
        "immediately",
        "daily",
        "immediately",
    ]
    assert not PersonalSettings.objects.exists()  # reading the page writes nothing

    response = client.post("/me/", CHOICES, follow=True)
    html = response.content.decode()
    assert "Your settings are saved." in html
    assert _checked(html, "actions") == "off" and _checked(html, "decisions") == "daily"
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in html
    saved = settings_for(org.rep)
    assert (saved.time_zone, saved.decisions, saved.actions) == ("Asia/Tokyo", "daily", "off")
    assert str(saved.zone) == "Asia/Tokyo"


def test_bad_input_is_refused_and_nothing_changes(org):
    settings_save(user=org.rep, time_zone="Europe/Berlin", deliveries={"help": "daily"})
    client = Client()
    client.force_login(org.rep)
    response = client.post("/me/", CHOICES | {"time_zone": "Mars/Olympus", "help": "weekly"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in html
    assert "Select a valid choice. weekly is not one of the available choices." in html
    saved = settings_for(org.rep)
    assert (saved.time_zone, saved.help, saved.decisions) == (
        "Europe/Berlin",
        "daily",
        "immediately",
    )

    # The service says the same to the API, the command line or any other caller.
    with pytest.raises(ValidationError) as refused:
        settings_save(user=org.rep, time_zone="Mars/Olympus", deliveries={"help": "weekly"})
    assert refused.value.message_dict == {
        "help": ["Choose immediately, in the daily digest or off for “Requests for help”."],
        "time_zone": [
            "“Mars/Olympus” is not a time zone keyplan knows; choose one such as Europe/Berlin."
        ],
    }
    assert settings_for(org.rep).time_zone == "Europe/Berlin"


def test_someone_without_an_email_address_is_told(org):
    org.rep.email = ""
    org.rep.save()
    client = Client()
    client.force_login(org.rep)
    html = client.get("/me/").content.decode()
    assert "keyplan has no email address for you, so it sends you no email" in html

"""Reading a person's calendar feed as a calendar application does."""

import datetime

import icalendar
import recurring_ical_events
from django.test import Client

from keyplan.rhythm import services
from tests.rhythm.conftest import days


def feed_url(user) -> str:
    token = services.calendar_token(user) or services.calendar_regenerate(user=user)
    return f"/calendar/{token}.ics"


def read_feed(user) -> icalendar.Calendar:
    response = Client().get(feed_url(user))  # no session: calendar apps cannot sign in
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(user) -> dict[str, icalendar.Event]:
    """The person's events from 90 days back to 18 months ahead, by UID, as
    recurring-ical-events expands them."""
    cal = read_feed(user)
    found = recurring_ical_events.of(cal).between(days(-91), days(560))
    by_uid = {str(e["UID"]): e for e in found}
    assert len(by_uid) == len(found), "UIDs must be unique"
    return by_uid


def start(event) -> datetime.date:
    return event.decoded("DTSTART")

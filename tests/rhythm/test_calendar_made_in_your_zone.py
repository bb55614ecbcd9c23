"""The settings page says when the calendar address was made in the person's own time
zone, the one they chose on that page, and names it: someone in Tokyo who made it at
09:30 their time read "Made … 00:30" (the installation's UTC)."""

import datetime
import re

from django.test import Client

from keyplan.rhythm.models import PersonalSettings
from keyplan.rhythm.services import settings_save


def _made(client) -> str:
    html = client.get("/me/").content.decode()
    return re.search(r'data-testid="feed-made">([^<]*)<', html).group(1)


def test_the_time_made_is_in_the_persons_zone(org, settings):
    settings.TIME_ZONE = "UTC"
    client = Client()
    client.force_login(org.rep)
    client.post("/me/calendar/regenerate/")
    made = datetime.datetime(2026, 12, 6, 0, 30, tzinfo=datetime.UTC)
    PersonalSettings.objects.filter(user=org.rep).update(calendar_created_at=made)
    assert _made(client) == "Made 2026-12-06 00:30 (UTC time)."
    settings_save(user=org.rep, time_zone="Asia/Tokyo", deliveries={})
    assert _made(client) == "Made 2026-12-06 09:30 (Asia/Tokyo time)."

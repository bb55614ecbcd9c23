"""The executive accepts a meeting, but the time typed has passed (or the minutes are
out of range): the page says why and keeps the day, time, minutes and place typed, to
correct, instead of a blank form (the place had to be typed again)."""

import pytest

from keyplan.plans.choices import MeetingStatus
from tests.plans.test_executive_meeting_pages import text
from tests.plans.test_executive_meeting_requests import ask, days, paired  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_refused_acceptance_keeps_what_was_typed(paired, client):  # noqa: F811
    meeting = ask(paired)
    client.force_login(paired.executive)
    response = client.post(
        f"/executive-meetings/{meeting.pk}/respond/",
        {
            "decision": "accept",
            "version": meeting.version,
            "day": days(-3).isoformat(),
            "time": "14:30",
            "minutes": 45,
            "place": "Their HQ, Oslo",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "has passed: choose a time ahead." in text(response)
    assert 'value="Their HQ, Oslo"' in page
    assert f'value="{days(-3).isoformat()}"' in page
    assert 'value="14:30"' in page and 'value="45"' in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED and meeting.place == ""

    # Corrected on the same form: accepted.
    response = client.post(
        f"/executive-meetings/{meeting.pk}/respond/",
        {
            "decision": "accept",
            "version": meeting.version,
            "day": days(5).isoformat(),
            "time": "14:30",
            "minutes": 45,
            "place": "Their HQ, Oslo",
        },
        follow=True,
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED and meeting.place == "Their HQ, Oslo"

"""Once the executive has accepted a meeting, it is theirs to move (accept again with a
new day, time or place) or to cancel with a reason — the asker is told and the calendars
drop it. "Decline" is for a request not yet answered, and is no longer offered."""

import re

import pytest

from keyplan.plans import services
from keyplan.plans.choices import MeetingStatus
from keyplan.plans.models import Notification
from tests.plans.test_executive_meeting_requests import ask, at, days, paired  # noqa: F401

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_a_request_not_yet_answered_is_accepted_or_declined(paired, client):  # noqa: F811
    meeting = ask(paired)
    client.force_login(paired.executive)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="meeting-accept-form"' in html
    assert 'data-testid="meeting-decline"' in html
    assert "Cancel the meeting" not in html


def test_an_accepted_meeting_is_moved_or_cancelled_not_declined(paired, client):  # noqa: F811
    meeting = ask(paired)
    meeting = services.meeting_accept(
        meeting=meeting, user=paired.executive, starts_at=at(days(12), 15), place="Oslo"
    )
    client.force_login(paired.executive)
    page = client.get(meeting.get_absolute_url())
    html, words = page.content.decode(), text(page)
    assert "Move the meeting" in words and "Move it" in words
    assert "Cancel the meeting" in words
    assert "Decline" not in words and 'data-testid="meeting-decline"' not in html

    response = client.post(
        f"/executive-meetings/{meeting.pk}/respond/",
        {"decision": "decline", "reason": "", "version": meeting.version},
        follow=True,
    )
    assert "Say why you cancel" in text(response)  # a reason is needed; nothing changed
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED

    response = client.post(
        f"/executive-meetings/{meeting.pk}/respond/",
        {"decision": "decline", "reason": "Board week moved.", "version": meeting.version},
        follow=True,
    )
    after = text(response)
    assert "Cancelled: the asker is told why, and the calendars drop it." in after
    assert "Cancelled because Board week moved." in after
    assert re.search(r'data-testid="meeting-status">Cancelled<', response.content.decode())
    meeting.refresh_from_db()
    assert (meeting.status, meeting.interaction_id) == (MeetingStatus.DECLINED, None)
    told = Notification.objects.filter(recipient=paired.manager).order_by("-pk").first()
    assert told.text.startswith(
        "Eve Ekman cancelled the executive meeting at Mine Group planned for "
    )
    assert told.text.endswith(": Board week moved.")
    # Nothing left to do on it: neither move nor cancel.
    again = text(client.get(meeting.get_absolute_url()))
    assert "Move the meeting" not in again and "Cancel the meeting" not in again

"""An accepted executive meeting reaches calendars: it is in the feeds of the executive,
the asker and the plan's owner as a timed meeting with a stable UID (once, not again as
the planned interaction it also is), and it is sent by email as an invitation
(METHOD:REQUEST) to the executive and the asker, with the same UID; moving it sends it
again with a higher SEQUENCE; withdrawing it sends METHOD:CANCEL and takes it out of
the feeds. Through a real SMTP server (aiosmtpd)."""

import pytest

from keyplan.plans import services
from keyplan.rhythm.feed import site_host
from keyplan.rhythm.services import settings_save
from tests.plans.test_executive_meeting_requests import ask, at, days, paired  # noqa: F401
from tests.reviews.test_sitting_invitations import _invitation
from tests.rhythm.conftest import body, smtp  # noqa: F401
from tests.rhythm.feed_helpers import events

pytestmark = pytest.mark.django_db


def test_the_meeting_in_the_feeds(paired):  # noqa: F811
    meeting = ask(paired)
    meeting = services.meeting_accept(
        meeting=meeting, user=paired.executive, starts_at=at(days(10), 15), place="Oslo"
    )
    uid = f"executive-meeting-request-{meeting.pk}@{site_host()}"
    for person in (paired.executive, paired.manager, paired.rep):
        found = events(person)
        assert uid in found, person
        event = found[uid]
        assert event.decoded("DTSTART") == at(days(10), 15)
        assert event.decoded("DTEND") == at(days(10), 16)
        assert str(event["SUMMARY"]) == "Executive meeting: Eve Ekman with Carl Chief (Mine Group)"
        assert "Where: Oslo" in str(event["DESCRIPTION"])
        # Not a second, all-day event for the planned interaction behind it.
        assert not [u for u in found if u.startswith("executive-meeting-") and u != uid]
    assert uid not in events(paired.rep2)
    services.meeting_withdraw(meeting=meeting, user=paired.manager)
    assert uid not in events(paired.executive) and uid not in events(paired.rep)


def test_invitations_follow_the_meeting(paired, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    meeting = ask(paired)
    assert smtp.envelopes == []  # asking notifies; the calendar waits for a date
    settings_save(user=paired.rep, time_zone="", deliveries={"meetings": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_accept(
            meeting=meeting, user=paired.executive, starts_at=at(days(10), 15), place="Oslo"
        )
    uid = f"executive-meeting-request-{meeting.pk}@keyplan.example.com"
    [to_exec] = [m for m in smtp.to("exec@example.com") if "Invitation" in m["Subject"]]
    [to_manager] = smtp.to("manager@example.com")
    assert (
        to_manager["Subject"]
        .strip()
        .startswith("Invitation: Executive meeting: Eve Ekman with Carl Chief (Mine Group) — ")
    )
    method, event = _invitation(to_manager)
    assert method == "REQUEST" and str(event["UID"]) == uid  # the feed's UID
    assert event.decoded("DTSTART") == at(days(10), 15)
    assert str(event["ORGANIZER"]) == "mailto:exec@example.com"
    assert str(event["ATTENDEE"]) == "mailto:manager@example.com"  # the one attendee
    text = body(to_manager.get_body(("plain",)))
    assert "Purpose: Agree the three-year roadmap with Carl" in text
    assert f"https://keyplan.example.com/executive-meetings/{meeting.pk}/briefing/" in text
    assert _invitation(to_exec)[0] == "REQUEST"
    assert smtp.to("rep@example.com") == []  # the owner is told in the inbox and the feed

    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_accept(
            meeting=meeting, user=paired.executive, starts_at=at(days(11), 9)
        )
    method, event = _invitation(smtp.to("manager@example.com")[-1])
    assert method == "REQUEST" and int(event["SEQUENCE"]) > 1
    assert event.decoded("DTSTART") == at(days(11), 9)

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_withdraw(meeting=meeting, user=paired.manager, reason="Reorg")
    [cancelled] = [m for m in smtp.to("exec@example.com") if "Cancelled" in m["Subject"]]
    method, event = _invitation(cancelled)
    assert method == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid
    assert cancelled["Subject"].strip().startswith("Cancelled: ")
    assert "Withdrawn: Reorg" in body(cancelled.get_body(("plain",)))

"""A scheduled sitting is sent by email as a calendar invitation (METHOD:REQUEST) to
the rep, the chairing manager and the team of a plan on the agenda — the team member
told only of the plan they are on; a move sends it again with a higher SEQUENCE, a
cancellation sends METHOD:CANCEL; a person who turned review invitations off gets none,
and nothing is sent twice. Through a real SMTP server (aiosmtpd)."""

import datetime

import icalendar
import pytest

from keyplan.reviews import services
from keyplan.rhythm.services import settings_save
from keyplan.rhythm.tasks import send_sitting_invitations
from tests.factories import AccountTeamMemberFactory
from tests.reviews.conftest import MON, Q1, at
from tests.rhythm.conftest import smtp  # noqa: F401  (the SMTP server fixture)

pytestmark = pytest.mark.django_db


def _invitation(message):
    """(the iTIP method, the VEVENT) of an invitation email's text/calendar part."""
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    cal = icalendar.Calendar.from_ical(part.get_content())
    [event] = cal.walk("VEVENT")
    return str(cal["METHOD"]), event


def test_invitations_follow_the_sitting(team, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    AccountTeamMemberFactory(account=team.atlas, user=team.rep2)
    team.plan_atlas.team.add(team.rep2)
    with django_capture_on_commit_callbacks(execute=True):
        sitting = services.sitting_schedule(
            user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9)
        )
    [to_rep] = smtp.to("rep@example.com")
    subject = to_rep["Subject"].strip()
    assert subject.startswith(f"Invitation: Quarterly review: {team.rep} · 2 plans")
    method, event = _invitation(to_rep)
    assert method == "REQUEST"
    assert event.decoded("DTSTART") == at(MON, 9) and event.decoded("DTEND") == at(MON, 10)
    assert str(event["UID"]) == f"review-{sitting.pk}@keyplan.example.com"  # the feed's UID
    assert str(event["ORGANIZER"]) == "mailto:manager@example.com"
    invited = {str(a) for a in event["ATTENDEE"]}
    assert invited == {"mailto:rep@example.com", "mailto:rep2@example.com"}
    assert (
        "Open it in keyplan: https://keyplan.example.com/reviews/"
        in to_rep.get_body(("plain",)).get_content()
    )
    assert len(smtp.to("manager@example.com")) == 1
    [to_member] = smtp.to("rep2@example.com")
    _method, theirs = _invitation(to_member)
    assert "Atlas Freight" in str(theirs["DESCRIPTION"])
    assert "Mine Group" not in str(theirs["DESCRIPTION"])  # not on that plan's team
    assert smtp.to("other@example.com") == [] and smtp.to("exec@example.com") == []

    send_sitting_invitations.enqueue(sitting.pk)  # run again: nothing new
    assert len(smtp.envelopes) == 3

    settings_save(user=team.rep2, time_zone="", deliveries={"reviews": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.sitting_update(
            sitting=sitting,
            user=team.manager,
            version=sitting.version,
            starts_at=at(MON + datetime.timedelta(days=1), 14),
            minutes=60,
        )
    [_first, again] = smtp.to("rep@example.com")
    method, event = _invitation(again)
    assert method == "REQUEST" and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == at(MON + datetime.timedelta(days=1), 14)
    assert len(smtp.to("rep2@example.com")) == 1  # turned review invitations off

    with django_capture_on_commit_callbacks(execute=True):
        services.sitting_cancel(sitting=moved, user=team.manager, version=moved.version)
    method, event = _invitation(smtp.to("rep@example.com")[-1])
    assert method == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert smtp.to("rep@example.com")[-1]["Subject"].strip().startswith("Cancelled: ")

"""Calendar invitations by email (iCalendar, RFC 5546 iTIP): a quarterly review sitting
is sent to the people who attend it (the chairing manager too, whose calendar keyplan
fills as it does everyone's) as METHOD:REQUEST when it is scheduled or changed,
and METHOD:CANCEL when it is cancelled, so Outlook, Google Calendar and Apple Calendar
put it in (or take it out of) their calendars. The event's UID and SEQUENCE are the
calendar feed's (``rhythm.feed``), so a person who also subscribes to the feed sees one
event, not two.

Who is invited: the rep and the chairing manager (the whole agenda), and the teams of
the plans on the agenda (only the plans each may see and is on). Each person's choice
for "review invitations" is honoured (off: no email); an invitation is never held for
the digest, as a calendar needs it before the meeting. Each version of a sitting is
sent to each person once (``SentEmail``), so a task run twice sends nothing twice.

An accepted executive meeting request (``plans.services.meetings``) is sent the same way
to the executive asked and the asker (``send_meeting_invitations``), as each chose for
"executive meeting requests"."""

import datetime
import logging

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from keyplan.core import words
from keyplan.rhythm.choices import Delivery, EmailKind
from keyplan.rhythm.feed import (
    Person,
    _address,
    _plan_url,
    _sitting_item,
    absolute,
    site_host,
)
from keyplan.rhythm.services import settings_for

logger = logging.getLogger("keyplan.email")


def invitation_ics(item, *, method: str, attendees) -> bytes:
    """One VEVENT of ``item`` (a timed feed item) as an iTIP message."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//keyplan//Review invitation//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", f"{item.kind}-{item.pk}@{site_host()}")
    event.add("dtstamp", timezone.now().replace(microsecond=0))
    event.add("dtstart", item.starts.astimezone(datetime.UTC).replace(microsecond=0))
    event.add("dtend", item.ends.astimezone(datetime.UTC).replace(microsecond=0))
    event.add("sequence", max(item.sequence, 0))
    event.add("summary", item.summary)
    event.add("description", item.description)
    event.add("url", absolute(item.url))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = _address(item.organizer)
    if organizer is not None:
        event.add("organizer", organizer)
    for person in attendees:
        address = _address(person)
        if address is not None:
            address.params["ROLE"] = "REQ-PARTICIPANT"
            address.params["PARTSTAT"] = "NEEDS-ACTION"
            address.params["RSVP"] = "TRUE"
            event.add("attendee", address)
    cal.add_component(event)
    return cal.to_ical()


def _guests(sitting) -> list[tuple]:
    """(person, the plans they are told of, the link) for everyone invited."""
    from keyplan.plans.models import AccountPlan

    agenda = [i.plan for i in sitting.items.select_related("plan__account").order_by("order")]
    guests = {
        sitting.rep_id: (sitting.rep, agenda, sitting.get_absolute_url()),
        sitting.manager_id: (sitting.manager, agenda, sitting.get_absolute_url()),
    }
    members = AccountPlan.team.through.objects.filter(
        accountplan_id__in=[p.pk for p in agenda]
    ).select_related("user")
    for m in members:
        if m.user_id in guests or not m.user.is_active:
            continue
        seen = set(
            AccountPlan.objects.visible_to(m.user)
            .filter(pk__in=[p.pk for p in agenda], team=m.user)
            .values_list("pk", flat=True)
        )
        plans = [p for p in agenda if p.pk in seen]
        if plans:
            guests[m.user_id] = (m.user, plans, _plan_url(plans[0].pk, ""))
    return list(guests.values())


def send_sitting_invitations(sitting_id: int) -> int:
    """Send the sitting as it now is to everyone invited; the number of emails sent."""
    from keyplan.reviews.choices import SittingStatus
    from keyplan.reviews.models import ReviewSitting
    from keyplan.rhythm.mail import _claim, _greeting

    sitting = ReviewSitting.objects.select_related("rep", "manager").filter(pk=sitting_id).first()
    if sitting is None:
        return 0
    method = "CANCEL" if sitting.status == SittingStatus.CANCELLED else "REQUEST"
    guests = _guests(sitting)
    everyone = [person for person, _plans, _url in guests]
    sent = 0
    for person, plans, url in guests:
        if not person.email:
            continue
        if settings_for(person).delivery(EmailKind.REVIEWS) == Delivery.OFF:
            continue
        key = f"review-{sitting.pk}-v{sitting.version}"
        if _claim(person, key) is None:
            continue  # this version already went to them
        item = _sitting_item(sitting, plans, url)
        attendees = [Person.of(p) for p in everyone if p.pk != sitting.manager_id]  # not the chair
        ics = invitation_ics(item, method=method, attendees=attendees)
        when = words.moment(sitting.starts_at)
        verb = "Cancelled" if method == "CANCEL" else "Invitation"
        subject = f"{verb}: {item.summary} — {when}"
        body = _greeting(person)
        body += f"{item.summary}\n{when}, {sitting.minutes} minutes.\n{item.description}\n\n"
        body += f"Open it in keyplan: {absolute(url)}\n"
        if _send_invitation(person, key, subject, body, ics, method, "review"):
            sent += 1
    return sent


def _send_invitation(
    person, key: str, subject: str, body: str, ics: bytes, method: str, what: str
) -> bool:
    """Email one invitation (or cancellation) with its calendar part; whether it went.
    A failed send is logged and its claim on ``key`` released, so it is tried again."""
    message = EmailMultiAlternatives(
        subject=words.shortened(" ".join(subject.split()), 120),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
    message.attach_alternative(ics.decode(), f"text/calendar; method={method}")
    message.attach("invite.ics", ics, "application/ics")
    try:
        message.send()
    except Exception:
        logger.exception("Sending the %s invitation %s to %s failed.", what, key, person)
        from keyplan.rhythm.models import SentEmail

        SentEmail.objects.filter(recipient=person, key=key).delete()  # tried again
        return False
    return True


def send_meeting_invitations(meeting_id: int) -> int:
    """Send an executive meeting request, as it now is, to the executive asked and the
    asker: the invitation once accepted (again when moved), the cancellation once
    declined or withdrawn after that. Each person's choice for "executive meeting
    requests" is honoured (off: no email); each version goes to each person once. The
    UID and SEQUENCE are the calendar feed's. The email links to the request's page,
    which the executive may open even without seeing the account, and names the
    briefing only to those who may read the plan."""
    from keyplan.plans.choices import MeetingStatus
    from keyplan.plans.models import AccountPlan, ExecutiveMeetingRequest
    from keyplan.rhythm.feed import meeting_item
    from keyplan.rhythm.mail import _claim, _greeting

    meeting = (
        ExecutiveMeetingRequest.objects.select_related("plan__account", "executive", "asked_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.starts_at is None:
        return 0
    if meeting.status == MeetingStatus.ACCEPTED:
        method = "REQUEST"
    elif meeting.status in (MeetingStatus.DECLINED, MeetingStatus.WITHDRAWN):
        method = "CANCEL"
    else:
        return 0  # held: nothing changes in anyone's calendar
    item = meeting_item(meeting)
    people = [p for p in (meeting.executive, meeting.asked_by) if p is not None]
    people = list({p.pk: p for p in people}.values())
    attendees = [Person.of(p) for p in people if p.pk != meeting.executive_id]
    sent = 0
    for person in people:
        if not person.email or not person.is_active:
            continue
        if settings_for(person).delivery(EmailKind.MEETINGS) == Delivery.OFF:
            continue
        key = f"meeting-{meeting.pk}-v{meeting.version}"
        if _claim(person, key) is None:
            continue  # this version already went to them
        ics = invitation_ics(item, method=method, attendees=attendees)
        when = words.moment(meeting.starts_at)
        verb = "Cancelled" if method == "CANCEL" else "Invitation"
        subject = f"{verb}: {item.summary} — {when}"
        sees_plan = AccountPlan.objects.visible_to(person).filter(pk=meeting.plan_id).exists()
        body = _greeting(person)
        body += f"{item.summary}\n{when}, {meeting.minutes} minutes."
        body += f"\nWhere: {meeting.place}" if meeting.place else ""
        if method == "CANCEL" and meeting.reason:
            body += f"\n{meeting.status_label}: {meeting.reason}"
        body += f"\n\nPurpose: {meeting.purpose}\n\n"
        if sees_plan:
            briefing = absolute(reverse("meeting_briefing", args=[meeting.pk]))
            body += f"The briefing, drawn from the plan as it is when you open it: {briefing}\n"
        body += f"Open it in keyplan: {absolute(item.url)}\n"
        if _send_invitation(person, key, subject, body, ics, method, "meeting"):
            sent += 1
    return sent

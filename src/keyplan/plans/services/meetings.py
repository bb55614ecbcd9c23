"""Executive meeting requests (issue 17): a first-line manager, the plan's owner or
sales operations asks one of our executives to meet the customer's leaders on a
strategic account; the executive accepts with a date and time (and a place), or declines
with a reason; the asker may withdraw it; once it took place it is recorded held, with
what was said.

Accepting records the meeting as a *planned* executive interaction with the customer's
people, our executive, the plan's owner and the asker (``accounts.Interaction`` flagged
executive), so the executive program shows it planned at once and counts it held once
its day has passed; it reaches the calendars (``rhythm.feed``) and is sent as an
invitation (``rhythm.invitations``). Declining or withdrawing an accepted meeting takes
the planned interaction away and sends the cancellation.

Who may do what is decided in ``plans.permissions``; every refusal changes nothing."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.core import words
from keyplan.people.choices import Role
from keyplan.plans import audit
from keyplan.plans.choices import ChangeAction, MeetingStatus
from keyplan.plans.models import AccountPlan, ExecutiveMeetingRequest
from keyplan.plans.permissions import (
    MEETING_EXECUTIVE_ROLES,
    meeting_answer_refusal,
    meeting_ask_refusal,
    meeting_withdraw_refusal,
)
from keyplan.plans.services.common import check_version, plan_subtree_ids, raise_if

SUBJECT = "meeting"
MAX_PURPOSE = 2000
MIN_MINUTES, MAX_MINUTES = 15, 600
# A wished window further out than this is a typo, not a plan.
MAX_WINDOW_DAYS = 366


def _require(reason: str | None) -> None:
    if reason:
        raise PermissionDenied(reason)


def _locked(meeting: ExecutiveMeetingRequest) -> ExecutiveMeetingRequest:
    return (
        ExecutiveMeetingRequest.objects.select_for_update(of=("self",))
        .select_related("plan__account", "plan__owner__team", "executive", "asked_by")
        .get(pk=meeting.pk)
    )


def _notify(recipients, text: str, meeting, *, email: bool = True) -> None:
    from keyplan.rhythm.choices import EmailKind
    from keyplan.rhythm.mail import notify

    # No plan on the notification: the executive asked may not see the account, yet the
    # request is theirs to read (its page is keyed on them), and the text says no more.
    notify(
        recipients=recipients,
        text=text,
        url=meeting.get_absolute_url(),
        kind=EmailKind.MEETINGS,
        email=email,
    )


def _invite(meeting) -> None:
    """Once committed, the meeting as it now is goes to the executive and the asker as a
    calendar invitation (a cancellation once declined or withdrawn)."""
    from keyplan.rhythm.tasks import send_meeting_invitations

    pk = meeting.pk
    transaction.on_commit(lambda: send_meeting_invitations.enqueue(pk))


def contacts_in_words(meeting) -> str:
    return words.names(meeting.contacts.all())


@transaction.atomic
def meeting_request(
    *,
    plan: AccountPlan,
    user,
    purpose: str,
    wished_from: datetime.date,
    wished_until: datetime.date,
    executive=None,
    contacts=None,
    pairing=None,
    today: datetime.date | None = None,
) -> ExecutiveMeetingRequest:
    """Ask ``executive`` (by default the pairing's) to meet ``contacts`` (by default the
    pairing's customer executive) of the plan's account within the wished window."""
    if not AccountPlan.objects.visible_to(user).filter(pk=plan.pk).exists():
        raise PermissionDenied("You cannot see this plan.")
    _require(meeting_ask_refusal(user, plan))
    today = today or timezone.localdate()
    errors: dict = {}
    if pairing is not None:
        if pairing.plan_id != plan.pk:
            errors.setdefault("pairing", []).append("That pairing belongs to another plan.")
        else:
            executive = executive or pairing.our_executive
            contacts = contacts or [pairing.their_executive]
    contacts = list(contacts or [])
    if executive is None:
        errors.setdefault("executive", []).append("Choose the executive to ask.")
    elif not executive.is_active:
        errors.setdefault("executive", []).append(f"{executive} no longer uses keyplan.")
    elif not (executive.is_superuser or executive.role in MEETING_EXECUTIVE_ROLES):
        errors.setdefault("executive", []).append(
            f"{executive} is not an executive or manager: ask one of our leaders."
        )
    elif executive.pk == user.pk:
        errors.setdefault("executive", []).append(
            "You would be asking yourself: plan the meeting with the customer directly."
        )
    if not contacts:
        errors.setdefault("contacts", []).append("Choose whom of the customer's to meet.")
    else:
        at_account = plan_subtree_ids(plan)
        elsewhere = [c for c in contacts if c.account_id not in at_account]
        if elsewhere:
            errors.setdefault("contacts", []).append(
                f"{words.names(elsewhere)} work at another account."
            )
    purpose = (purpose or "").strip()
    if not purpose:
        errors.setdefault("purpose", []).append(
            "Say what the meeting is for, so the executive can decide and prepare."
        )
    elif len(purpose) > MAX_PURPOSE:
        errors.setdefault("purpose", []).append(
            f"Keep the purpose to {MAX_PURPOSE:,} characters (it has {len(purpose):,}); "
            "the briefing brings the plan."
        )
    if wished_from is None or wished_until is None:
        errors.setdefault("wished_until", []).append("Give the window: from and by which day.")
    elif wished_until < wished_from:
        errors.setdefault("wished_until", []).append(
            f"The window cannot end on {words.day(wished_until)}, before it starts "
            f"({words.day(wished_from)})."
        )
    elif wished_until < today:
        errors.setdefault("wished_until", []).append(
            f"The window ended on {words.day(wished_until)}: choose days ahead."
        )
    elif (wished_until - today).days > MAX_WINDOW_DAYS:
        errors.setdefault("wished_until", []).append(
            f"{words.day(wished_until)} is more than a year ahead: ask nearer the time."
        )
    if executive is not None and not errors:
        # Asking the same executive again to meet the same people before they answered
        # is a double click or an impatient reminder, not a second meeting.
        waiting = (
            ExecutiveMeetingRequest.objects.filter(
                plan=plan,
                executive=executive,
                status=MeetingStatus.REQUESTED,
                contacts__in=contacts,
            )
            .order_by("asked_at")
            .first()
        )
        if waiting is not None:
            errors.setdefault("executive", []).append(
                f"{executive} has not answered the request of "
                f"{words.day(timezone.localdate(waiting.asked_at))} to meet "
                f"{contacts_in_words(waiting)} yet: withdraw that one first, or wait for "
                "the answer."
            )
    raise_if(errors)
    meeting = ExecutiveMeetingRequest.objects.create(
        plan=plan,
        pairing=pairing,
        executive=executive,
        purpose=purpose,
        wished_from=wished_from,
        wished_until=wished_until,
        asked_by=user,
    )
    meeting.contacts.set(contacts)
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED,
        subject=SUBJECT,
        obj=meeting,
        label=f"{executive} with {words.names(contacts)}",
        changes={
            "executive": [None, str(executive)],
            "contacts": [None, audit._plain(contacts)],
            "wished_until": [None, wished_until.isoformat()],
        },
    )
    _notify(
        [executive],
        f"{user} asks you to meet {words.names(contacts)} of {plan.account} between "
        f"{words.day(wished_from)} and {words.day(wished_until)}: "
        f"{words.shortened(purpose, 160)}",
        meeting,
    )
    return meeting


def _check_open(meeting, verb: str) -> None:
    if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED):
        raise ValidationError(
            {
                "status": [
                    f"This request was {meeting.get_status_display().lower()}: it cannot be "
                    f"{verb}. Ask again with a new request."
                ]
            }
        )


def _check_archived(meeting) -> None:
    if meeting.plan.is_archived:
        raise PermissionDenied("This plan is archived: it can be read but no longer changed.")


def _save(meeting, user, changes: dict, action=ChangeAction.DECIDED) -> None:
    meeting.version += 1
    meeting.save()
    audit.record(
        plan=meeting.plan,
        user=user,
        action=action,
        subject=SUBJECT,
        obj=meeting,
        label=f"{meeting.executive} with {contacts_in_words(meeting)}",
        changes=changes,
    )


def _planned_interaction(meeting) -> None:
    """The accepted meeting as a planned executive interaction (created, or moved to the
    new day): what the executive program and the account's history read."""
    from keyplan.accounts.choices import InteractionKind
    from keyplan.accounts.models import Interaction

    day = timezone.localdate(meeting.starts_at)
    meeting_with = f"Executive meeting: {words.shortened(meeting.purpose, 150)}"
    if meeting.interaction_id:
        Interaction.objects.filter(pk=meeting.interaction_id).update(
            date=day, version=meeting.interaction.version + 1
        )
        return
    interaction = Interaction.objects.create(
        account=meeting.plan.account,
        kind=InteractionKind.MEETING,
        date=day,
        subject=meeting_with[:200],
        is_executive=True,
    )
    interaction.contacts.set(meeting.contacts.all())
    ours = [meeting.executive, meeting.plan.owner, meeting.asked_by]
    interaction.participants.set([p for p in ours if p is not None])
    meeting.interaction = interaction


def _drop_interaction(meeting) -> None:
    """A planned meeting that will not take place is no longer planned."""
    if meeting.interaction_id:
        interaction = meeting.interaction
        meeting.interaction = None
        interaction.delete()


@transaction.atomic
def meeting_accept(
    *,
    meeting: ExecutiveMeetingRequest,
    user,
    starts_at: datetime.datetime,
    minutes: int = 60,
    place: str = "",
    version=None,
) -> ExecutiveMeetingRequest:
    """The executive asked accepts with a date and time (and a place or link); accepting
    again moves the meeting (the calendars follow)."""
    meeting = _locked(meeting)
    _require(meeting_answer_refusal(user, meeting))
    _check_archived(meeting)
    check_version(meeting, version, subject=SUBJECT)
    _check_open(meeting, "accepted")
    errors: dict = {}
    if starts_at is None:
        errors.setdefault("starts_at", []).append("Give the day and time of the meeting.")
    elif timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at is not None and starts_at <= timezone.now():
        errors.setdefault("starts_at", []).append(
            f"{words.moment(starts_at)} has passed: choose a time ahead."
        )
    if minutes is None or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors.setdefault("minutes", []).append(
            f"A meeting of {minutes} minutes? Give {MIN_MINUTES} to {MAX_MINUTES} minutes."
        )
    place = (place or "").strip()
    if len(place) > 255:
        errors.setdefault("place", []).append(
            f"Keep the place or link to 255 characters (it has {len(place):,})."
        )
    raise_if(errors)
    before = (meeting.status, meeting.starts_at)
    meeting.status = MeetingStatus.ACCEPTED
    meeting.starts_at = starts_at.replace(microsecond=0)
    meeting.minutes = minutes
    meeting.place = place
    meeting.answered_at = timezone.now()
    _planned_interaction(meeting)
    _save(
        meeting,
        user,
        {
            "status": [before[0], MeetingStatus.ACCEPTED],
            "starts_at": [audit._plain(before[1]), audit._plain(meeting.starts_at)],
        }
        | ({"place": ["", place]} if place else {}),
    )
    when = words.moment(meeting.starts_at)
    moved = before[0] == MeetingStatus.ACCEPTED
    where = f", {place}." if place else "."
    if moved:
        text = owner_text = (
            f"{user} moved the executive meeting at {meeting.plan.account} to {when}{where}"
        )
    else:
        text = f"{user} accepted your request to meet at {meeting.plan.account}: {when}{where}"
        # The plan's owner did not ask (the asker did): "your request" would be wrong.
        whose = f"{meeting.asked_by}'s request" if meeting.asked_by_id else "the request"
        owner_text = f"{user} accepted {whose} to meet at {meeting.plan.account}: {when}{where}"
    # The asker gets the calendar invitation by email; the plan's owner hears of it here.
    _notify([meeting.asked_by], text, meeting, email=False)
    if meeting.plan.owner_id not in (meeting.asked_by_id, user.pk):
        _notify([meeting.plan.owner], owner_text, meeting)
    _invite(meeting)
    return meeting


@transaction.atomic
def meeting_decline(
    *, meeting: ExecutiveMeetingRequest, user, reason: str, version=None
) -> ExecutiveMeetingRequest:
    """The executive asked declines, with a reason; an accepted meeting that has not
    taken place yet is cancelled the same way (its page offers "Cancel the meeting", not
    "Decline", once accepted): the asker is told why and the calendars drop it. It stays
    recorded declined, with its time (``status_label``: "Cancelled")."""
    meeting = _locked(meeting)
    _require(meeting_answer_refusal(user, meeting))
    _check_archived(meeting)
    check_version(meeting, version, subject=SUBJECT)
    _check_open(meeting, "declined")
    _check_not_past(meeting, "declined")
    reason = (reason or "").strip()
    if not reason:
        verb = "cancel" if meeting.status == MeetingStatus.ACCEPTED else "decline"
        raise ValidationError({"reason": [f"Say why you {verb}, so the team can plan around it."]})
    was = meeting.status
    meeting.status = MeetingStatus.DECLINED
    meeting.reason = reason[:255]
    meeting.answered_at = timezone.now()
    _drop_interaction(meeting)
    _save(meeting, user, {"status": [was, MeetingStatus.DECLINED], "reason": ["", meeting.reason]})
    if was == MeetingStatus.ACCEPTED:
        text = (
            f"{user} cancelled the executive meeting at {meeting.plan.account} planned for "
            f"{words.moment(meeting.starts_at)}: {meeting.reason}"
        )
    else:
        text = f"{user} declined the executive meeting at {meeting.plan.account}: {meeting.reason}"
    _notify([meeting.asked_by], text, meeting)
    if was == MeetingStatus.ACCEPTED:
        _invite(meeting)
    return meeting


def _check_not_past(meeting, verb: str) -> None:
    if (
        meeting.status == MeetingStatus.ACCEPTED
        and meeting.starts_at is not None
        and meeting.starts_at <= timezone.now()
    ):
        raise ValidationError(
            {
                "status": [
                    f"The meeting was planned for {words.moment(meeting.starts_at)}, which has "
                    f"passed: it cannot be {verb}. Record whether it was held."
                ]
            }
        )


@transaction.atomic
def meeting_withdraw(
    *, meeting: ExecutiveMeetingRequest, user, reason: str = "", version=None
) -> ExecutiveMeetingRequest:
    """Whoever asked (or anyone who may ask on the plan) withdraws the request; an
    accepted meeting that has not taken place yet is cancelled."""
    meeting = _locked(meeting)
    _require(meeting_withdraw_refusal(user, meeting))
    _check_archived(meeting)
    check_version(meeting, version, subject=SUBJECT)
    _check_open(meeting, "withdrawn")
    _check_not_past(meeting, "withdrawn")
    reason = (reason or "").strip()
    was = meeting.status
    meeting.status = MeetingStatus.WITHDRAWN
    meeting.reason = reason[:255]
    _drop_interaction(meeting)
    _save(
        meeting,
        user,
        {"status": [was, MeetingStatus.WITHDRAWN]}
        | ({"reason": ["", meeting.reason]} if reason else {}),
        action=ChangeAction.STATUS,
    )
    _notify(
        [meeting.executive],
        f"{user} withdrew the request to meet at {meeting.plan.account}"
        + (f": {meeting.reason}" if reason else "."),
        meeting,
    )
    if was == MeetingStatus.ACCEPTED:
        _invite(meeting)
    return meeting


@transaction.atomic
def meeting_held(
    *, meeting: ExecutiveMeetingRequest, user, notes: str = "", version=None
) -> ExecutiveMeetingRequest:
    """Once its time has come, the executive or the asker records the meeting held, with
    what was said (kept on the executive interaction, where the plan's history reads it)."""
    meeting = _locked(meeting)
    if user.pk != meeting.executive_id:
        _require(meeting_withdraw_refusal(user, meeting))
    check_version(meeting, version, subject=SUBJECT)
    if meeting.status != MeetingStatus.ACCEPTED:
        raise ValidationError(
            {
                "status": [
                    f"This request is {meeting.get_status_display().lower()}: only an accepted "
                    "meeting is recorded held."
                ]
            }
        )
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            {
                "status": [
                    f"The meeting is planned for {words.moment(meeting.starts_at)}: record it "
                    "held once it has taken place."
                ]
            }
        )
    notes = (notes or "").strip()
    meeting.status = MeetingStatus.HELD
    if meeting.interaction_id and notes:
        from keyplan.accounts.models import Interaction

        Interaction.objects.filter(pk=meeting.interaction_id).update(
            notes=notes, version=meeting.interaction.version + 1
        )
    _save(meeting, user, {"status": [MeetingStatus.ACCEPTED, MeetingStatus.HELD]})
    return meeting


def executives_to_ask(*, user=None, pairing=None):
    """Whom the ask form offers, by name: the company's executives — who see every
    account, so each may read the briefing — and, asking from a pairing, the leader it
    pairs (a manager may be paired on a plan). Not the asker (asking oneself is refused),
    nor managers at large: the owner's own manager is who asks, not whom to ask. (The
    service still accepts any executive or manager, as the API's callers and the pairings
    do.)"""
    from django.db.models import Q

    from keyplan.people.models import User

    offered = Q(role=Role.EXECUTIVE)
    if pairing is not None:
        offered |= Q(pk=pairing.our_executive_id)
    found = User.objects.filter(offered, is_active=True)
    if user is not None:
        found = found.exclude(pk=user.pk)
    return found.order_by("last_name", "first_name", "username")

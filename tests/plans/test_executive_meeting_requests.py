"""Executive meeting requests (issue 17, point 2): a first-line manager asks our
executive to meet the customer's leader on a strategic account; only that executive
answers (accept with a date, or decline with a reason); a stale answer is refused; a
declined request stays declined; accepting records a planned executive interaction, so
the executive program shows it planned at once; withdrawing takes it away again."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from keyplan.accounts.models import Interaction
from keyplan.plans import services
from keyplan.plans.choices import MeetingStatus
from keyplan.plans.executive_program import executive_program
from keyplan.plans.models import ExecutiveMeetingRequest, ExecutivePairing, Notification
from keyplan.plans.relationships import relationship_map
from keyplan.plans.services.common import EditConflict
from tests.factories import AccountTeamMemberFactory, ContactFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def paired(org):
    """The rep's plan for Mine Group pairing our executive (Eve Ekman) with its CEO
    (Carl Chief), never met."""
    org.executive.first_name, org.executive.last_name = "Eve", "Ekman"
    org.executive.email = "exec@example.com"
    org.executive.save()
    org.ceo = ContactFactory(account=org.mine, first_name="Carl", last_name="Chief", title="CEO")
    org.plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=days(-30),
        period_end=days(335),
        revenue_goal=Decimal("1000000"),
    )
    org.pairing = services.element_save(
        kind="pairing",
        plan=org.plan,
        user=org.rep,
        our_executive=org.executive,
        their_executive=org.ceo,
        cadence_days=91,
    )
    return org


def ask(org, user=None, **extra):
    values = {
        "plan": org.plan,
        "user": user or org.manager,
        "pairing": org.pairing,
        "purpose": "Agree the three-year roadmap with Carl before the budget round.",
        "wished_from": days(3),
        "wished_until": days(30),
    } | extra
    return services.meeting_request(**values)


def test_who_may_ask(paired):
    for user in (paired.manager, paired.rep, paired.ops):
        meeting = ask(paired, user=user)
        assert meeting.executive == paired.executive
        assert list(meeting.contacts.all()) == [paired.ceo]
        services.meeting_withdraw(meeting=meeting, user=user)
    AccountTeamMemberFactory(account=paired.mine, user=paired.rep2)
    with pytest.raises(PermissionDenied, match="Only the plan's owner, their manager"):
        ask(paired, user=paired.rep2)  # on the account team, but the owner asks
    with pytest.raises(PermissionDenied, match="Only the plan's owner, their manager"):
        ask(paired, user=paired.executive)  # executives answer; the team asks
    with pytest.raises(PermissionDenied, match="cannot see this plan"):
        ask(paired, user=paired.other)
    assert ExecutiveMeetingRequest.objects.filter(status=MeetingStatus.REQUESTED).count() == 0


def test_the_executive_is_told(paired):
    meeting = ask(paired)
    [note] = Notification.objects.filter(recipient=paired.executive)
    assert note.url == f"/executive-meetings/{meeting.pk}/"
    assert f"{paired.manager} asks you to meet Carl Chief of Mine Group between" in note.text
    assert "Agree the three-year roadmap" in note.text


def test_bad_requests_say_why_and_change_nothing(paired):
    with pytest.raises(ValidationError) as refused:
        ask(paired, purpose="  ", wished_from=days(20), wished_until=days(10))
    errors = refused.value.message_dict
    assert errors["purpose"] == [
        "Say what the meeting is for, so the executive can decide and prepare."
    ]
    assert "before it starts" in errors["wished_until"][0]
    elsewhere = ContactFactory(account=paired.theirs, first_name="Tom", last_name="Top")
    with pytest.raises(ValidationError, match="Tom Top work at another account"):
        ask(paired, pairing=None, executive=paired.executive, contacts=[elsewhere])
    with pytest.raises(ValidationError, match="is not an executive or manager"):
        ask(paired, pairing=None, executive=paired.rep2, contacts=[paired.ceo])
    ask(paired)
    with pytest.raises(ValidationError, match="has not answered the request of"):
        ask(paired)
    assert ExecutiveMeetingRequest.objects.count() == 1


def test_only_the_executive_asked_answers(paired):
    meeting = ask(paired)
    for user in (paired.manager, paired.ops, paired.rep):
        with pytest.raises(PermissionDenied, match="Only Eve Ekman answers this request"):
            services.meeting_accept(meeting=meeting, user=user, starts_at=at(days(10), 10))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED and meeting.interaction is None


def test_a_stale_answer_is_refused(paired):
    meeting = ask(paired)
    loaded = meeting.version
    services.meeting_accept(
        meeting=meeting, user=paired.executive, starts_at=at(days(10), 10), version=loaded
    )
    with pytest.raises(EditConflict, match="Eve Ekman saved this executive meeting request"):
        services.meeting_decline(
            meeting=meeting, user=paired.executive, reason="Travelling", version=loaded
        )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED


def test_a_declined_request_cannot_be_accepted(paired):
    meeting = ask(paired)
    with pytest.raises(ValidationError, match="Say why you decline"):
        services.meeting_decline(meeting=meeting, user=paired.executive, reason=" ")
    services.meeting_decline(meeting=meeting, user=paired.executive, reason="Board week.")
    with pytest.raises(ValidationError, match="This request was declined: it cannot be accepted"):
        services.meeting_accept(meeting=meeting, user=paired.executive, starts_at=at(days(9), 9))
    meeting.refresh_from_db()
    assert (meeting.status, meeting.reason, meeting.starts_at) == ("declined", "Board week.", None)
    [told] = Notification.objects.filter(recipient=paired.manager)
    assert told.text == "Eve Ekman declined the executive meeting at Mine Group: Board week."


def test_a_time_that_has_passed_is_refused(paired):
    meeting = ask(paired)
    with pytest.raises(ValidationError, match="has passed: choose a time ahead"):
        services.meeting_accept(meeting=meeting, user=paired.executive, starts_at=at(days(-1), 10))
    with pytest.raises(ValidationError, match="A meeting of 5 minutes"):
        services.meeting_accept(
            meeting=meeting, user=paired.executive, starts_at=at(days(5), 10), minutes=5
        )


def _row(user, today=None):
    [row] = executive_program(user, today=today).rows
    return row


def test_accepting_plans_the_meeting_in_the_program(paired):
    before = _row(paired.manager)
    assert (before.next_planned, before.status) == (None, "Never met")
    meeting = ask(paired)
    meeting = services.meeting_accept(
        meeting=meeting,
        user=paired.executive,
        starts_at=at(days(12), 15),
        minutes=90,
        place="Their head office, Oslo",
    )
    # Checked by hand: the meeting is 12 days ahead, so planned, not held.
    after = _row(paired.manager)
    assert after.next_planned == days(12)
    assert after.last_met is None
    assert after.status == f"Never met; planned {days(12):%Y-%m-%d}"
    interaction = meeting.interaction
    assert interaction.is_executive and interaction.date == days(12)
    assert set(interaction.participants.all()) == {paired.executive, paired.rep, paired.manager}
    assert list(interaction.contacts.all()) == [paired.ceo]
    # The map's pairing row does not take the planned meeting for one held.
    [map_row] = relationship_map(paired.plan).pairings
    assert (map_row.last_met, map_row.overdue) == (None, True)
    # Once its day has passed it counts as met: 3 days later the pairing was touched.
    later = _row(paired.manager, today=days(15))
    assert (later.last_met, later.days_since, later.next_planned) == (days(12), 3, None)
    assert later.status == f"On track: next due by {days(12 + 91):%Y-%m-%d}"

    # Moving it moves the planned meeting; withdrawing takes it away.
    meeting = services.meeting_accept(
        meeting=meeting, user=paired.executive, starts_at=at(days(14), 9)
    )
    assert _row(paired.manager).next_planned == days(14)
    services.meeting_withdraw(meeting=meeting, user=paired.manager, reason="Customer reorg")
    assert _row(paired.manager).next_planned is None
    assert not Interaction.objects.filter(pk=interaction.pk).exists()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.interaction) == (MeetingStatus.WITHDRAWN, None)


def test_recorded_held_with_what_was_said(paired):
    meeting = services.meeting_accept(
        meeting=ask(paired), user=paired.executive, starts_at=at(days(2), 10)
    )
    with pytest.raises(ValidationError, match="record it held once it has taken place"):
        services.meeting_held(meeting=meeting, user=paired.executive, notes="Early")
    # The meeting took place (its time moved into the past, as the clock would).
    ExecutiveMeetingRequest.objects.filter(pk=meeting.pk).update(starts_at=at(days(-1), 10))
    Interaction.objects.filter(pk=meeting.interaction_id).update(date=days(-1))
    with pytest.raises(ValidationError, match="which has passed: it cannot be withdrawn"):
        services.meeting_withdraw(meeting=meeting, user=paired.manager)
    services.meeting_held(
        meeting=meeting, user=paired.executive, notes="Carl backs the roadmap; pilot in Q3."
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.interaction.notes == "Carl backs the roadmap; pilot in Q3."
    assert _row(paired.manager).last_met == days(-1)


def test_the_pairing_may_go_the_request_stays(paired):
    meeting = ask(paired)
    ExecutivePairing.objects.filter(pk=paired.pairing.pk).delete()
    meeting.refresh_from_db()
    assert meeting.pairing is None and meeting.status == MeetingStatus.REQUESTED

"""Reads of the executive meeting requests (``plans.services.meetings`` writes them):
the requests a person may open, those waiting for them, and the briefing.

Who may open a request: the executive asked (even without seeing the account: the
request is theirs to answer) and everyone who sees its plan. The briefing is the plan
itself, so only those who see the plan read it.

The briefing is generated from the plan whenever it is read, through the selectors the
plan document uses (``outputs.content.plan_document``): the account at a glance, the
customer's goals, the relationship map's warnings, the open ideas with their value and
confidence, the open asks of leadership, the last executive meetings and what was said,
and the request's purpose. Nothing is stored, so it is never out of date."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from keyplan.plans.choices import OPEN_IDEA_STAGES, HelpStatus, MeetingStatus
from keyplan.plans.models import AccountPlan, ExecutiveMeetingRequest

LAST_MEETINGS = 5
WAITING_SHOWN = 50
RELATED = ("plan__account", "plan__owner__team", "executive", "asked_by", "pairing")


def meetings_for(user):
    """The requests ``user`` may open: asked of them, or on a plan they see."""
    visible = ExecutiveMeetingRequest.objects.visible_to(user).values("pk")
    return ExecutiveMeetingRequest.objects.filter(Q(executive=user) | Q(pk__in=visible))


def meeting_or_404(user, pk: int) -> ExecutiveMeetingRequest:
    meeting = (
        meetings_for(user).select_related(*RELATED).prefetch_related("contacts").filter(pk=pk)
    ).first()
    if meeting is None:
        raise Http404("No such meeting request.")
    return meeting


def sees_plan(user, meeting) -> bool:
    return AccountPlan.objects.visible_to(user).filter(pk=meeting.plan_id).exists()


@dataclass
class Waiting:
    """The meeting requests waiting for a person (My work, the program page)."""

    asked_of_me: list = field(default_factory=list)  # to answer
    # accepted and ahead: asked of me, by me, or on my plan
    my_upcoming: list = field(default_factory=list)
    my_requests: list = field(default_factory=list)  # asked by me, not answered yet

    def __bool__(self) -> bool:
        return bool(self.asked_of_me or self.my_upcoming or self.my_requests)


def waiting_for(user) -> Waiting:
    """Three queries, whatever the number of requests."""
    now = timezone.now()
    base = (
        ExecutiveMeetingRequest.objects.exclude(plan__status="archived")
        .select_related("plan__account", "executive", "asked_by")
        .prefetch_related("contacts")
    )
    return Waiting(
        asked_of_me=list(
            base.filter(executive=user, status=MeetingStatus.REQUESTED).order_by(
                "wished_until", "pk"
            )[:WAITING_SHOWN]
        ),
        my_upcoming=list(
            base.filter(status=MeetingStatus.ACCEPTED, starts_at__gt=now)
            .filter(Q(executive=user) | Q(asked_by=user) | Q(plan__owner=user))
            .order_by("starts_at", "pk")[:WAITING_SHOWN]
        ),
        my_requests=list(
            base.filter(asked_by=user, status=MeetingStatus.REQUESTED).order_by(
                "wished_until", "pk"
            )[:WAITING_SHOWN]
        ),
    )


def open_by_pairing(plans) -> dict[int, ExecutiveMeetingRequest]:
    """The open (asked or accepted) request of each pairing of ``plans``, by pairing id:
    the program page says "asked" or "accepted" beside it instead of asking twice."""
    found = {}
    rows = (
        ExecutiveMeetingRequest.objects.filter(
            plan__in=plans,
            pairing__isnull=False,
            status__in=[MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED],
        )
        .select_related("executive")
        .order_by("asked_at", "pk")
    )
    for m in rows:
        found[m.pairing_id] = m
    return found


@dataclass
class PastMeeting:
    date: datetime.date
    subject: str
    notes: str
    ours: str
    theirs: str


@dataclass
class Briefing:
    meeting: ExecutiveMeetingRequest
    document: object  # outputs.content.PlanDocument
    generated_at: datetime.datetime
    goals: list
    warnings: list
    open_ideas: list
    asks: list[str]
    last_meetings: list[PastMeeting]

    @property
    def plan(self):
        return self.meeting.plan


def briefing(meeting: ExecutiveMeetingRequest, user) -> Briefing:
    """The briefing for ``meeting``, read now from its plan (which ``user`` sees)."""
    from keyplan.accounts.models import Interaction
    from keyplan.core import words
    from keyplan.outputs.content import ask_in_words, plan_document
    from keyplan.plans.selectors import plan_account_ids

    plan = meeting.plan
    document = plan_document(plan, user)
    today = timezone.localdate()
    past = (
        Interaction.objects.filter(
            account_id__in=plan_account_ids(plan), is_executive=True, date__lte=today
        )
        .prefetch_related("participants", "contacts")
        .order_by("-date", "-pk")[:LAST_MEETINGS]
    )
    last = [
        PastMeeting(
            date=i.date,
            subject=i.subject,
            notes=i.notes,
            ours=words.names(i.participants.all()),
            theirs=words.names(i.contacts.all()),
        )
        for i in past
    ]
    return Briefing(
        meeting=meeting,
        document=document,
        generated_at=timezone.now(),
        goals=document.customer_goals,
        warnings=[r.text for r in document.risks if r.kind == "relationship"],
        open_ideas=[i for i in document.ideas if i.stage in OPEN_IDEA_STAGES],
        # The plan's asks are the investment cases not yet decided and the help not
        # declined; help already committed is no longer asked.
        asks=[
            ask_in_words(a)
            for a in document.asks
            if a.kind != "help" or a.status == HelpStatus.REQUESTED.label
        ],
        last_meetings=last,
    )

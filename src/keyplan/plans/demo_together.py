"""The demo's plans worked on together (issue 17): comments with mentions on the first
example plan, a cross-functional commitment delivery made to it, and one of its ideas
flagged as a new-offering request, and the executive program's meeting requests (one
open, one accepted with a date). Written through the services, after the plans are
activated, without drawing from the plans' random generators (so the rest of the demo
stays as it was)."""

from datetime import timedelta

from keyplan.plans import services
from keyplan.plans.choices import CompanyFunction, HelpKind, IdeaStage
from keyplan.plans.services.comments import comment_add

NEED = (
    "{name} wants {workload} monitored from one screen at every site, including the "
    "equipment of other vendors; we sell monitoring for our own equipment only."
)
NEED_LABEL = "Multi-vendor monitoring"


def working_together(writer, *, rep, manager) -> None:
    plan = writer.plan
    idea = next(
        (i for i in plan.ideas.order_by("pk") if i.stage in (IdeaStage.IDEA, IdeaStage.QUALIFIED)),
        None,
    )
    if idea is not None:
        idea = services.element_save(
            kind="idea",
            plan=plan,
            user=rep,
            instance=idea,
            needs_new_offering=True,
            new_offering_need=writer.fill(NEED),
            new_offering_category=NEED_LABEL,
        )
        comment_add(
            plan=plan,
            user=manager,
            subject="idea",
            object_id=idea.pk,
            text=f"@{rep.username} product management is collecting needs like this one. "
            "Add who at the customer asked for it, so they can call them.",
        )
        comment_add(
            plan=plan,
            user=rep,
            subject="idea",
            object_id=idea.pk,
            text=writer.fill("Done: {champion} asked for it in the last steering meeting."),
        )
    start = plan.period_start
    request = services.element_save(
        kind="help",
        plan=plan,
        user=rep,
        what=writer.fill(DELIVERY_ASKED)[:255],
        asked_of=manager,
        needed_by=start + timedelta(days=30),
        function=CompanyFunction.DELIVERY,
        scope=writer.fill(
            "Two engineers on site for the roll-out at {pilot}, then remote support "
            "for the first quarter of operation."
        ),
        committed_from=start + timedelta(days=60),
        committed_to=start + timedelta(days=150),
        help_kind=HelpKind.COMMITMENT,
    )
    services.help_respond(
        request=request,
        user=manager,
        commit=True,
        response="Agreed with the delivery lead: the two engineers are booked.",
    )
    comment_add(
        plan=plan,
        user=rep,
        text=f"@{manager.username} delivery committed the roll-out team; the plan is ready "
        "for the quarterly review.",
    )


# Every profile's pilot reads with its own article ("the fresh categories in twenty
# stores", "one wind park and its substation"): "for the {pilot}" read "for the the …".
DELIVERY_ASKED = "A delivery team for the roll-out at {pilot}"
MEETING_ASKED = (
    "{name} has not met our executive for more than a quarter. Reconnect {leader} with "
    "our leadership before the budget round and hear what {name} needs from us next year."
)
MEETING_ACCEPTED = (
    "Review the roll-out at {pilot} with {leader} and agree the next step of the three-year vision."
)


def executive_meetings(writers, *, manager) -> None:
    """The executive program's requests: the demo manager asks the demo executive for a
    meeting on the overdue account (still open), and for one on the first plan, which
    the executive accepted for a morning two weeks ahead (a planned executive meeting)."""
    import datetime

    from django.utils import timezone

    def pairing_of(writer):
        return writer.plan.executive_pairings.select_related(
            "our_executive", "their_executive"
        ).first()

    today = timezone.localdate()
    overdue = writers[-1]
    pairing = pairing_of(overdue)
    if pairing is not None and len(writers) > 1:
        services.meeting_request(
            plan=overdue.plan,
            user=manager,
            pairing=pairing,
            purpose=overdue.fill(MEETING_ASKED),
            wished_from=today + timedelta(days=7),
            wished_until=today + timedelta(days=35),
        )
    first = writers[0]
    pairing = pairing_of(first)
    if pairing is None:
        return
    meeting = services.meeting_request(
        plan=first.plan,
        user=manager,
        pairing=pairing,
        purpose=first.fill(MEETING_ACCEPTED),
        wished_from=today + timedelta(days=10),
        wished_until=today + timedelta(days=30),
    )
    day = today + timedelta(days=16)
    services.meeting_accept(
        meeting=meeting,
        user=pairing.our_executive,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
        minutes=60,
        place=first.fill("{name}'s head office"),
    )

"""Demo reviews for ``keyplan generate``: last quarter's sitting of the demo rep held by
the demo manager (outcomes, decisions, a new action, a version of each plan), and this
quarter's scheduled where keyplan proposes it. Written through ``reviews.services`` like
a manager would; only last quarter's moments are moved back afterwards (they are
history: the sitting, its items, the versions and feed rows its close wrote)."""

import datetime

from django.db.models import Case, F, When
from django.utils import timezone

from keyplan.reviews import selectors, services
from keyplan.reviews.choices import Outcome
from keyplan.reviews.models import ReviewSitting

OUTCOMES = [
    (Outcome.ON_TRACK, "Keep the plan; bring the pilot's results to the next review."),
    (Outcome.AT_RISK, "Pipeline is thin for the goal: qualify two more ideas before next quarter."),
    (Outcome.OFF_TRACK, "Escalate the blocker to our executive sponsor; revisit the goal."),
]


def _last_quarter_slot(period) -> datetime.datetime:
    """10:00 on the second Tuesday of the quarter's last month."""
    last_month = period.end.replace(day=1)
    day = last_month + datetime.timedelta(days=(1 - last_month.weekday()) % 7 + 7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _written_before(items, starts_at: datetime.datetime, at: datetime.datetime) -> None:
    """A plan reviewed last quarter was written before it: its versions older than the
    review's (the activation's, a team review's), the moments it was written, activated
    and changed up to then, are moved back to the week before the sitting, keeping their
    order and spacing, so its versions are dated in their numbers' order. What came after
    (this week's confirmation, comments, meeting requests) keeps today's date."""
    from keyplan.plans.choices import VersionReason
    from keyplan.plans.models import AccountPlan, PlanChange, PlanVersion

    for item in items:
        plan = item.plan
        review = (
            PlanVersion.objects.filter(plan=plan, reason=VersionReason.REVIEW, taken_at=at)
            .values_list("number", flat=True)
            .first()
        )
        earlier = PlanVersion.objects.filter(plan=plan, number__lt=review or 0)
        written = max(earlier.values_list("taken_at", flat=True), default=None)
        if written is None or written < starts_at:
            continue
        shift = written - (starts_at - datetime.timedelta(days=7))
        earlier.update(taken_at=F("taken_at") - shift)
        PlanChange.objects.filter(plan=plan, at__gt=starts_at, at__lte=written).update(
            at=F("at") - shift
        )
        AccountPlan.objects.filter(pk=plan.pk).update(
            created_at=F("created_at") - shift,
            activated_at=Case(
                When(activated_at__lte=written, then=F("activated_at") - shift),
                default=F("activated_at"),
            ),
        )


def demo_reviews() -> list[ReviewSitting]:
    from keyplan.people.models import User
    from keyplan.plans.choices import VersionReason
    from keyplan.plans.demo import MANAGER, REP
    from keyplan.plans.models import AccountPlan, PlanChange, PlanVersion

    users = {u.username: u for u in User.objects.filter(username__in=(REP, MANAGER))}
    if REP not in users or MANAGER not in users:
        return []
    rep, manager = users[REP], users[MANAGER]
    this = selectors.current_quarter()
    last = this.previous
    if not selectors.plans_to_review(manager, [rep.pk], last).get(rep.pk):
        return []
    written = []
    started = timezone.now()
    held = services.sitting_schedule(
        user=manager, rep=rep, period=last, starts_at=_last_quarter_slot(last), location="Room 4"
    )
    items = list(held.items.select_related("plan").order_by("order"))
    for item, (outcome, decisions) in zip(items, OUTCOMES * len(items), strict=False):
        services.item_record(
            item=item, user=manager, version=None, outcome=outcome, decisions=decisions
        )
    if items:
        from django.db.models import Count

        from keyplan.plans.models import Strategy

        plan = items[-1].plan
        services.item_add_action(
            item=items[-1],
            user=manager,
            title="Brief our executive sponsor on the blocker before the customer's board meets",
            owner=rep,
            due_date=max(plan.period_start, timezone.localdate() + datetime.timedelta(days=10)),
            effort_hours=2,
            strategy=Strategy.objects.filter(objective__plan=plan)
            .annotate(n=Count("actions"))
            .order_by("n", "pk")
            .first(),
        )
    # The plans' confirmations since (this week's, by the demo's rep) stay the latest.
    confirmed = {
        i.plan.pk: (i.plan.confirmed_at, i.plan.confirmed_by_id)
        for i in held.items.select_related("plan")
    }
    held = services.sitting_close(sitting=held, user=manager, version=None)
    # History: the sitting was held last quarter, so were its versions and feed rows.
    at = held.ends_at
    ReviewSitting.objects.filter(pk=held.pk).update(held_at=at)
    held.items.update(reviewed_at=at)
    PlanVersion.objects.filter(
        plan__in=[i.plan for i in items], reason=VersionReason.REVIEW, taken_at__gte=started
    ).update(taken_at=at)
    PlanChange.objects.filter(
        plan__in=[i.plan for i in items],
        at__gte=started,
        subject__in=("plan", "version", "quarterly review"),
    ).update(at=at)
    held.changes.update(at=at)
    for plan_id, (when, who) in confirmed.items():
        AccountPlan.objects.filter(pk=plan_id).update(
            confirmed_at=when or at, confirmed_by_id=who if when else manager.pk
        )
    _written_before(items, held.starts_at, at)
    written.append(held)
    proposal = selectors.quarter_plan(user=manager, period=this)
    for row in proposal.rows:
        if row.rep.pk == rep.pk and row.slot is not None and row.sitting is None:
            written.append(
                services.sitting_schedule(
                    user=manager,
                    rep=rep,
                    period=this,
                    starts_at=row.slot.start,
                    minutes=row.slot.minutes,
                    location="Room 4",
                )
            )
    return written


def reviews_flush() -> int:
    """Delete every sitting (before the plans they review are flushed)."""
    return ReviewSitting.objects.all().delete()[0]

"""Writes for quarterly reviews. Pages, the API and the demo call these; each checks
permission (``reviews.permissions``) and input, refuses a stale save with the project's
one rule (``plans.services.common.check_version``), records the change in the sitting's
trail, and changes nothing when it refuses.

What lands in a plan goes through the plans' own services: a new action is
``plans.services.element_save`` (kind "action"), closing a sitting is
``plans.services.plan_confirm(review=True)`` — the plan's activity feed and versions
are written by them, never by a second path."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.core import words
from keyplan.plans import audit as plan_audit
from keyplan.plans.choices import ChangeAction, PlanStatus
from keyplan.plans.services.common import Trail, check_version
from keyplan.reviews import selectors
from keyplan.reviews.choices import Outcome, SittingStatus
from keyplan.reviews.models import ReviewItem, ReviewSitting, SittingChange
from keyplan.reviews.permissions import run_refusal, schedule_refusal
from keyplan.salesplan.periods import Period

MIN_MINUTES = 15


class SittingTrail(Trail):
    """Stale saves of a sitting or of one plan's review read the sitting's trail."""

    def last_change(self, *, subject: str, obj):
        return (
            SittingChange.objects.filter(subject=subject, object_id=obj.pk)
            .select_related("user")
            .first()
        )

    def name(self, *, subject: str, obj) -> str:
        if subject == "review item":
            return f"the review of {obj.plan.account}"
        return "this review sitting"

    def summary(self, change, *, obj) -> str:
        return change.summary


TRAIL = SittingTrail()


def _record(sitting, user, summary: str, *, subject: str = "sitting", obj=None) -> None:
    SittingChange.objects.create(
        sitting=sitting,
        subject=subject,
        object_id=(obj or sitting).pk,
        user=user if getattr(user, "is_authenticated", False) else None,
        summary=summary[:255],
    )


def _tell_rep(sitting, user, text: str) -> None:
    """The rep hears what happened to their review in their inbox (``rhythm.mail.notify``,
    the one place a notification is made); the email is the calendar invitation
    ``_invite`` sends, as they chose for review invitations."""
    from keyplan.rhythm.choices import EmailKind
    from keyplan.rhythm.mail import notify

    if sitting.rep_id == getattr(user, "pk", None):
        return
    notify(
        recipients=[sitting.rep],
        text=text,
        url=sitting.get_absolute_url(),
        kind=EmailKind.REVIEWS,
        email=False,
    )


def _invite(sitting) -> None:
    """Once committed, the sitting as it now is goes to everyone invited as a calendar
    invitation by email (``rhythm.invitations``; a cancelled one as a cancellation)."""
    from keyplan.rhythm.tasks import send_sitting_invitations

    pk = sitting.pk
    transaction.on_commit(lambda: send_sitting_invitations.enqueue(pk))


def _require(reason: str | None) -> None:
    if reason:
        raise PermissionDenied(reason)


def _clashes(*, manager, rep, start, end, exclude=None) -> list[str]:
    """The other live sittings of the manager or the rep that overlap [start, end)."""
    from django.db.models import Q

    others = (
        ReviewSitting.objects.live()
        .filter(
            Q(manager__in=[manager, rep]) | Q(rep__in=[manager, rep]),
            starts_at__lt=end,
            starts_at__gt=start - datetime.timedelta(minutes=selectors.MAX_MINUTES),
        )
        .select_related("rep", "manager")
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return [
        f"{s.rep}'s review with {s.manager} at {words.moment(s.starts_at)}"
        for s in others
        if s.ends_at > start
    ]


def _check_time(errors: dict, *, period: Period, manager, rep, starts_at, minutes, exclude=None):
    if starts_at is None:
        errors.setdefault("starts_at", []).append("Give the day and time the sitting starts.")
        return
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if minutes is None or not MIN_MINUTES <= minutes <= selectors.MAX_MINUTES:
        errors.setdefault("minutes", []).append(
            f"A sitting lasts {MIN_MINUTES} to {selectors.MAX_MINUTES} minutes "
            f"(got {minutes if minutes is not None else 'none'})."
        )
        return
    day = timezone.localtime(starts_at).date()
    if not period.start <= day <= period.end:
        errors.setdefault("starts_at", []).append(
            f"{words.day(day)} is outside {period.name} ({words.day(period.start)} – "
            f"{words.day(period.end)}): a quarter's review is held in the quarter."
        )
        return
    end = starts_at + datetime.timedelta(minutes=minutes)
    clashes = _clashes(manager=manager, rep=rep, start=starts_at, end=end, exclude=exclude)
    if clashes:
        errors.setdefault("starts_at", []).append(
            f"{words.moment(starts_at)} overlaps " + "; ".join(clashes) + ". Choose another time."
        )


@transaction.atomic
def sitting_schedule(
    *,
    user,
    rep,
    period: Period,
    starts_at: datetime.datetime,
    minutes: int | None = None,
    location: str = "",
    notes: str = "",
) -> ReviewSitting:
    """Schedule ``rep``'s review for ``period`` (a quarter) chaired by ``user``, holding
    every active plan of the rep not ended before the quarter, about half an hour each unless
    ``minutes`` says otherwise."""
    from keyplan.people.models import User

    # One scheduler at a time per rep: the check for an existing sitting and the
    # insert must not interleave with another manager's.
    rep = User.objects.select_for_update(of=("self",)).select_related("team").get(pk=rep.pk)
    _require(schedule_refusal(user, rep))
    if not period.quarter:
        raise ValidationError({"quarter": ["Reviews are quarterly: choose a quarter."]})
    existing = (
        ReviewSitting.objects.live()
        .filter(rep=rep, fiscal_year=period.fiscal_year, quarter=period.quarter)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "rep": [
                    f"{rep} already has a {period.name} review "
                    f"({existing.state_label().lower()}, {words.moment(existing.starts_at)}): "
                    "move or cancel that one."
                ]
            }
        )
    plans = selectors.plans_to_review(user, [rep.pk], period).get(rep.pk, [])
    if not plans:
        raise ValidationError(
            {"rep": [f"{rep} has no active account plan to review in {period.name}."]}
        )
    if minutes is None:
        minutes = len(plans) * selectors.minutes_per_plan()
    errors: dict = {}
    _check_time(errors, period=period, manager=user, rep=rep, starts_at=starts_at, minutes=minutes)
    if len(location) > 200:
        errors.setdefault("location", []).append("Keep the place under 200 characters.")
    if errors:
        raise ValidationError(errors)
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    sitting = ReviewSitting.objects.create(
        rep=rep,
        manager=user,
        fiscal_year=period.fiscal_year,
        quarter=period.quarter,
        starts_at=starts_at,
        minutes=minutes,
        location=location.strip(),
        notes=notes.strip(),
        created_by=user,
    )
    ReviewItem.objects.bulk_create(
        [ReviewItem(sitting=sitting, plan=p, order=i) for i, p in enumerate(plans, start=1)]
    )
    _record(
        sitting,
        user,
        f"scheduled for {words.moment(starts_at)}, {minutes} minutes, "
        f"{words.plural(len(plans), 'plan')}",
    )
    _invite(sitting)
    _tell_rep(
        sitting,
        user,
        f"{user} scheduled your {period.name} review of {words.plural(len(plans), 'plan')}: "
        f"{words.moment(starts_at)}, {minutes} minutes.",
    )
    return sitting


def _locked(sitting) -> ReviewSitting:
    return (
        ReviewSitting.objects.select_for_update(of=("self",))
        .select_related("rep__team")
        .get(pk=sitting.pk)
    )


@transaction.atomic
def sitting_update(
    *,
    sitting: ReviewSitting,
    user,
    version,
    starts_at: datetime.datetime,
    minutes: int,
    location: str = "",
    notes: str = "",
) -> ReviewSitting:
    """Move the sitting, change its length, place or notes."""
    sitting = _locked(sitting)
    _require(run_refusal(user, sitting))
    check_version(sitting, version, subject="sitting", trail=TRAIL)
    errors: dict = {}
    _check_time(
        errors,
        period=sitting.period,
        manager=sitting.manager,
        rep=sitting.rep,
        starts_at=starts_at,
        minutes=minutes,
        exclude=sitting,
    )
    if len(location) > 200:
        errors.setdefault("location", []).append("Keep the place under 200 characters.")
    if errors:
        raise ValidationError(errors)
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    moved = starts_at != sitting.starts_at or minutes != sitting.minutes
    sitting.starts_at, sitting.minutes = starts_at, minutes
    sitting.location, sitting.notes = location.strip(), notes.strip()
    sitting.version += 1
    sitting.save()
    _record(
        sitting,
        user,
        f"moved to {words.moment(starts_at)}, {minutes} minutes"
        if moved
        else "changed its details",
    )
    _invite(sitting)
    if moved:
        _tell_rep(
            sitting,
            user,
            f"{user} moved your {sitting.period.name} review to {words.moment(starts_at)}, "
            f"{minutes} minutes.",
        )
    return sitting


@transaction.atomic
def sitting_cancel(*, sitting: ReviewSitting, user, version) -> ReviewSitting:
    sitting = _locked(sitting)
    _require(run_refusal(user, sitting))
    check_version(sitting, version, subject="sitting", trail=TRAIL)
    sitting.status = SittingStatus.CANCELLED
    sitting.version += 1
    sitting.save()
    _record(sitting, user, "cancelled the sitting")
    _invite(sitting)
    _tell_rep(
        sitting,
        user,
        f"{user} cancelled your {sitting.period.name} review of {words.moment(sitting.starts_at)}.",
    )
    return sitting


def _item(item) -> ReviewItem:
    return (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("plan__account")
        .get(pk=item.pk)
    )


@transaction.atomic
def item_record(
    *, item: ReviewItem, user, version, outcome: str, decisions: str = ""
) -> ReviewItem:
    """The manager's outcome (on track / at risk / off track) and decisions for one plan
    of a sitting still open; they reach the plan when the sitting closes."""
    sitting = _locked(item.sitting)
    _require(run_refusal(user, sitting))
    item = _item(item)
    check_version(item, version, subject="review item", trail=TRAIL)
    errors: dict = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [
            "Choose the outcome: " + ", ".join(label.lower() for label in Outcome.labels) + "."
        ]
    if len(decisions) > 4000:
        errors["decisions"] = [
            f"Keep the decisions under 4,000 characters (got {len(decisions):,})."
        ]
    if errors:
        raise ValidationError(errors)
    item.outcome = outcome
    item.decisions = decisions.strip()
    item.version += 1
    item.save()
    _record(
        sitting,
        user,
        f"{item.plan.account}: {Outcome(outcome).label.lower()}",
        subject="review item",
        obj=item,
    )
    return item


@transaction.atomic
def item_add_action(
    *,
    item: ReviewItem,
    user,
    title: str,
    owner,
    due_date,
    effort_hours,
    strategy=None,
    confirm_outside_period=False,
):
    """A new action decided at the review: created in the plan by the plans' own service
    (its rules, its activity feed) and listed with the plan's review."""
    from keyplan.plans.services import element_save

    sitting = _locked(item.sitting)
    _require(run_refusal(user, sitting))
    item = _item(item)
    action = element_save(
        kind="action",
        plan=item.plan,
        user=user,
        title=title,
        owner=owner,
        due_date=due_date,
        effort_hours=effort_hours,
        strategy=strategy,
        confirm_outside_period=confirm_outside_period,
    )
    item.actions.add(action)
    _record(
        sitting,
        user,
        f"{item.plan.account}: new action “{words.shortened(action.title, 80)}” for {action.owner}",
        subject="sitting",
    )
    return action


@transaction.atomic
def sitting_close(*, sitting: ReviewSitting, user, version) -> ReviewSitting:
    """The review is over: every plan's outcome must be recorded; each plan is confirmed
    as reviewed (``plan_confirm(review=True)``, which keeps its version), the outcome and
    decisions are written to its activity feed, and the sitting is held."""
    from keyplan.plans.models import PlanVersion
    from keyplan.plans.services import plan_confirm

    sitting = _locked(sitting)
    _require(run_refusal(user, sitting))
    check_version(sitting, version, subject="sitting", trail=TRAIL)
    items = list(sitting.items.select_for_update(of=("self",)).select_related("plan__account"))
    missing = [str(i.plan.account) for i in items if not i.outcome]
    if missing:
        raise ValidationError(
            {
                "outcome": [
                    "Record the outcome of every plan before closing the review: "
                    + words.names(missing)
                    + (" has none yet." if len(missing) == 1 else " have none yet.")
                ]
            }
        )
    now = timezone.now()
    for item in items:
        plan = item.plan
        label = f"{sitting.period.name} review: {Outcome(item.outcome).label.lower()}"
        if plan.status != PlanStatus.ARCHIVED:
            plan_confirm(plan=plan, user=user, review=True, note=label)
            item.plan_version = (
                PlanVersion.objects.filter(plan=plan).defer("content").order_by("-number").first()
            )
        plan_audit.record(
            plan=plan,
            user=user,
            action=ChangeAction.DECIDED,
            subject="quarterly review",
            obj=plan,
            label=label + (f" — {item.decisions}" if item.decisions else ""),
        )
        item.reviewed_at = now
        item.reviewed_by = user
        item.version += 1
        item.save()
    sitting.status = SittingStatus.HELD
    sitting.held_at = now
    sitting.version += 1
    sitting.save()
    _record(sitting, user, f"held the review of {words.plural(len(items), 'plan')}")
    return sitting

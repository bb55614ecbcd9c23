"""Is the plan alive? Each objective's progress (from keyplan's facts where it has
them), and the plan's health 0-100 with the reasons behind every point."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from keyplan.core.words import plural
from keyplan.plans import selectors
from keyplan.plans.choices import (
    OPEN_ACTION_STATUSES,
    IdeaStage,
    ProgressSource,
)
from keyplan.plans.models import AccountPlan, Objective

ENGAGED_DAYS = 180
ON_TRACK_SLACK = 0.10  # a tenth behind the straight line still counts as on track


@dataclass
class Progress:
    objective: Objective
    current: Decimal | None
    source_label: str
    fraction: float | None  # 0..1 of the way from baseline to target
    expected: float  # where a straight line from the period start would be today

    @property
    def percent(self) -> int | None:
        return None if self.fraction is None else round(self.fraction * 100)

    @property
    def on_track(self) -> bool:
        if self.fraction is None:
            return False
        return self.fraction >= 1 or self.fraction >= self.expected - ON_TRACK_SLACK


def _facts(plan: AccountPlan, ideas=None) -> dict:
    """The figures objectives can be measured by, each in one query (white space counted
    from ``ideas``, the plan's ideas, when the page has read them)."""
    from keyplan.accounts.models import Contact
    from keyplan.sales.models import SalesMonth

    ids = selectors.plan_account_ids(plan)
    revenue = SalesMonth.objects.filter(
        # Roll-up rows are dated the 1st: a plan starting mid-month keeps its first month.
        account_id__in=ids,
        month__range=(plan.period_start.replace(day=1), plan.period_end),
    ).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if ideas is None:
        white_space = plan.ideas.filter(
            Q(product__isnull=False) | Q(product_line__isnull=False),
            stage__in=[IdeaStage.OPPORTUNITY, IdeaStage.WON],
        ).count()
    else:
        white_space = white_space_ideas(ideas)
    since = timezone.localdate() - datetime.timedelta(days=ENGAGED_DAYS)
    contacts = Contact.objects.filter(account_id__in=ids, is_active=True).aggregate(
        known=Count("pk", distinct=True),
        engaged=Count("pk", distinct=True, filter=Q(interactions__date__gte=since)),
    )
    return facts_of(revenue, white_space, contacts["known"], contacts["engaged"])


def white_space_ideas(ideas) -> int:
    """How many of ``ideas`` bring a product or product line the account lacks and have
    become an opportunity or been won (what the white-space objectives count)."""
    return sum(
        1
        for i in ideas
        if (i.product_id or i.product_line_id) and i.stage in (IdeaStage.OPPORTUNITY, IdeaStage.WON)
    )


def facts_of(revenue, white_space, contacts_known, contacts_engaged) -> dict:
    """The figures objectives are measured by, keyed by their progress source."""
    return {
        ProgressSource.REVENUE: Decimal(revenue),
        ProgressSource.WHITE_SPACE: Decimal(white_space),
        ProgressSource.CONTACTS_KNOWN: Decimal(contacts_known),
        ProgressSource.CONTACTS_ENGAGED: Decimal(contacts_engaged),
    }


def objective_progress(
    plan: AccountPlan, objectives=None, today=None, ideas=None
) -> list[Progress]:
    today = today or timezone.localdate()
    objectives = list(objectives if objectives is not None else plan.objectives.all())
    measured = any(o.progress_source != ProgressSource.MANUAL for o in objectives)
    facts = _facts(plan, ideas) if measured else {}
    return progress_of(plan, objectives, facts, today)


def progress_of(plan, objectives, facts: dict, today, *, labelled=True) -> list[Progress]:
    """Each objective's progress from ``facts`` (``facts_of``; only the sources the
    objectives are measured by are read). ``labelled=False`` leaves the source labels
    empty (they read who entered a value by hand: a query each unless selected)."""
    out = []
    for o in objectives:
        label = ""
        if o.progress_source == ProgressSource.MANUAL:
            current = o.manual_value
            if labelled:
                label = (
                    f"by hand, {o.manual_updated_by} on {o.manual_updated_at:%Y-%m-%d}"
                    if o.manual_updated_at
                    else "by hand — no value entered yet"
                )
        else:
            current = facts[o.progress_source]
            if labelled:
                label = ProgressSource(o.progress_source).label
        span = o.target - o.baseline
        if current is None:
            fraction = None
        elif span == 0:
            fraction = 1.0 if current >= o.target else 0.0
        else:
            fraction = max(0.0, min(1.0, float((current - o.baseline) / span)))
        total_days = max(1, (o.due_date - plan.period_start).days)
        expected = max(0.0, min(1.0, (today - plan.period_start).days / total_days))
        out.append(Progress(o, current, label, fraction, expected))
    return out


@dataclass
class Reason:
    label: str
    points: float
    out_of: int
    detail: str


@dataclass
class Health:
    reasons: list[Reason]

    @property
    def score(self) -> int:
        return round(sum(r.points for r in self.reasons))

    @property
    def band(self) -> str:
        return "good" if self.score >= 70 else "fair" if self.score >= 40 else "poor"


def overdue_actions(plan: AccountPlan, today):
    return plan.actions.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)


def plan_health(
    plan: AccountPlan, *, today=None, coverage=None, steps=None, progress=None, actions=None
) -> Health:
    """The plan's health (``health_of``), reading what the caller has not read already:
    ``coverage``, ``steps``, ``progress`` and ``actions`` (the plan's, when the page has
    them)."""
    from keyplan.plans.relationships import decision_makers_covered

    today = today or timezone.localdate()
    coverage = coverage or selectors.coverage(plan)
    steps = steps if steps is not None else selectors.progress(plan, coverage)
    progress = progress if progress is not None else objective_progress(plan, today=today)
    if actions is None:
        overdue = list(overdue_actions(plan, today).values_list("due_date", flat=True))
    else:
        overdue = overdue_dates(actions, today)
    return health_of(
        plan,
        today=today,
        coverage=coverage,
        steps=steps,
        progress=progress,
        overdue=overdue,
        covered=decision_makers_covered(plan),
    )


def overdue_dates(actions, today) -> list[datetime.date]:
    """The due dates of ``actions`` still open after their due date (``overdue_actions``
    on actions already read)."""
    return [a.due_date for a in actions if a.status in OPEN_ACTION_STATUSES and a.due_date < today]


def last_confirmed(plan):
    """When someone last said the plan is current: its confirmation, or its activation
    (which confirms it too), whichever is later — as the health score reads it."""
    return max((d for d in (plan.confirmed_at, plan.activated_at) if d is not None), default=None)


def health_of(plan, *, today, coverage, steps, progress, overdue, covered) -> Health:
    """The health rules, on figures already read (by ``plan_health`` for one plan, by
    ``salesplan.leaders.health.plan_healths`` for many). 0-100: steps complete (20),
    pipeline coverage against 2.5x (20), decision makers with a medium or strong
    relationship (15; ``covered`` is (those, all decision makers)), overdue actions (15,
    minus 2 per action overdue up to 7 days and 5 per action overdue longer; ``overdue``
    is their due dates), objectives on track (15), and how recently someone confirmed
    the plan is current (15: full within 30 days, nothing after 120)."""
    reasons = []

    done = sum(1 for s in steps if s.done)
    reasons.append(
        Reason("Plan steps complete", 20 * done / len(steps), 20, f"{done} of {len(steps)} steps")
    )

    ratio = coverage.revenue.ratio if coverage.revenue else None
    if ratio is None:
        reasons.append(Reason("Pipeline coverage", 0, 20, "no revenue goal"))
    else:
        exact = float(coverage.revenue.pipeline / coverage.revenue.goal)
        reasons.append(
            Reason(
                "Pipeline coverage",
                20 * min(1.0, exact / 2.5),
                20,
                f"{ratio}x of the goal (2.5x wanted)",
            )
        )

    dm_covered, dm_total = covered
    reasons.append(
        Reason(
            "Decision makers covered",
            15 * dm_covered / dm_total if dm_total else 0,
            15,
            f"{dm_covered} of {dm_total} with a medium or strong relationship"
            if dm_total
            else "no decision maker identified",
        )
    )

    long_overdue = sum(1 for d in overdue if (today - d).days > 7)
    penalty = 2 * (len(overdue) - long_overdue) + 5 * long_overdue
    reasons.append(
        Reason(
            "Actions on time",
            max(0, 15 - penalty),
            15,
            f"{len(overdue)} overdue, {long_overdue} of them by more than 7 days"
            if overdue
            else "none overdue",
        )
    )

    on_track = sum(1 for p in progress if p.on_track)
    reasons.append(
        Reason(
            "Objectives on track",
            15 * on_track / len(progress) if progress else 0,
            15,
            f"{on_track} of {len(progress)}" if progress else "no objectives yet",
        )
    )

    confirmed = last_confirmed(plan)
    if confirmed is None:
        reasons.append(Reason("Confirmed current", 0, 15, "never confirmed"))
    else:
        days = (today - timezone.localtime(confirmed).date()).days
        points = 15 if days <= 30 else max(0.0, 15 * (120 - days) / 90)
        reasons.append(Reason("Confirmed current", points, 15, f"{plural(days, 'day')} ago"))
    return Health(reasons)

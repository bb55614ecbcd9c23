"""Plan health for many plans at once: the same score and reasons as
``plans.health.plan_health`` (the plan page's), read in a fixed number of queries for a
whole team or company instead of about ten per plan. A test holds the two equal plan by
plan, so a change to the health rules that is not made here too fails it."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from keyplan.core.words import plural
from keyplan.plans import selectors
from keyplan.plans.choices import OPEN_ACTION_STATUSES, IdeaStage, ProgressSource
from keyplan.plans.health import ENGAGED_DAYS, Health, Progress, Reason


def _account_ids(plans) -> dict[int, set[int]]:
    """Per plan, the accounts whose facts count for it (its account and everything under
    each covered account), as ``selectors.plan_account_ids`` reads them: two queries."""
    from keyplan.accounts.models import AccountLineage
    from keyplan.plans.models import AccountPlan

    covered = defaultdict(set)
    for plan_id, account_id in AccountPlan.covered_accounts.through.objects.filter(
        accountplan_id__in=[p.pk for p in plans]
    ).values_list("accountplan_id", "account_id"):
        covered[plan_id].add(account_id)
    ancestors = {a for ids in covered.values() for a in ids}
    under = defaultdict(set)
    for ancestor, descendant in AccountLineage.objects.filter(
        ancestor_id__in=ancestors
    ).values_list("ancestor_id", "descendant_id"):
        under[ancestor].add(descendant)
    out = {}
    for plan in plans:
        ids = {plan.account_id}
        for a in covered.get(plan.pk, ()):
            ids |= under.get(a, set())
        out[plan.pk] = ids
    return out


def plan_healths(plans, *, today: datetime.date | None = None) -> dict[int, Health]:
    """Health per plan id for ``plans`` (AccountPlan objects), in about a dozen queries
    whatever their number."""
    from keyplan.accounts.choices import DecisionRole
    from keyplan.accounts.models import Contact
    from keyplan.plans.models import AccountPlan, InvestmentCase
    from keyplan.plans.relationships import COVERED
    from keyplan.sales.models import Opportunity, SalesMonth

    plans = list(plans)
    if not plans:
        return {}
    today = today or timezone.localdate()
    ids = [p.pk for p in plans]
    full = {
        p.pk: p
        for p in AccountPlan.objects.filter(pk__in=ids).prefetch_related(
            "goals", "ideas", "vendors", "values", "objectives", "actions"
        )
    }
    linked = defaultdict(set)
    for plan_id, opp_id in AccountPlan.opportunities.through.objects.filter(
        accountplan_id__in=ids
    ).values_list("accountplan_id", "opportunity_id"):
        linked[plan_id].add(opp_id)
    cases = defaultdict(list)
    for case in InvestmentCase.objects.filter(idea__plan_id__in=ids).select_related("idea"):
        cases[case.idea.plan_id].append(case)
    opp_ids = set().union(*linked.values()) if linked else set()
    for p in full.values():
        opp_ids |= {
            i.opportunity_id
            for i in p.ideas.all()
            if i.opportunity_id and i.stage == IdeaStage.OPPORTUNITY
        }
    opportunities = {
        pk: (amount, status)
        for pk, amount, status in Opportunity.objects.filter(pk__in=opp_ids).values_list(
            "pk", "amount", "status"
        )
    }
    accounts = _account_ids(plans)
    every_account = set().union(*accounts.values())
    decision_makers = defaultdict(list)
    for account_id, strength in Contact.objects.filter(
        account_id__in=every_account, is_active=True, decision_role=DecisionRole.DECISION_MAKER
    ).values_list("account_id", "relationship_strength"):
        decision_makers[account_id].append(strength)
    since = today - datetime.timedelta(days=ENGAGED_DAYS)
    contacts = {
        row["account_id"]: row
        for row in Contact.objects.filter(account_id__in=every_account, is_active=True)
        .order_by()
        .values("account_id")
        .annotate(
            known=Count("pk", distinct=True),
            engaged=Count("pk", distinct=True, filter=Q(interactions__date__gte=since)),
        )
    }
    first = min(p.period_start for p in plans).replace(day=1)
    last = max(p.period_end for p in plans)
    monthly = defaultdict(list)
    for account_id, month, total in (
        SalesMonth.objects.filter(account_id__in=every_account, month__range=(first, last))
        .order_by()
        .values_list("account_id", "month")
        .annotate(total=Sum("amount"))
    ):
        monthly[account_id].append((month, total))

    out = {}
    for plan_id in ids:
        plan = full[plan_id]
        ideas = list(plan.ideas.all())
        cov = selectors.compute_coverage(
            goal=plan.revenue_goal,
            stretch_goal=plan.stretch_goal,
            ideas=[(i.annual_value, i.stage, i.delivery, i.opportunity_id) for i in ideas],
            opportunities={
                pk: opportunities[pk]
                for pk in linked[plan_id]
                | {
                    i.opportunity_id
                    for i in ideas
                    if i.opportunity_id and i.stage == IdeaStage.OPPORTUNITY
                }
                if pk in opportunities
            },
        )
        loaded = selectors.Loaded(
            goals=list(plan.goals.all()),
            ideas=ideas,
            investments=cases[plan_id],
            vendors=list(plan.vendors.all()),
            values=list(plan.values.all()),
        )
        steps = selectors.progress(plan, cov, loaded)
        mine = accounts[plan_id]
        start = plan.period_start.replace(day=1)
        revenue = sum(
            (t for a in mine for m, t in monthly.get(a, ()) if start <= m <= plan.period_end),
            Decimal(0),
        )
        white_space = sum(
            1
            for i in ideas
            if (i.product_id or i.product_line_id)
            and i.stage in (IdeaStage.OPPORTUNITY, IdeaStage.WON)
        )
        facts = {
            ProgressSource.REVENUE: Decimal(revenue),
            ProgressSource.WHITE_SPACE: Decimal(white_space),
            ProgressSource.CONTACTS_KNOWN: Decimal(
                sum(contacts[a]["known"] for a in mine if a in contacts)
            ),
            ProgressSource.CONTACTS_ENGAGED: Decimal(
                sum(contacts[a]["engaged"] for a in mine if a in contacts)
            ),
        }
        strengths = [s for a in mine for s in decision_makers.get(a, ())]
        out[plan_id] = health = _health(
            plan,
            today=today,
            cov=cov,
            steps=steps,
            progress=_progress(plan, list(plan.objectives.all()), facts, today),
            actions=list(plan.actions.all()),
            covered=(sum(1 for s in strengths if s in COVERED), len(strengths)),
        )
        health.coverage = cov  # the at-risk list reads the plan's coverage beside it
    return out


def _progress(plan, objectives, facts, today) -> list[Progress]:
    # As plans.health.objective_progress, with the facts read for every plan at once.
    out = []
    for o in objectives:
        if o.progress_source == ProgressSource.MANUAL:
            current = o.manual_value
        else:
            current = facts[o.progress_source]
        span = o.target - o.baseline
        if current is None:
            fraction = None
        elif span == 0:
            fraction = 1.0 if current >= o.target else 0.0
        else:
            fraction = max(0.0, min(1.0, float((current - o.baseline) / span)))
        total_days = max(1, (o.due_date - plan.period_start).days)
        expected = max(0.0, min(1.0, (today - plan.period_start).days / total_days))
        out.append(Progress(o, current, "", fraction, expected))
    return out


def _health(plan, *, today, cov, steps, progress, actions, covered) -> Health:
    # The reasons and points of plans.health.plan_health, in the same order.
    reasons = []
    done = sum(1 for s in steps if s.done)
    reasons.append(
        Reason("Plan steps complete", 20 * done / len(steps), 20, f"{done} of {len(steps)} steps")
    )
    ratio = cov.revenue.ratio if cov.revenue else None
    if ratio is None:
        reasons.append(Reason("Pipeline coverage", 0, 20, "no revenue goal"))
    else:
        exact = float(cov.revenue.pipeline / cov.revenue.goal)
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
    overdue = [
        a.due_date for a in actions if a.status in OPEN_ACTION_STATUSES and a.due_date < today
    ]
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


def last_confirmed(plan):
    """When someone last said the plan is current: its confirmation, or its activation
    (which confirms it too), whichever is later — as the health score reads it."""
    return max((d for d in (plan.confirmed_at, plan.activated_at) if d is not None), default=None)

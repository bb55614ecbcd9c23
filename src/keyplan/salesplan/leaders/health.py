"""Plan health for many plans at once: the figures ``plans.health.plan_health`` (the plan
page's) reads for one plan, read in a fixed number of queries for a whole team or company
instead of about ten per plan, and fed to the same rules (``plans.health.health_of``)."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from keyplan.plans import selectors
from keyplan.plans.choices import IdeaStage
from keyplan.plans.health import (
    ENGAGED_DAYS,
    Health,
    facts_of,
    health_of,
    overdue_dates,
    progress_of,
    white_space_ideas,
)


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
        facts = facts_of(
            revenue,
            white_space_ideas(ideas),
            sum(contacts[a]["known"] for a in mine if a in contacts),
            sum(contacts[a]["engaged"] for a in mine if a in contacts),
        )
        strengths = [s for a in mine for s in decision_makers.get(a, ())]
        out[plan_id] = health = health_of(
            plan,
            today=today,
            coverage=cov,
            steps=steps,
            progress=progress_of(plan, list(plan.objectives.all()), facts, today, labelled=False),
            overdue=overdue_dates(plan.actions.all(), today),
            covered=(sum(1 for s in strengths if s in COVERED), len(strengths)),
        )
        health.coverage = cov  # the at-risk list reads the plan's coverage beside it
    return out

"""Reads about account plans: the facts beside the goals (run-rate, potential, share of
wallet), pipeline coverage, what each guided step still misses, the activity feed."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from keyplan.core.words import plural
from keyplan.plans import wording
from keyplan.plans.choices import (
    IDEA_PIPELINE_STAGES,
    Delivery,
    GoalLevel,
    IdeaStage,
    InvestmentStatus,
    VendorKind,
)
from keyplan.plans.models import AccountPlan, Idea, PlanChange
from keyplan.sales.choices import OpportunityStatus

# The method: an idea pipeline of 2.5-3x the revenue goal can reach it.
COVERAGE_LOW = Decimal("2.5")
COVERAGE_HIGH = Decimal("3")
ZERO = Decimal("0")


def plan_account_ids(plan: AccountPlan) -> list[int]:
    """The accounts whose facts count for the plan: its account, and every account under
    each covered account (a plan for a whole group covers the group's divisions). One
    query; none when the plan page has read them for all its parts, see ``remember``)."""
    from keyplan.accounts.models import AccountLineage

    known = plan.__dict__.get("_page_account_ids")
    if known is not None:
        return list(known)
    covered = AccountPlan.covered_accounts.through.objects.filter(accountplan_id=plan.pk)
    ids = set(
        AccountLineage.objects.filter(ancestor_id__in=covered.values("account_id")).values_list(
            "descendant_id", flat=True
        )
    )
    ids.add(plan.account_id)
    return sorted(ids)


def remember_account_ids(plan: AccountPlan) -> list[int]:
    """Read the plan's accounts once for a page: its facts, health and relationship
    figures all ask for them (the plan object lives for one request)."""
    plan.__dict__.pop("_page_account_ids", None)
    ids = plan_account_ids(plan)
    plan.__dict__["_page_account_ids"] = ids
    return ids


@dataclass
class Facts:
    """What the account buys and could buy, shown beside the goals."""

    window_label: str
    run_rate: Decimal
    potential: Decimal | None
    potential_method: str
    share_of_wallet: float | None
    tier: str | None

    def goal_vs_run_rate(self, goal) -> float | None:
        return float(goal / self.run_rate) if goal and self.run_rate else None


def plan_facts(plan: AccountPlan, window=None) -> Facts:
    return account_facts(plan.account, plan_account_ids(plan), window)


def account_facts(account, ids: list[int], window=None) -> Facts:
    """Run-rate over the default window, potential and share of wallet of ``ids`` (the
    accounts a plan for ``account`` covers)."""
    from keyplan.sales.models import SalesMonth
    from keyplan.territory.analysis.params import Window
    from keyplan.territory.views import account_wallets

    window = window or Window.default()
    run_rate = (
        SalesMonth.objects.filter(
            account_id__in=ids, month__range=(window.start, window.end)
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    wallets = account_wallets(ids, window)
    known = [wallets[i] for i in ids if i in wallets and wallets[i].potential is not None]
    potential = sum((Decimal(w.potential) for w in known), ZERO) if known else None
    methods = sorted({w.method for w in known})
    tier = getattr(getattr(account, "tier", None), "tier", None)
    return Facts(
        window_label=window.label,
        run_rate=run_rate,
        potential=potential,
        potential_method="; ".join(methods) if len(ids) == 1 else f"sum of {len(known)} accounts",
        share_of_wallet=float(run_rate / potential) if potential else None,
        tier=tier,
    )


@dataclass
class Gauge:
    goal: Decimal | None
    pipeline: Decimal
    ratio: Decimal | None
    gap: Decimal  # how much more pipeline reaches 2.5x the goal

    @property
    def status(self) -> str:
        # Compared on the exact amounts, not the rounded ratio: 2,499,999 of a 1M goal
        # is still short of 2.5x (and the gap says by how much).
        if self.ratio is None:
            return "no-goal"
        if self.pipeline < COVERAGE_LOW * self.goal:
            return "low"
        return "in-band" if self.pipeline <= COVERAGE_HIGH * self.goal else "above"

    @property
    def needle(self) -> float:
        """Where the needle sits on a 0-4x scale, as a percentage of the gauge."""
        return min(100.0, float(self.ratio or 0) / 4 * 100)


@dataclass
class Coverage:
    ideas: Decimal
    opportunities: Decimal
    by_delivery: dict = field(default_factory=dict)
    revenue: Gauge | None = None
    stretch: Gauge | None = None
    # Open linked opportunities whose amount is not known yet: counted as deals, not in
    # the pipeline's value (the plan lists them so the rep completes them at source).
    amount_not_known: list = field(default_factory=list)

    @property
    def pipeline(self) -> Decimal:
        return self.ideas + self.opportunities


def gauge(goal, pipeline: Decimal) -> Gauge:
    if not goal:
        return Gauge(goal=goal, pipeline=pipeline, ratio=None, gap=ZERO)
    ratio = (pipeline / goal).quantize(Decimal("0.01"))
    return Gauge(
        goal=goal, pipeline=pipeline, ratio=ratio, gap=max(ZERO, COVERAGE_LOW * goal - pipeline)
    )


def compute_coverage(*, goal, stretch_goal, ideas, opportunities) -> Coverage:
    """``ideas``: (value, stage, delivery, opportunity_id) per idea; ``opportunities``:
    {id: (amount, status)} of every opportunity linked to the plan, directly or by an idea.

    Pipeline = value of ideas not yet opportunities (idea, qualified) + amount of open
    linked opportunities, each opportunity once. An opportunity reached through an idea
    carries the idea's delivery; one linked directly counts as direct. An open
    opportunity whose amount is not known adds nothing: it is listed in
    ``amount_not_known`` instead."""
    by_delivery = {d: ZERO for d in Delivery.values}
    idea_total = ZERO
    delivery_of_opportunity = {}
    for value, stage, delivery, opportunity_id in ideas:
        if stage in IDEA_PIPELINE_STAGES:
            idea_total += value
            by_delivery[delivery] += value
        elif stage == IdeaStage.OPPORTUNITY and opportunity_id:
            delivery_of_opportunity.setdefault(opportunity_id, delivery)
    opportunity_total = ZERO
    not_known = []
    for pk, (amount, status) in opportunities.items():
        if status != OpportunityStatus.OPEN:
            continue
        if amount is None:
            not_known.append(pk)
            continue
        opportunity_total += amount
        by_delivery[delivery_of_opportunity.get(pk, Delivery.DIRECT)] += amount
    cov = Coverage(
        ideas=idea_total,
        opportunities=opportunity_total,
        by_delivery=by_delivery,
        amount_not_known=sorted(not_known),
    )
    cov.revenue = gauge(goal, cov.pipeline)
    cov.stretch = gauge(stretch_goal, cov.pipeline)
    return cov


def coverage(plan: AccountPlan, ideas=None, linked_ids=None) -> Coverage:
    """Pipeline coverage of the plan's revenue and stretch goals (three queries; one when
    the page has read the plan's ``ideas`` and the ids of its ``linked_ids``
    opportunities already)."""
    from keyplan.sales.models import Opportunity

    if ideas is None:
        ideas = list(plan.ideas.values_list("annual_value", "stage", "delivery", "opportunity_id"))
    else:
        ideas = [(i.annual_value, i.stage, i.delivery, i.opportunity_id) for i in ideas]
    idea_opps = {row[3] for row in ideas if row[3] and row[1] == IdeaStage.OPPORTUNITY}
    if linked_ids is None:
        linked_ids = set(plan.opportunities.values_list("pk", flat=True))
    linked = set(linked_ids) | idea_opps
    opportunities = {
        pk: (amount, status)
        for pk, amount, status in Opportunity.objects.filter(pk__in=linked).values_list(
            "pk", "amount", "status"
        )
    }
    return compute_coverage(
        goal=plan.revenue_goal,
        stretch_goal=plan.stretch_goal,
        ideas=ideas,
        opportunities=opportunities,
    )


@dataclass
class Step:
    number: int
    key: str
    title: str
    missing: list[str]

    @property
    def done(self) -> bool:
        return not self.missing


@dataclass
class Loaded:
    """What the plan page has read already (lists of the plan's rows), so the guided
    steps are counted from them instead of seven more queries."""

    goals: list
    ideas: list
    investments: list
    vendors: list
    values: list

    def counts(self) -> tuple[dict, dict, dict, int, int, int, bool]:
        live = [i for i in self.ideas if i.stage != IdeaStage.DROPPED]
        with_case = {c.idea_id for c in self.investments}
        goals = {
            "total": len(self.goals),
            "corporate": sum(1 for g in self.goals if g.level == GoalLevel.CORPORATE),
            "unsourced": sum(
                1 for g in self.goals if g.source_contact_id is None or g.source_date is None
            ),
        }
        ideas = {
            "total": len(live),
            "no_root": sum(1 for i in live if i.root_cause == ""),
            "need": sum(1 for i in live if i.needs_investment),
        }
        investments = {
            "without": sum(1 for i in live if i.needs_investment and i.pk not in with_case)
        }
        pending = sum(1 for c in self.investments if c.status == InvestmentStatus.SUBMITTED)
        competitors = sum(1 for v in self.vendors if v.relation == VendorKind.COMPETITOR)
        in_proposal = any(i.in_proposal for i in self.ideas)
        return goals, ideas, investments, pending, competitors, len(self.values), in_proposal


def progress(
    plan: AccountPlan, cov: Coverage | None = None, loaded: Loaded | None = None
) -> list[Step]:
    """The guided steps in the method's order, each with what it still misses."""
    cov = cov or coverage(plan)
    if loaded is not None:
        goals, ideas, investments, pending, competitors, values, in_proposal = loaded.counts()
    else:
        goals, ideas, investments, pending, competitors, values = _step_counts(plan)
        in_proposal = plan.ideas.filter(in_proposal=True).exists()
    return _steps(plan, cov, goals, ideas, investments, pending, competitors, values, in_proposal)


def _step_counts(plan: AccountPlan):
    goals = plan.goals.aggregate(
        total=Count("pk"),
        corporate=Count("pk", filter=Q(level=GoalLevel.CORPORATE)),
        unsourced=Count("pk", filter=Q(source_contact__isnull=True) | Q(source_date__isnull=True)),
    )
    ideas = plan.ideas.exclude(stage=IdeaStage.DROPPED).aggregate(
        total=Count("pk"),
        no_root=Count("pk", filter=Q(root_cause="")),
        need=Count("pk", filter=Q(needs_investment=True)),
    )
    investments = (
        plan.ideas.filter(needs_investment=True)
        .exclude(stage=IdeaStage.DROPPED)
        .aggregate(
            without=Count("pk", filter=~Q(investments__isnull=False)),
        )
    )
    pending = plan.ideas.filter(investments__status=InvestmentStatus.SUBMITTED).count()
    competitors = plan.vendors.filter(relation=VendorKind.COMPETITOR).count()
    values = plan.values.count()
    return goals, ideas, investments, pending, competitors, values


def _steps(plan, cov, goals, ideas, investments, pending, competitors, values, in_proposal):
    def when(cond, text):
        return [text] if cond else []

    steps = [
        Step(
            1,
            "insights",
            "Our insights and beliefs",
            when(not plan.value_perception.strip(), "How the customer sees our value")
            + when(not values, "The value we deliver, quantified")
            + when(
                not (plan.our_aspirations.strip() or plan.aspiration_statement.strip()),
                "Our aspiration for the account",
            ),
        ),
        Step(
            2,
            "goals",
            "The customer's goals",
            when(not goals["total"], "No customer goals yet")
            + when(goals["total"] and not goals["corporate"], "No corporate (C-level) goal")
            + when(
                goals["unsourced"],
                f"{plural(goals['unsourced'], 'goal')} without who said it and when",
            ),
        ),
        Step(
            3,
            "research",
            "Research: the Three Cs",
            when(
                not (plan.customer_business.strip() or plan.customer_challenges.strip()),
                "Customer: business and challenges",
            )
            + when(not competitors, "Competitors in the account")
            + when(
                not (plan.our_capabilities.strip() or plan.our_offers.strip()),
                "Our company: capabilities and offers",
            ),
        ),
        Step(
            4,
            "ideas",
            "Aspiration design: ideas",
            when(not plan.revenue_goal, "A revenue goal to size the ideas against")
            + when(not ideas["total"], "No ideas yet")
            + when(ideas["no_root"], f"{plural(ideas['no_root'], 'idea')} without a root cause")
            + when(
                cov.revenue is not None and cov.revenue.status == "low",
                f"Pipeline coverage below {COVERAGE_LOW}x the goal",
            ),
        ),
        Step(
            5,
            "investments",
            "Investments",
            when(
                investments["without"],
                f"{plural(investments['without'], 'idea')} "
                f"{'needs' if investments['without'] == 1 else 'need'} an investment case",
            )
            + when(pending, f"{plural(pending, 'case')} waiting for a decision"),
        ),
        Step(
            6,
            "proposal",
            "The proposal to the customer",
            when(not plan.proposal_vision.strip(), "The three-year vision")
            + when(not in_proposal, "Ideas in the proposal")
            + when(not plan.proposal_presented_on, "When it was presented")
            + when(
                plan.proposal_presented_on and not plan.proposal_response.strip(),
                "How the customer responded",
            ),
        ),
    ]
    return steps


@dataclass
class Execution:
    objectives: list  # each objective's Progress, with ``strategy_list`` (its strategies)
    actions: list  # every action of the plan, by due date; a strategy's in its ``action_list``
    loose_actions: list  # the actions under no strategy


def execution(plan: AccountPlan, *, today, ideas=None) -> Execution:
    """Objectives (with their progress) → strategies → actions, in a fixed number of
    queries: what the plan page and the plan's exports show of its execution. ``ideas``,
    the plan's ideas when the caller has read them, count the white space measured."""
    from keyplan.plans.health import objective_progress
    from keyplan.plans.models import Action, Strategy

    # The model's order without the plan (one plan's rows): no join to sort by it.
    objectives = list(
        plan.objectives.select_related("owner", "manual_updated_by").order_by("due_date", "pk")
    )
    progress = objective_progress(plan, objectives, today=today, ideas=ideas)
    strategies = list(Strategy.objects.filter(objective__plan=plan).order_by("pk"))
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related("owner")
        .prefetch_related("contacts")
        .order_by("due_date", "pk")
    )
    by_strategy: dict = {}
    for action in actions:
        by_strategy.setdefault(action.strategy_id, []).append(action)
    by_objective: dict = {}
    for strategy in strategies:
        strategy.action_list = by_strategy.get(strategy.pk, [])
        by_objective.setdefault(strategy.objective_id, []).append(strategy)
    for p in progress:
        p.strategy_list = by_objective.get(p.objective.pk, [])
    return Execution(progress, actions, by_strategy.get(None, []))


def activity(plan: AccountPlan, limit: int = 50) -> list[PlanChange]:
    """The latest changes, each with ``what`` (the kind of thing, in words) and
    ``rows_html`` (each changed field's before and after, in words, as the feed shows
    them: written once per change, see ``feed``)."""
    from keyplan.plans.feed import rows_html

    changes = list(PlanChange.objects.filter(plan=plan).select_related("user")[:limit])
    for change in changes:
        change.what = wording.subject_words(change.subject)
        change.event = wording.event_words(change)
        change.rows_html = rows_html(change)
    return changes


def plans_of_opportunity(*, opportunity, user) -> dict:
    """Where an opportunity comes from and counts, among the plans ``user`` may see: the
    ideas it was made from (each with its plan) and the plans that count it."""
    visible = AccountPlan.objects.visible_to(user)
    return {
        "ideas": list(
            Idea.objects.filter(opportunity=opportunity, plan__in=visible).select_related(
                "plan__account"
            )
        ),
        "counted_in": list(
            visible.filter(opportunities=opportunity).select_related("account").order_by("pk")
        ),
    }

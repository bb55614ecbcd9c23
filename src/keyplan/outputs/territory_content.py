"""Everything an exported territory plan shows, read once through the selectors the
territory plan page reads (``salesplan.facts.territory_facts``, ``realism.realism``,
``pipeline.territory_need``, ``plans.capacity.territory_capacity``), and its parts as
tables of typed values (``tables.Table``) that the workbook, the Markdown file and the
PDF share. A fixed number of queries, however many strategies, activities or objectives
the plan has.

Visibility: the caller passes a plan read through ``TerritoryPlan.objects.visible_to``
(``visible_territory_plan_or_none``); the facts are the rep's own accounts, which
whoever sees the rep's plan sees (people.scope is one rule for both)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from keyplan.core import words
from keyplan.outputs.content import Fact, file_name, plain
from keyplan.outputs.tables import AMOUNT, DATE, ESTIMATE, HOURS, NUMBER, RATIO, Column, Table
from keyplan.salesplan.models import TerritoryPlan

ACCOUNTS_ON_SLIDES = 30  # the deck's facts table: the best accounts; the workbook has all
CHECK_LABELS = {
    "quota": "Objectives against the quota",
    "facts": "Objectives against the facts",
    "pipeline": "Pipeline",
    "capacity": "People's time",
    "strategies": "Strategies",
    "split_line": "Split by product line",
    "split_channel": "Split by channel",
    "split_segment": "Split by customer base and prospects",
}


def visible_territory_plan_or_none(user, pk) -> TerritoryPlan | None:
    """The territory plan ``pk`` if ``user`` may see it, else None (404 then)."""
    return (
        TerritoryPlan.objects.visible_to(user)
        .select_related("rep", "rep__manager")
        .filter(pk=pk)
        .first()
    )


@dataclass
class TerritoryDocument:
    plan: TerritoryPlan
    title: str
    rep_name: str
    period_label: str
    status_label: str
    generated_on: datetime.date
    generated_by: str
    quota: Decimal | None
    facts: object  # salesplan.facts.TerritoryFacts
    realism: object  # salesplan.realism.Realism
    need: object  # salesplan.pipeline.PipelineNeed or None
    at_a_glance: list[Fact]
    strategies: list = field(default_factory=list)  # with .activity_list, .resource_list …
    objective_groups: list[dict] = field(default_factory=list)  # label, objectives, total
    goals: list[str] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        name = file_name(self.rep_name, "rep")
        return f"Territory plan - {name} - FY {self.plan.fiscal_year}"

    @property
    def revenue(self) -> Decimal:
        """The plan's revenue total: its revenue objectives by tier, summed."""
        return self.realism.revenue

    @property
    def objectives_vs_quota(self) -> Decimal | None:
        if not self.quota or not self.revenue:
            return None
        return (self.revenue / self.quota).quantize(Decimal("0.01"))

    @property
    def accounts(self) -> list:
        """The facts' accounts (every A account, the best of each other tier), by the
        revenue one might expect."""
        rows = [row for tier in self.facts.tiers for row in tier.rows]
        return sorted(rows, key=lambda f: (-f.expected, f.name, f.account_id))

    def tier_objective(self, tier: str) -> Decimal | None:
        """The revenue objectives for ``tier`` summed; None when the plan sets none."""
        from keyplan.salesplan.choices import ObjectiveKind

        targets = [
            o.target
            for g in self.objective_groups
            for o in g["objectives"]
            if o.kind == ObjectiveKind.REVENUE_TIER and o.dimension == tier
        ]
        return sum(targets, Decimal(0)) if targets else None


def _glance(plan, quota, facts, realism, need) -> list[Fact]:
    from keyplan.salesplan.realism import over_quota

    revenue = realism.revenue
    vs_quota = (revenue / quota).quantize(Decimal("0.01")) if quota and revenue else None
    return [
        Fact("Quota", quota, words.amount(quota) if quota is not None else "not set"),
        Fact(
            "Revenue objectives (by tier)",
            revenue,
            words.amount(revenue)
            + (f" ({words.ratio(vs_quota)} the quota)" if vs_quota is not None else ""),
        ),
        Fact(
            f"Objectives against the quota ({words.ratio(over_quota())} asked)",
            vs_quota,
            words.ratio(vs_quota) if vs_quota is not None else words.EMPTY,
        ),
        Fact(
            "Opportunity: forecast + white space",
            facts.expected,
            words.estimate(facts.expected)
            + (f" ({words.ratio(facts.coverage)} the quota)" if facts.coverage else ""),
        ),
        Fact("Forecast of the year", facts.forecast, words.estimate(facts.forecast)),
        Fact("White space expected", facts.white_space, words.estimate(facts.white_space)),
        Fact("Open pipeline closing in the year", facts.pipeline, words.estimate(facts.pipeline)),
        Fact(
            "Accounts (A accounts without an account plan)",
            facts.accounts,
            f"{words.number(facts.accounts)} ({len(facts.a_without_plan)} A without a plan)",
        ),
    ]


def territory_document(plan: TerritoryPlan, user) -> TerritoryDocument:
    """Everything the exports show of ``plan`` (a plan ``user`` may see)."""
    from keyplan.plans.capacity import territory_capacity
    from keyplan.salesplan.choices import REVENUE_KINDS, Leverage
    from keyplan.salesplan.facts import territory_facts
    from keyplan.salesplan.pipeline import territory_need
    from keyplan.salesplan.realism import realism
    from keyplan.salesplan.territory.views import DIMENSION_LABELS, OBJECTIVE_GROUPS

    today = timezone.localdate()
    strategies = list(
        plan.strategies.prefetch_related(
            "target_accounts", "resources__person", "objectives"
        ).order_by("pk")
    )
    activities = list(
        plan.activities.select_related("owner", "strategy").order_by("due_date", "pk")
    )
    objectives = list(
        plan.objectives.select_related("product_line")
        .prefetch_related("strategies")
        .order_by("kind", "dimension", "pk")
    )
    by_strategy: dict[int, list] = {}
    for a in activities:
        by_strategy.setdefault(a.strategy_id, []).append(a)
    labels = dict(Leverage.choices)
    for s in strategies:
        s.activity_list = by_strategy.get(s.pk, [])
        s.resource_list = list(s.resources.all())
        s.leverage_labels = [labels[v] for v in s.leverages or [] if v in labels]
        s.account_list = list(s.target_accounts.all())
        s.objective_list = list(s.objectives.all())
        s.hours_per_month = sum((r.hours_per_month for r in s.resource_list), Decimal(0))
    groups = []
    for kind, label in OBJECTIVE_GROUPS:
        items = [o for o in objectives if o.kind == kind]
        for o in items:
            o.about = DIMENSION_LABELS.get(o.dimension, o.dimension) or (
                o.product_line.name if o.product_line_id else ""
            )
            o.strategy_titles = [s.title for s in o.strategies.all()]
        total = sum((o.target for o in items), Decimal(0)) if kind in REVENUE_KINDS else None
        groups.append({"kind": kind, "label": label, "objectives": items, "total": total})

    facts = territory_facts(rep=plan.rep, fiscal_year=plan.fiscal_year)
    need = territory_need(plan, today=today)
    check = realism(plan, facts=facts, need=need, capacity=territory_capacity(plan))
    rep_name = plain(str(plan.rep))
    return TerritoryDocument(
        plan=plan,
        title=f"Territory plan: {rep_name} · {plan.period.name}",
        rep_name=rep_name,
        period_label=plan.period.label,
        status_label=plan.get_status_display(),
        generated_on=today,
        generated_by=str(user),
        quota=facts.quota,
        facts=facts,
        realism=check,
        need=need,
        at_a_glance=_glance(plan, facts.quota, facts, check, need),
        strategies=strategies,
        objective_groups=groups,
        goals=[plain(g.text) for g in plan.goals.order_by("pk")],
    )


# -- the parts as tables ---------------------------------------------------------------


def glance_table(doc: TerritoryDocument) -> Table:
    f = doc.facts
    rows = [
        ["Rep", doc.rep_name, None],
        ["Fiscal year", doc.period_label, None],
        ["Status", doc.status_label, None],
        ["Quota", doc.quota, AMOUNT],
        ["Revenue objectives (by tier)", doc.revenue, AMOUNT],
        ["Revenue objectives against the quota", doc.objectives_vs_quota, RATIO],
        ["Opportunity (forecast + white space)", f.expected, ESTIMATE],
        ["Opportunity against the quota", f.coverage, RATIO],
        ["Run-rate (the twelve months before the year)", f.run_rate, ESTIMATE],
        ["Forecast of the year", f.forecast, ESTIMATE],
        ["White space expected", f.white_space, ESTIMATE],
        ["Open pipeline closing in the year", f.pipeline, ESTIMATE],
        ["Accounts", f.accounts, NUMBER],
        ["A accounts without an account plan", len(f.a_without_plan), NUMBER],
    ]
    return Table(
        "at a glance",
        "At a glance",
        [Column("Figure", width=44), Column("Value", width=24), Column("kind", width=0)],
        rows,
    )


def tiers_table(doc: TerritoryDocument) -> Table:
    return Table(
        "tiers",
        "The accounts by tier",
        [
            Column("Tier", width=14),
            Column("Worked", width=12),
            Column("Accounts", NUMBER, 13),
            Column("Run-rate", ESTIMATE),
            Column("Forecast", ESTIMATE),
            Column("White space", ESTIMATE),
            Column("Expected revenue", ESTIMATE),
            Column("Open pipeline", ESTIMATE),
            Column("Revenue objective", AMOUNT),
        ],
        [
            [
                t.label,
                t.working,
                t.accounts,
                t.run_rate,
                t.forecast,
                t.white_space,
                t.expected,
                t.pipeline,
                doc.tier_objective(t.tier) if t.tier else None,
            ]
            for t in doc.facts.tiers
        ],
    )


def accounts_table(doc: TerritoryDocument, limit: int | None = None) -> Table:
    rows = doc.accounts[:limit] if limit else doc.accounts
    return Table(
        "accounts",
        "The accounts and the revenue one might expect",
        [
            Column("Account", width=34),
            Column("Tier", width=8),
            Column("Run-rate", ESTIMATE),
            Column("Forecast", ESTIMATE),
            Column("White space", ESTIMATE),
            Column("Expected revenue", ESTIMATE),
            Column("Open pipeline", ESTIMATE),
            Column("Open deals", NUMBER, 10),
            Column("Account plan", width=12),
        ],
        [
            [
                plain(a.name),
                a.tier or words.EMPTY,
                a.run_rate,
                a.forecast,
                a.white_space,
                a.expected,
                a.pipeline,
                a.pipeline_count,
                words.yes_no(a.plan_id is not None),
            ]
            for a in rows
        ],
    )


def products_table(doc: TerritoryDocument) -> Table:
    return Table(
        "products",
        "Opportunity by product",
        [
            Column("Product", width=32),
            Column("Product line", width=24),
            Column("White space", ESTIMATE),
            Column("Open pipeline", ESTIMATE),
            Column("Opportunity", ESTIMATE),
        ],
        [
            [plain(p.name), plain(p.line), p.white_space, p.pipeline, p.total]
            for p in doc.facts.products
        ],
    )


def resources_in_words(s) -> str:
    return "; ".join(
        f"{r.person}: {words.number(r.hours_per_month)} h a month"
        + (f" ({plain(r.role)})" if plain(r.role) else "")
        for r in s.resource_list
    )


def aims_in_words(s) -> str:
    tiers = [f"{t} accounts" for t in s.target_tiers or []]
    return words.names(tiers + [plain(a.name) for a in s.account_list])


def strategies_table(doc: TerritoryDocument) -> Table:
    return Table(
        "strategies",
        "Strategies and the people they need",
        [
            Column("Strategy", width=30),
            Column("How", width=44),
            Column("Leverages", width=24),
            Column("Aims at", width=28),
            Column("From", DATE, 14),
            Column("To (month)", DATE, 14),
            Column("People and hours", width=40),
            Column("Hours a month", HOURS, 12),
            Column("Activities", NUMBER, 10),
            Column("Objectives served", NUMBER, 10),
        ],
        [
            [
                plain(s.title),
                plain(s.description),
                ", ".join(s.leverage_labels),
                aims_in_words(s),
                s.first_month,
                s.last_month,
                resources_in_words(s),
                s.hours_per_month,
                len(s.activity_list),
                len(s.objective_list),
            ]
            for s in doc.strategies
        ],
    )


def activities_table(doc: TerritoryDocument) -> Table:
    return Table(
        "activities",
        "Activities",
        [
            Column("Strategy", width=28),
            Column("Activity", width=44),
            Column("Owner", width=22),
            Column("Due", DATE, 14),
            Column("Effort", HOURS, 10),
            Column("Status", width=14),
        ],
        [
            [
                plain(s.title),
                plain(a.title),
                str(a.owner),
                a.due_date,
                a.effort_hours,
                a.get_status_display(),
            ]
            for s in doc.strategies
            for a in s.activity_list
        ],
    )


def objectives_table(doc: TerritoryDocument) -> Table:
    from keyplan.salesplan.choices import REVENUE_KINDS

    rows = []
    for g in doc.objective_groups:
        for o in g["objectives"]:
            revenue = o.kind in REVENUE_KINDS
            rows.append(
                [
                    g["label"],
                    plain(o.title),
                    plain(o.about),
                    o.target if revenue else None,
                    None if revenue else o.target,
                    "" if revenue else o.get_cadence_display(),
                    "; ".join(plain(t) for t in o.strategy_titles),
                ]
            )
    return Table(
        "objectives",
        "Objectives",
        [
            Column("Group", width=30),
            Column("Objective", width=40),
            Column("About", width=20),
            Column("Revenue target", AMOUNT),
            Column("Count target", NUMBER, 12),
            Column("Counted", width=14),
            Column("Serves the strategies", width=40),
        ],
        rows,
    )


def realism_table(doc: TerritoryDocument) -> Table:
    return Table(
        "realism",
        "Realism check",
        [Column("Check", width=34), Column("Finding", width=90), Column("Holds", width=8)],
        [
            [CHECK_LABELS.get(c.name, c.name), plain(c.sentence), words.yes_no(c.ok)]
            for c in doc.realism.checks
        ],
    )


def goals_table(doc: TerritoryDocument) -> Table:
    return Table("goals", "Goals", [Column("Goal", width=90)], [[g] for g in doc.goals])


def all_tables(doc: TerritoryDocument) -> list[Table]:
    return [
        glance_table(doc),
        tiers_table(doc),
        accounts_table(doc),
        products_table(doc),
        strategies_table(doc),
        activities_table(doc),
        objectives_table(doc),
        realism_table(doc),
        goals_table(doc),
    ]

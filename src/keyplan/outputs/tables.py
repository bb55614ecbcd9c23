"""The plan's parts as tables of typed values (text, amounts, dates, percentages), one
definition shared by the workbook (real numbers and dates in cells), the Markdown file
and the PDF (the same values in words), so the formats cannot disagree on a column."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from keyplan.core import words
from keyplan.outputs.content import PlanDocument, plain

# Column kinds: how a value is written in words, and the workbook's number format.
# ESTIMATE: an amount keyplan computes or predicts (run-rate, potential, pipeline,
# forecast, white space), written to the unit beside the amounts people typed.
TEXT, AMOUNT, ESTIMATE, DATE, PERCENT, RATIO, NUMBER, HOURS = (
    "text",
    "amount",
    "estimate",
    "date",
    "percent",
    "ratio",
    "number",
    "hours",
)


@dataclass
class Column:
    name: str
    kind: str = TEXT
    width: int = 18  # in the workbook, characters


@dataclass
class Table:
    key: str  # the workbook's sheet name
    title: str
    columns: list[Column]
    rows: list[list]


def in_words(value, kind: str) -> str:
    """A cell's value as the pages write it."""
    if value is None or value == "":
        return words.EMPTY
    if kind == AMOUNT:
        return words.amount(value)
    if kind == ESTIMATE:
        return words.estimate(value)
    if kind == DATE:
        return words.day(value)
    if kind == PERCENT:
        return f"{float(value):.0%}"
    if kind == RATIO:
        return words.ratio(value)
    if kind in (NUMBER, HOURS):
        return words.number(value) + (" h" if kind == HOURS else "")
    return plain(value)


def _num(value):
    return None if value is None else Decimal(value)


def at_a_glance(doc: PlanDocument) -> Table:
    plan = doc.plan
    rows = [
        ["Account", doc.account_name, None],
        ["Period", doc.period_label, None],
        ["Owner", doc.owner_name, None],
        ["Status", doc.status_label, None],
        [f"Run-rate ({doc.facts.window_label})", _num(doc.facts.run_rate), ESTIMATE],
        ["Potential per year", _num(doc.facts.potential), ESTIMATE],
        ["Share of wallet", doc.facts.share_of_wallet, PERCENT],
        ["ICP tier", doc.facts.tier or words.EMPTY, None],
        # At a glance every sum reads to the unit, as the roll-ups do: the pipeline adds
        # up ideas and deals to the cent, and a goal beside it reads the same way (the
        # workbook keeps the exact value).
        ["Revenue goal", _num(plan.revenue_goal), ESTIMATE],
        ["Stretch goal", _num(plan.stretch_goal), ESTIMATE],
        [
            f"{plan.aspiration_years}-year aspiration (a year)",
            _num(plan.aspiration_value),
            ESTIMATE,
        ],
        ["Pipeline", doc.coverage.pipeline, ESTIMATE],
        [
            "Pipeline coverage of the revenue goal",
            doc.coverage.revenue.ratio if doc.coverage.revenue else None,
            RATIO,
        ],
        ["Plan health (of 100)", doc.health.score, NUMBER],
    ]
    return Table(
        "at a glance",
        "At a glance",
        [Column("Figure", width=40), Column("Value", width=24), Column("kind", width=0)],
        rows,
    )


def customer_goals(doc: PlanDocument) -> Table:
    return Table(
        "customer goals",
        "The customer's goals",
        [
            Column("Level", width=22),
            Column("Goal", width=40),
            Column("Organisation"),
            Column("Who holds it", width=24),
            Column("Story", width=50),
            Column("Their aspiration", width=40),
            Column("How they measure our value", width=40),
            Column("Their target", AMOUNT),
            Column("Heard from", width=22),
            Column("Heard on", DATE, 16),
        ],
        [
            [
                g.get_level_display(),
                plain(g.title),
                plain(g.organisation.name) if g.organisation_id else "",
                ", ".join(c.name for c in g.contacts.all()),
                plain(g.story),
                plain(g.customer_aspiration),
                plain(g.value_measure),
                _num(g.target_value),
                g.source_contact.name if g.source_contact_id else "",
                g.source_date,
            ]
            for g in doc.customer_goals
        ],
    )


def relationship_map(doc: PlanDocument) -> Table:
    return Table(
        "relationship map",
        "The relationship map",
        [
            Column("Name", width=24),
            Column("Title", width=30),
            Column("Account", width=28),
            Column("Role in decisions"),
            Column("Attitude"),
            Column("Relationship"),
            Column("Held by", width=22),
            Column("Reports to", width=24),
        ],
        [
            [
                c.name,
                plain(c.title),
                plain(c.account.name),
                c.get_decision_role_display() if c.decision_role else "",
                c.get_attitude_display() if c.attitude else "",
                c.get_relationship_strength_display() if c.relationship_strength else "",
                str(c.relationship_owner) if c.relationship_owner_id else "",
                c.reports_to.name if c.reports_to_id else "",
            ]
            for c in doc.contacts
        ],
    )


def white_space(doc: PlanDocument) -> Table:
    return Table(
        "white space",
        "White space",
        [
            Column("Product", width=32),
            Column("Product line", width=24),
            Column(
                "Expected value" if doc.white_space_predicted else "Value at peers' share",
                ESTIMATE,
            ),
            Column("Probability", PERCENT, 12),
        ],
        [[c["name"], c["line"], _num(c["value"]), c.get("probability")] for c in doc.white_space],
    )


def ideas(doc: PlanDocument) -> Table:
    return Table(
        "ideas",
        "Ideas",
        [
            Column("Idea", width=36),
            Column("For the customer's goal", width=30),
            Column("Problem", width=40),
            Column("Root cause", width=40),
            Column("Delivery", width=22),
            Column("Annual value", AMOUNT),
            Column("Expected by", DATE, 16),
            Column("Confidence", PERCENT, 14),
            Column("Stage", width=15),
            Column("In the proposal", width=12),
        ],
        [
            [
                plain(i.title),
                plain(i.goal.title) if i.goal_id else "",
                plain(i.problem_statement),
                plain(i.root_cause),
                i.get_delivery_display() + (f": {plain(i.partner_name)}" if i.partner_name else ""),
                _num(i.annual_value),
                i.expected_date,
                i.confidence / 100,
                i.get_stage_display(),
                words.yes_no(i.in_proposal),
            ]
            for i in doc.ideas
        ],
    )


def coverage(doc: PlanDocument) -> Table:
    cov = doc.coverage
    rows = [
        ["Open ideas (idea, qualified)", cov.ideas],
        ["Open opportunities", cov.opportunities],
        ["Pipeline", cov.pipeline],
        ["By us directly", cov.by_delivery.get("direct")],
        ["Jointly with the customer", cov.by_delivery.get("joint")],
        ["With partners", cov.by_delivery.get("partner")],
    ]
    # Sums of ideas and deals: to the unit, as the at-a-glance pipeline beside them.
    out = [[label, value, ESTIMATE] for label, value in rows]
    for name, g in (("revenue goal", cov.revenue), ("stretch goal", cov.stretch)):
        if g is not None and g.ratio is not None:
            out.append([f"Coverage of the {name}", g.ratio, RATIO])
            out.append([f"More pipeline to reach 2.5x the {name}", g.gap, ESTIMATE])
    return Table(
        "coverage",
        "Pipeline coverage",
        [Column("Figure", width=44), Column("Value", width=20), Column("kind", width=0)],
        out,
    )


def investments(doc: PlanDocument) -> Table:
    return Table(
        "investments",
        "Investments asked",
        [
            Column("Investment", width=36),
            Column("For the idea", width=30),
            Column("Total cost", AMOUNT),
            Column("Customer's share", PERCENT, 12),
            Column("Our cost", AMOUNT),
            Column("Expected return", AMOUNT),
            Column("Payback (months)", NUMBER, 12),
            Column("Status", width=22),
            Column("Decided on", DATE, 16),
            Column("Risks", width=50),
        ],
        [
            [
                plain(c.title),
                plain(c.idea.title),
                _num(c.cost),
                float(c.customer_share) / 100,
                c.our_cost.quantize(Decimal("0.01")),
                _num(c.expected_return),
                c.payback_months,
                c.get_status_display(),
                c.decided_at.date() if c.decided_at else None,
                plain(c.risks),
            ]
            for c in doc.investments
        ],
    )


def objectives(doc: PlanDocument) -> Table:
    rows = []
    for p in doc.objectives:
        o = p.objective
        rows.append(
            [
                "Objective",
                f"{o.get_category_display()}: {plain(o.title)}",
                plain(o.metric),
                _num(o.baseline),
                _num(o.target),
                _num(p.current),
                p.fraction,
                o.due_date,
                str(o.owner) if o.owner_id else "",
                "on track" if p.on_track else "behind",
                None,
            ]
        )
        for s in p.strategy_list:
            rows.append(
                [
                    "Strategy",
                    plain(s.description),
                    plain(s.resources),
                    None,
                    None,
                    None,
                    None,
                    None,
                    "",
                    "",
                    None,
                ]
            )
            rows += [_action_row(a) for a in s.action_list]
    rows += [_action_row(a, "Action (no strategy)") for a in doc.loose_actions]
    rows += [
        [
            "Milestone",
            plain(m.title),
            "",
            None,
            None,
            None,
            None,
            m.date,
            "",
            "reached" if m.reached else "",
            None,
        ]
        for m in doc.milestones
    ]
    return Table(
        "objectives",
        "Objectives, strategies and actions",
        [
            Column("Kind", width=18),
            Column("What", width=50),
            Column("Metric or resources", width=30),
            Column("Baseline", NUMBER, 12),
            Column("Target", NUMBER, 12),
            Column("Now", NUMBER, 12),
            Column("Of the way", PERCENT, 10),
            Column("Due", DATE, 16),
            Column("Owner", width=22),
            Column("Status", width=12),
            Column("Effort", HOURS, 10),
        ],
        rows,
    )


def _action_row(a, kind="Action") -> list:
    return [
        kind,
        plain(a.title),
        ", ".join(c.name for c in a.contacts.all()),
        None,
        None,
        None,
        None,
        a.due_date,
        str(a.owner),
        a.get_status_display(),
        _num(a.effort_hours),
    ]


def risks_and_asks(doc: PlanDocument) -> Table:
    rows = [["Risk", r.label, r.text, "", None, None, None, ""] for r in doc.risks]
    for a in doc.asks:
        cost, hours = (a.amount, None) if a.kind == "investment" else (None, a.amount)
        rows.append(["Ask", a.label, a.what, a.of_whom, cost, hours, a.by, a.status])
    return Table(
        "risks and asks",
        "Risks and asks of leadership",
        [
            Column("Kind", width=8),
            Column("About", width=14),
            Column("What", width=70),
            Column("Of whom", width=22),
            Column("Our cost", AMOUNT),
            Column("Hours", HOURS, 10),
            Column("By", DATE, 16),
            Column("Status", width=22),
        ],
        rows,
    )


def commitments(doc: PlanDocument) -> Table:
    """What the rest of the company committed to (or was asked to): one row each."""
    return Table(
        "commitments",
        "Commitments from the company",
        [
            Column("From", width=16),
            Column("For", width=32),
            Column("Committed scope", width=50),
            Column("Holds from", DATE, 14),
            Column("Holds until", DATE, 14),
            Column("Asked of", width=22),
            Column("Committed by", width=22),
            Column("Answered on", DATE, 14),
            Column("Status", width=22),
            Column("Their answer", width=40),
        ],
        [
            [
                c.function,
                c.what,
                c.scope,
                c.holds_from,
                c.holds_to,
                c.asked_of,
                c.committed_by,
                c.committed_on,
                c.status,
                c.response,
            ]
            for c in doc.commitments
        ],
    )


def discussion(doc: PlanDocument) -> Table:
    """The plan's open comment threads: one row per comment, thread by thread."""
    return Table(
        "discussion",
        "Discussion",
        [
            Column("About", width=36),
            Column("Who", width=22),
            Column("On", DATE, 14),
            Column("Comment", width=80),
        ],
        [
            [d.about, r.author, r.on, r.text + (" (edited)" if r.edited else "")]
            for d in doc.discussion
            for r in d.remarks
        ],
    )


def all_tables(doc: PlanDocument) -> list[Table]:
    return [
        at_a_glance(doc),
        customer_goals(doc),
        relationship_map(doc),
        white_space(doc),
        ideas(doc),
        coverage(doc),
        investments(doc),
        objectives(doc),
        commitments(doc),
        risks_and_asks(doc),
        discussion(doc),
    ]


def is_date(value) -> bool:
    return isinstance(value, datetime.date)

"""The plan as Markdown (GitHub-flavoured: tables), for a wiki, a pull request or an
email. What people wrote is escaped, so a title like ``*urgent* <script>`` shows as
written and never becomes emphasis, a link or HTML where the file is rendered."""

import re

from keyplan.core import words
from keyplan.outputs import tables
from keyplan.outputs.content import PlanDocument, commitment_in_words, plain

# Marks that act anywhere in a line; a line's first characters (a heading, a list item, a
# quote) are escaped apart, so ordinary hyphens and dates stay readable in the raw file.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])")


def md(text) -> str:
    """Plain text safe inside a Markdown paragraph or table cell, on one line and never at
    a line's start (``md_block`` is for text that starts lines)."""
    text = " ".join(plain(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def md_block(text) -> str:
    """Several lines of plain text, each line escaped, line breaks kept."""
    lines = [
        _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), md(line))
        for line in plain(text).split("\n")
    ]
    return "  \n".join(line for line in lines) if any(lines) else words.EMPTY


def _cell(value, kind) -> str:
    return md(tables.in_words(value, kind)) if kind != tables.TEXT else md(value or words.EMPTY)


def table(t: tables.Table) -> list[str]:
    cols = [c for c in t.columns if c.name != "kind"]
    per_row_kind = len(cols) < len(t.columns)
    if not t.rows:
        return ["*None.*", ""]
    out = [
        "| " + " | ".join(md(c.name) for c in cols) + " |",
        "|" + "|".join("---:" if c.kind != tables.TEXT else "---" for c in cols) + "|",
    ]
    for row in t.rows:
        if per_row_kind:
            cells = [md(row[0]), _cell(row[1], row[2] or tables.TEXT)]
        else:
            cells = [_cell(v, c.kind) for v, c in zip(row, cols, strict=True)]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def render(doc: PlanDocument) -> bytes:
    plan = doc.plan
    out = [
        f"# {md(doc.title)}",
        "",
        f"{md(doc.period_label)} · owner {md(doc.owner_name)} · {md(doc.status_label)} · "
        f"exported {md(words.day(doc.generated_on))} by {md(doc.generated_by)}",
        "",
        "## At a glance",
        "",
        *table(tables.at_a_glance(doc)),
        "## Goals and aspiration",
        "",
        f"- **Revenue goal:** {md(words.amount(plan.revenue_goal))}",
        f"- **Stretch goal:** {md(words.amount(plan.stretch_goal))}",
        f"- **{plan.aspiration_years}-year aspiration:** "
        + (f"{md(words.amount(plan.aspiration_value))} a year. " if plan.aspiration_value else "")
        + md(plan.aspiration_statement or words.EMPTY),
        f"- **Team:** {md(words.names(doc.team))}",
    ]
    if doc.qualitative_goals:
        out.append("- **Qualitative goals:** " + "; ".join(md(q) for q in doc.qualitative_goals))
    out += ["", "## Pipeline coverage", "", *table(tables.coverage(doc))]
    if doc.forecast_sentences:
        out += ["## Forecast against the goals", ""]
        out += [md(s) + "\n" for s in doc.forecast_sentences]
    out += [f"## Plan health: {doc.health.score}/100", ""]
    out += [
        f"- {md(r.label)}: {round(r.points)}/{r.out_of} — {md(r.detail)}"
        for r in doc.health.reasons
    ]
    out += ["", "## The customer's goals", ""]
    for g in doc.customer_goals:
        out += [f"### {md(g.title)}", "", f"*{md(g.get_level_display())}*", ""]
        for label, value in (
            ("The story", g.story),
            ("Their aspiration", g.customer_aspiration),
            ("How they measure our value", g.value_measure),
        ):
            if plain(value):
                out += [f"**{label}:** {md_block(value)}", ""]
        if g.target_value is not None:
            out += [f"**Their target:** {md(words.amount(g.target_value))}", ""]
        if g.source_contact_id or g.source_date:
            who = g.source_contact.name if g.source_contact_id else words.EMPTY
            out += [f"*Heard from {md(who)} on {md(words.day(g.source_date))}.*", ""]
    if not doc.customer_goals:
        out += ["*None yet.*", ""]
    for t in (
        tables.relationship_map(doc),
        tables.white_space(doc),
        tables.ideas(doc),
        tables.investments(doc),
    ):
        out += [f"## {md(t.title)}", "", *table(t)]
    out += ["## Objectives, strategies and actions", ""]
    for p in doc.objectives:
        o = p.objective
        out += [
            f"### {md(o.get_category_display())}: {md(o.title)}",
            "",
            f"{md(o.metric)}: from {md(words.number(o.baseline))} to "
            f"**{md(words.number(o.target))}** by {md(words.day(o.due_date))} · owner "
            f"{md(o.owner or words.EMPTY)} · now {md(words.number(p.current))}"
            + (f" ({p.percent}% of the way)" if p.percent is not None else "")
            + f" · {'on track' if p.on_track else 'behind'}",
            "",
        ]
        for s in p.strategy_list:
            out.append(
                f"1. **{md(s.description)}**"
                + (f" — needs {md(s.resources)}" if plain(s.resources) else "")
            )
            out += [f"    - {_action(a)}" for a in s.action_list]
        out.append("")
    if doc.loose_actions:
        out += ["### Actions not tied to a strategy", ""]
        out += [f"- {_action(a)}" for a in doc.loose_actions] + [""]
    if doc.milestones:
        out += ["### Milestones", ""]
        out += [
            f"- {'✓ ' if m.reached else ''}{md(words.day(m.date))} — {md(m.title)}"
            for m in doc.milestones
        ] + [""]
    out += ["## Commitments from the company", ""]
    out += [f"- {md(commitment_in_words(c))}" for c in doc.commitments] or [
        "*No commitment asked of delivery, manufacturing or finance.*"
    ]
    out += ["", "## Risks", ""]
    out += [f"- *{md(r.label)}:* {md(r.text)}" for r in doc.risks] or ["*None recorded.*"]
    out += ["", "## Asks of leadership", ""]
    out += [f"- {_ask(a)}" for a in doc.asks] or ["*Nothing asked.*"]
    if doc.discussion:
        out += ["", "## Discussion", ""]
        for d in doc.discussion:
            out += [f"### {md(d.about)}", ""]
            out += [
                f"- **{md(r.author)}**, {md(words.day(r.on))}"
                + (" (edited)" if r.edited else "")
                + f": {md(r.text)}"
                for r in d.remarks
            ] + [""]
    return ("\n".join(out).rstrip() + "\n").encode()


def _action(a) -> str:
    return (
        f"{md(a.title)} — {md(a.owner)}, due {md(words.day(a.due_date))}, "
        f"{md(words.number(a.effort_hours))} h, {md(a.get_status_display().lower())}"
    )


def _ask(a) -> str:
    if a.kind == "investment":
        return (
            f"**Investment:** {md(a.what)} — our cost {md(words.amount(a.amount))} "
            f"({md(a.status.lower())})"
        )
    if a.kind == "commitment":
        return (
            f"**Commitment:** {md(a.what)} — asked of {md(a.of_whom)}, answer by "
            f"{md(words.day(a.by))} ({md(a.status.lower())})"
        )
    hours = f", {md(words.number(a.amount))} h" if a.amount is not None else ""
    return (
        f"**Help:** {md(a.what)} — asked of {md(a.of_whom)} by {md(words.day(a.by))}"
        f"{hours} ({md(a.status.lower())})"
    )

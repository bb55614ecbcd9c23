"""The territory plan as a PDF, a workbook and Markdown: the same tables
(``territory_content``) written by the account plan's writers — ``pdf.table_context``
and the shared PDF look, ``workbook.workbook_of``, ``markdown.table``."""

from django.template.loader import render_to_string

from keyplan.core import words
from keyplan.outputs import markdown, pdf, workbook
from keyplan.outputs.markdown import md
from keyplan.outputs.territory_content import (
    CHECK_LABELS,
    TerritoryDocument,
    accounts_table,
    activities_table,
    all_tables,
    glance_table,
    objectives_table,
    products_table,
    strategies_table,
    tiers_table,
)


def render_xlsx(doc: TerritoryDocument) -> bytes:
    return workbook.workbook_of(all_tables(doc), title=doc.title, creator=doc.generated_by)


def pdf_context(doc: TerritoryDocument) -> dict:
    from keyplan.salesplan.realism import over_quota

    quota = doc.quota or 0
    return {
        "doc": doc,
        "generated_on": words.day(doc.generated_on),
        "glance": pdf.table_context(glance_table(doc)),
        "total_bars": pdf.bars(
            [
                ("Revenue objectives (by tier)", doc.revenue),
                ("Quota", quota),
                (f"{words.ratio(over_quota())} the quota", quota * over_quota()),
                ("Opportunity (forecast + white space)", doc.facts.expected),
            ]
        ),
        "tier_bars": pdf.bars(
            [
                (f"{t.label}: objective", doc.tier_objective(t.tier))
                for t in doc.facts.tiers
                if t.tier
            ]
            + [(f"{t.label}: expected", t.expected) for t in doc.facts.tiers if t.tier]
        ),
        "product_bars": pdf.bars((p.name, p.total) for p in doc.facts.products),
        "tiers": pdf.table_context(tiers_table(doc)),
        "accounts": pdf.table_context(accounts_table(doc)),
        "products": pdf.table_context(products_table(doc)),
        "strategies": pdf.table_context(strategies_table(doc)),
        "activities": pdf.table_context(activities_table(doc)),
        "objectives": pdf.table_context(objectives_table(doc)),
        "checks": [
            {"label": CHECK_LABELS.get(c.name, c.name), "ok": c.ok, "sentence": c.sentence}
            for c in doc.realism.checks
        ],
    }


def render_pdf(doc: TerritoryDocument) -> bytes:
    return pdf.pdf_of(render_to_string("outputs/territory.html", pdf_context(doc)))


def render_md(doc: TerritoryDocument) -> bytes:
    f = doc.facts
    out = [
        f"# {md(doc.title)}",
        "",
        f"{md(doc.period_label)} · {md(doc.status_label)} · exported "
        f"{md(words.day(doc.generated_on))} by {md(doc.generated_by)}",
        "",
        "## The territory at a glance",
        "",
        f"**{md(f.headline)}**",
        "",
        *markdown.table(glance_table(doc)),
    ]
    if doc.need is not None:
        out += [md(doc.need.sentence), ""]
    for t in (tiers_table(doc), accounts_table(doc), products_table(doc)):
        out += [f"## {md(t.title)}", "", *markdown.table(t)]
    for t in (strategies_table(doc), activities_table(doc), objectives_table(doc)):
        out += [f"## {md(t.title)}", "", *markdown.table(t)]
    out += ["## Realism check", ""]
    out += [
        f"- {'✓' if c.ok else '✗'} **{md(CHECK_LABELS.get(c.name, c.name))}:** {md(c.sentence)}"
        for c in doc.realism.checks
    ]
    out += ["", "## Goals", ""]
    out += [f"- {md(g)}" for g in doc.goals] or ["*None yet.*"]
    return ("\n".join(out).rstrip() + "\n").encode()

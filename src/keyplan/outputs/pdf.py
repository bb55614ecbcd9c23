"""The plan as a print-ready PDF (WeasyPrint, from an HTML template of the same content
as the other formats): A4 landscape pages with the account and page numbers in the
footer. No network: fonts are the machine's (fontconfig), the relationship map is
embedded as a data: image, and any other URL, http(s) above all, is refused."""

import base64

from django.template.loader import render_to_string

from keyplan.core import words
from keyplan.outputs import mapimage, tables
from keyplan.outputs.content import PlanDocument, ask_in_words, commitment_in_words


def _fetcher():
    """WeasyPrint's url_fetcher allowing data: URLs only (the embedded map): a
    stylesheet, font or picture from anywhere else would make the PDF depend on the
    network, or tell a server that the plan was opened. WeasyPrint 66 and later take a
    ``URLFetcher`` object (with ``allowed_protocols``); earlier ones a function."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # older WeasyPrint
        from weasyprint.urls import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError(f"{url[:80]} refused")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)


def _css(kind) -> str:
    """A cell's class: figures right-aligned, dates never broken at their hyphens."""
    if kind is None or kind == tables.TEXT:
        return ""
    return "num date" if kind == tables.DATE else "num"


def table_context(t: tables.Table) -> dict:
    """A table as the PDF template's ``_pdf_table.html`` reads it: each value in words."""
    cols = [c for c in t.columns if c.name != "kind"]
    per_row_kind = len(cols) < len(t.columns)
    rows = []
    for row in t.rows:
        if per_row_kind:
            rows.append(
                [
                    (tables.in_words(row[0], tables.TEXT), ""),
                    (tables.in_words(row[1], row[2] or tables.TEXT), _css(row[2])),
                ]
            )
        else:
            rows.append(
                [(tables.in_words(v, c.kind), _css(c.kind)) for v, c in zip(row, cols, strict=True)]
            )
    total = sum(c.width for c in cols) or 1
    widths = [round(100 * c.width / total, 1) for c in cols]
    return {"title": t.title, "columns": list(zip(cols, widths, strict=True)), "rows": rows}


def bars(items) -> list[dict]:
    """(label, value) → rows with the bar's width as a percentage of the largest."""
    items = [(label, float(value or 0)) for label, value in items]
    top = max((v for _, v in items), default=0) or 1
    return [
        # At most 80% of the track: the amount is written after the bar, on its line.
        {"label": label, "value": words.amount(round(v)), "width": round(80 * v / top, 1)}
        for label, v in items
    ]


def context(doc: PlanDocument) -> dict:
    picture = mapimage.render_png(doc.contacts, doc.account_name)
    plan = doc.plan
    cov = doc.coverage
    coverage_bars = [("Pipeline", cov.pipeline)]
    if plan.revenue_goal:
        coverage_bars += [
            ("Revenue goal", plan.revenue_goal),
            ("2.5x the goal", plan.revenue_goal * 5 / 2),
            ("3x the goal", plan.revenue_goal * 3),
        ]
    return {
        "doc": doc,
        "plan": plan,
        "glance": table_context(tables.at_a_glance(doc)),
        "coverage": table_context(tables.coverage(doc)),
        "coverage_bars": bars(coverage_bars),
        "relationship": table_context(tables.relationship_map(doc)),
        "white_space": table_context(tables.white_space(doc)),
        "white_space_bars": bars((c["name"], c["value"]) for c in doc.white_space),
        "ideas": table_context(tables.ideas(doc)),
        "idea_bars": bars((i.title, i.annual_value) for i in doc.ideas),
        "investments": table_context(tables.investments(doc)),
        "map_png": base64.b64encode(picture[0]).decode() if picture else None,
        "map_legend": mapimage.LEGEND,
        "goal_amount": words.amount(plan.revenue_goal),
        "stretch_amount": words.amount(plan.stretch_goal),
        "aspiration_amount": words.amount(plan.aspiration_value) if plan.aspiration_value else "",
        "team": words.names(doc.team),
        "generated_on": words.day(doc.generated_on),
        "asks": [ask_in_words(a) for a in doc.asks],
        "commitments": [commitment_in_words(c) for c in doc.commitments],
    }


def render_html(doc: PlanDocument) -> str:
    return render_to_string("outputs/plan.html", context(doc))


def pdf_of(html: str) -> bytes:
    """Any document's HTML as a PDF, with nothing fetched but data: URLs."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()


def render(doc: PlanDocument) -> bytes:
    return pdf_of(render_html(doc))

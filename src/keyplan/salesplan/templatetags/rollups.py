"""Template filters of the roll-up pages."""

from urllib.parse import quote

from django import template
from django.utils.html import format_html

from keyplan.core import words

register = template.Library()


@register.filter
def amount_cell(value) -> str:
    """An amount as every page writes it ("1,200,000 USD"), kept on one line in a table
    cell: a no-break space between the number and the currency."""
    return words.amount(value).replace(" ", "\u00a0")


@register.filter
def estimate_cell(value) -> str:
    """A computed amount (won so far, forecast, pipeline: sums of sales and deals) to the
    unit, as the territory plan's facts write them, kept on one line in a table cell."""
    return words.estimate(value).replace(" ", "\u00a0")


MEASURES_TO_THE_UNIT = frozenset({"won", "forecast", "pipeline"})


@register.simple_tag(takes_context=True)
def rollup_cell(context, measure: str, value, kind: str = ""):
    """One figure of a roll-up table linked to the list behind it (``rollup_drill``).

    A tag rather than an ``{% include %}`` per cell: the executive's tables have 500 rows
    of up to eight such cells, and an include costs a template context push and a render
    each (the largest part of those pages' time once the figures come from the arrays).
    ``drill_url`` is reversed once per table by ``_rollup_table.html``."""
    view, row = context["view"], context["row"]
    href = (
        f"{context['drill_url']}?by={view.by}&key={quote(str(row.key), safe='/')}"
        f"&measure={measure}&period={quote(view.period.name, safe='/')}"
    )
    if kind == "count":
        text = "—" if value is None else value
    elif measure in MEASURES_TO_THE_UNIT:
        text = estimate_cell(value)
    else:
        text = amount_cell(value)
    return format_html(
        '<td class="num"><a href="{}" title="The list behind this figure">{}</a></td>', href, text
    )

"""Template filters of the roll-up pages."""

from django import template

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

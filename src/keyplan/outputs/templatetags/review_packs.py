"""``{% review_quarter period today %}``: the quarter a review pack link on the team
board opens — the board's period when it is a quarter; in a year, the quarter running
today if it falls in that year, else the year's first — as "2027-Q1" (the link's
parameter), or with ``"name"`` as the board names periods, "Q1 FY 2027" (the link's words)."""

from django import template

register = template.Library()


@register.simple_tag
def review_quarter(period, today, form="parameter") -> str:
    from keyplan.salesplan.periods import Period

    if period.quarter:
        quarter = period
    else:
        running = Period.containing(today, quarter=True)
        quarter = (
            running if running.fiscal_year == period.fiscal_year else Period(period.fiscal_year, 1)
        )
    if form == "name":
        return quarter.name
    return f"{quarter.fiscal_year}-Q{quarter.quarter}"

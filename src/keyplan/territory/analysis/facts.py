"""Sales in a window: the one place analyses read the roll-up.

The default window (12 months to the latest month with sales) is kept summed per account
and product in ``SalesYear`` by the roll-up itself, so it is read from there — one row
per account and product bought instead of twelve monthly rows. Any other window sums
``SalesMonth``. Both have ``account_id``, ``product_id`` and ``amount``, so callers group
and sum the same way whichever table answers.
"""

import datetime

from keyplan.sales.models import SalesMonth, SalesYear, SalesYearWindow
from keyplan.sales.rollup import year_start


def kept_window() -> tuple[datetime.date, datetime.date] | None:
    """First and last day of the window ``SalesYear`` holds (None: no sales)."""
    last = SalesYearWindow.objects.filter(pk=1).values_list("last_month", flat=True).first()
    if last is None:
        return None
    following = year_start(last).replace(year=year_start(last).year + 1)
    return year_start(last), following - datetime.timedelta(days=1)


def in_window(window):
    """Roll-up rows (account_id, product_id, amount) whose sums are the window's sales."""
    if kept_window() == (window.start, window.end):
        return SalesYear.objects.all()
    return SalesMonth.objects.filter(month__gte=window.start, month__lte=window.end)

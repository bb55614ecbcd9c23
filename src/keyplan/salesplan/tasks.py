"""Background work of the sales plan: the roll-ups' per-account figures of a period
(``salesplan.period_arrays``), computed after a sales change — right after the forecast
they include (``forecast.tasks``) — or when a page asks for a period not yet computed."""

import datetime

from django.core.cache import cache
from django_tasks import task


@task()
def recompute_period_arrays(version: int, fiscal_year: int, quarter: int, today: str) -> str:
    from keyplan.sales.rollup import sales_version
    from keyplan.salesplan.period_arrays import compute_cached, computing_key
    from keyplan.salesplan.periods import Period

    period = Period(fiscal_year, quarter)
    try:
        if version != sales_version():
            return "stale"  # newer facts: the next page that asks queues them
        compute_cached(period, datetime.date.fromisoformat(today))
        return "computed"
    finally:
        cache.delete(computing_key(period))


def warm_period_arrays(today: datetime.date | None = None) -> list:
    """The periods the leaders' pages open on — the planning year, this fiscal year, and
    this quarter and the last (the executive's home compares them) — computed now (the
    worker, after the forecast)."""
    from django.utils import timezone

    from keyplan.salesplan.period_arrays import compute_cached
    from keyplan.salesplan.periods import Period, current_year, planning_year

    today = today or timezone.localdate()
    periods = []
    for period in (
        planning_year(today),
        current_year(today),
        Period.containing(today, quarter=True),
        Period.containing(today, quarter=True).previous,
    ):
        if period not in periods:
            periods.append(period)
            compute_cached(period, today)
    return periods

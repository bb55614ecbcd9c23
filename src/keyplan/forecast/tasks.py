"""Background work: after the sales roll-up changes, the territory's forecast is computed
again (so pages answer from the cache) and the run is recorded."""

from django.core.cache import cache
from django_tasks import task

COMPUTING_KEY = "keyplan:forecast-computing"


@task()
def recompute_forecast(version: int) -> str:
    from keyplan.forecast.selectors import DEFAULT_HORIZON, record_run, territory_result
    from keyplan.sales.rollup import sales_version

    try:
        if version != sales_version():
            return "stale"  # newer facts arrived; their own task computes them
        result, seconds = territory_result(DEFAULT_HORIZON, timed=True)
        if seconds is not None:  # computed now, not found in the cache
            record_run(result, seconds=seconds, user=None, source="after a sales change")
        return "computed"
    finally:
        cache.delete(COMPUTING_KEY)

"""Background work: after the sales roll-up changes, the territory's forecast is computed
again (so pages answer from the cache). The run is recorded when the sales reach a new
month or no run was recorded for a day — a record to compare quarters, not one per
sale line an API client writes."""

import datetime

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

COMPUTING_KEY = "keyplan:forecast-computing"


def computing_key(horizon: int) -> str:
    from keyplan.forecast.selectors import DEFAULT_HORIZON

    return COMPUTING_KEY if horizon == DEFAULT_HORIZON else f"{COMPUTING_KEY}:{horizon}"


@task()
def recompute_forecast(version: int, horizon: int | None = None) -> str:
    from keyplan.forecast.selectors import DEFAULT_HORIZON, record_run, territory_result
    from keyplan.sales.rollup import sales_version

    horizon = horizon or DEFAULT_HORIZON
    try:
        if version == sales_version():
            result, seconds = territory_result(horizon, timed=True)
            from keyplan.forecast.stages import territory_stage_backtest

            territory_stage_backtest(result.months)  # cached too: the page never waits
            if seconds is not None and _worth_recording(result):  # computed now, not cached
                source = "after a sales change" if horizon == DEFAULT_HORIZON else "asked by a page"
                record_run(result, seconds=seconds, user=None, source=source)
            if horizon == DEFAULT_HORIZON:
                # The roll-ups' per-account figures include this forecast: computed now,
                # so the leaders' pages never sum the territory while someone waits.
                from keyplan.salesplan.tasks import warm_period_arrays

                warm_period_arrays()
            return "computed"
    finally:
        cache.delete(computing_key(horizon))
    # Newer facts arrived while this recompute held the one-at-a-time key, so none was
    # queued for them: hand over to one for today's facts.
    from keyplan.forecast.apps import queue_forecast

    queue_forecast(horizon)
    return "stale"


def _worth_recording(result) -> bool:
    from keyplan.forecast.models import ForecastRun

    last = ForecastRun.objects.filter(horizon=len(result.months)).first()
    return (
        last is None
        or last.last_month != result.last_month
        or last.created_at < timezone.now() - datetime.timedelta(days=1)
    )

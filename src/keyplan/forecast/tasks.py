"""Background work: after the sales roll-up changes, the territory's forecast is computed
again (so pages answer from the cache). The run is recorded when the sales reach a new
month or no run was recorded for a day — a record to compare quarters, not one per
sale line an API client writes.

After a sales change the territory's warm-up (``territory.tasks.warm_analyses``) computes
the forecast at the end of its ``facts.reuse()`` block (``forecast_in_warm_up``): the
forecast reads the monthly roll-up the white-space runs just read (at 100,000 accounts a
read is 13.7 million rows, 15 s), and the forecast is claimed for the warm-up from the
moment the change is committed (``claim_for_warm_up``), so a page asking for it meanwhile
queues no second read. ``recompute_forecast`` is the task of its own, reading the roll-up
itself: a horizon a page asked for, the default one when no warm-up could take it (one was
running for older facts), and the hand-over to today's facts."""

import datetime

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

COMPUTING_KEY = "keyplan:forecast-computing"
CLAIM_SECONDS = 900


def computing_key(horizon: int) -> str:
    from keyplan.forecast.selectors import DEFAULT_HORIZON

    return COMPUTING_KEY if horizon == DEFAULT_HORIZON else f"{COMPUTING_KEY}:{horizon}"


def _warm_up_claim(version: int) -> str:
    return f"warm-up:{version}"


def claim_for_warm_up(version: int) -> bool:
    """Mark the default forecast as being computed by the warm-up of ``version`` (queued
    now), so that pages asking for it queue no task of their own. False when a forecast
    task already holds it."""
    from keyplan.forecast.selectors import DEFAULT_HORIZON

    return cache.add(computing_key(DEFAULT_HORIZON), _warm_up_claim(version), CLAIM_SECONDS)


def release_warm_up_claim(version: int) -> None:
    from keyplan.forecast.selectors import DEFAULT_HORIZON

    key = computing_key(DEFAULT_HORIZON)
    if cache.get(key) == _warm_up_claim(version):
        cache.delete(key)


def forecast_in_warm_up(version: int) -> str:
    """The default forecast after a sales change, computed by the warm-up within its
    ``facts.reuse()`` block: "computed"; "left" to a forecast task queued for the same facts
    (a page asked before the change's warm-up claimed it: it computes it); "stale" when
    newer facts arrived meanwhile (handed over to a forecast task for them, which reads
    them)."""
    from keyplan.forecast.selectors import DEFAULT_HORIZON
    from keyplan.sales.rollup import sales_version

    key = computing_key(DEFAULT_HORIZON)
    holder = cache.get(key)
    if holder == version:
        return "left"
    # Held by a task for older facts, it computes those: today's are computed here anyway.
    mine = holder == _warm_up_claim(version) or cache.add(
        key, _warm_up_claim(version), CLAIM_SECONDS
    )
    try:
        if version == sales_version():
            _compute(DEFAULT_HORIZON)
            return "computed"
    finally:
        if mine:
            release_warm_up_claim(version)
    from keyplan.forecast.apps import queue_forecast

    queue_forecast()
    return "stale"


@task()
def recompute_forecast(version: int, horizon: int | None = None) -> str:
    from keyplan.forecast.selectors import DEFAULT_HORIZON
    from keyplan.sales.rollup import sales_version

    horizon = horizon or DEFAULT_HORIZON
    try:
        if version == sales_version():
            _compute(horizon)
            return "computed"
    finally:
        cache.delete(computing_key(horizon))
    # Newer facts arrived while this recompute held the one-at-a-time key, so none was
    # queued for them: hand over to one for today's facts.
    from keyplan.forecast.apps import queue_forecast

    queue_forecast(horizon)
    return "stale"


def _compute(horizon: int) -> None:
    from keyplan.forecast.selectors import DEFAULT_HORIZON, record_run, territory_result
    from keyplan.forecast.stages import territory_stage_backtest

    result, seconds = territory_result(horizon, timed=True)
    territory_stage_backtest(result.months)  # cached too: the page never waits
    if seconds is not None and _worth_recording(result):  # computed now, not cached
        source = "after a sales change" if horizon == DEFAULT_HORIZON else "asked by a page"
        record_run(result, seconds=seconds, user=None, source=source)
    if horizon == DEFAULT_HORIZON:
        # The roll-ups' per-account figures include this forecast: computed now, so the
        # leaders' pages never sum the territory while someone waits.
        from keyplan.salesplan.tasks import warm_period_arrays

        warm_period_arrays()


def _worth_recording(result) -> bool:
    from keyplan.forecast.models import ForecastRun

    last = ForecastRun.objects.filter(horizon=len(result.months)).first()
    return (
        last is None
        or last.last_month != result.last_month
        or last.created_at < timezone.now() - datetime.timedelta(days=1)
    )

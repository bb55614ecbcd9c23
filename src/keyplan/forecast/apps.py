from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "keyplan.forecast"
    label = "forecast"
    # After a sales change the territory's warm-up computes the forecast within its read
    # of the monthly roll-up (territory.apps._queue_warm_up, forecast.tasks): no receiver
    # of its own here, so the change queues one read, not two.


def queue_forecast(horizon: int | None = None, version: int | None = None) -> None:
    """Ask the background worker for the territory's forecast over ``horizon`` months (a
    page's choice when it is not in the cache; the default one after a sales change when
    no warm-up could take it), once per version of the facts and horizon."""
    from django.core.cache import cache

    from keyplan.forecast.selectors import DEFAULT_HORIZON
    from keyplan.forecast.tasks import computing_key, recompute_forecast
    from keyplan.sales.rollup import sales_version

    horizon = horizon or DEFAULT_HORIZON
    version = sales_version() if version is None else version
    if cache.add(computing_key(horizon), version, 900):
        recompute_forecast.enqueue(version, horizon)

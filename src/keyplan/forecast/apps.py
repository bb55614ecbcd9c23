from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "keyplan.forecast"
    label = "forecast"

    def ready(self):
        from keyplan.sales.rollup import rollup_committed

        rollup_committed.connect(_queue_forecast, dispatch_uid="forecast-recompute")


def _queue_forecast(sender, version, **kwargs):
    """One recompute at a time per version of the facts (like the analyses' warm-up)."""
    from django.conf import settings

    if not getattr(settings, "KEYPLAN_WARM_ANALYSES", True):
        return
    queue_forecast(version=version)


def queue_forecast(horizon: int | None = None, version: int | None = None) -> None:
    """Ask the background worker for the territory's forecast over ``horizon`` months (the
    default after a sales change; a page's choice when it is not in the cache), once per
    version of the facts and horizon."""
    from django.core.cache import cache

    from keyplan.forecast.selectors import DEFAULT_HORIZON
    from keyplan.forecast.tasks import computing_key, recompute_forecast
    from keyplan.sales.rollup import sales_version

    horizon = horizon or DEFAULT_HORIZON
    version = sales_version() if version is None else version
    if cache.add(computing_key(horizon), version, 900):
        recompute_forecast.enqueue(version, horizon)

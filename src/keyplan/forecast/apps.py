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
    from django.core.cache import cache

    from keyplan.forecast.tasks import COMPUTING_KEY, recompute_forecast

    if not getattr(settings, "KEYPLAN_WARM_ANALYSES", True):
        return
    if cache.add(COMPUTING_KEY, version, 900):
        recompute_forecast.enqueue(version)

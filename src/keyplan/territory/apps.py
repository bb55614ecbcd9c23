from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "keyplan.territory"
    label = "territory"

    def ready(self):
        from keyplan.sales.rollup import rollup_committed

        rollup_committed.connect(_queue_warm_up, dispatch_uid="territory-warm-up")


def _queue_warm_up(sender, version, **kwargs):
    """After a sales change: one warm-up at a time per version of the facts. The warm-up
    computes the forecast too, within its one read of the monthly roll-up
    (``forecast.tasks.forecast_in_warm_up``), the forecast claimed for it before it is
    queued (an immediate backend runs it at once). While a warm-up for older facts holds
    the one-at-a-time key, the forecast is asked of a task of its own."""
    from django.conf import settings
    from django.core.cache import cache

    from keyplan.forecast.apps import queue_forecast
    from keyplan.forecast.tasks import claim_for_warm_up
    from keyplan.territory import warm_up
    from keyplan.territory.tasks import WARMING_KEY, WARMING_SECONDS, warm_analyses

    if not getattr(settings, "KEYPLAN_WARM_ANALYSES", True):
        return
    if cache.add(WARMING_KEY, version, WARMING_SECONDS):
        warm_up.mark_queued(version, WARMING_SECONDS)
        claim_for_warm_up(version)
        warm_analyses.enqueue(version)
    else:
        queue_forecast(version=version)

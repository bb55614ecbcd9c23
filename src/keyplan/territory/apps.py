from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "keyplan.territory"
    label = "territory"

    def ready(self):
        from keyplan.sales.rollup import rollup_committed

        rollup_committed.connect(_queue_warm_up, dispatch_uid="territory-warm-up")


def _queue_warm_up(sender, version, **kwargs):
    """One warm-up at a time per version of the facts."""
    from django.conf import settings
    from django.core.cache import cache

    from keyplan.territory.tasks import WARMING_KEY, warm_analyses

    if not getattr(settings, "KEYPLAN_WARM_ANALYSES", True):
        return
    if cache.add(WARMING_KEY, version, 600):
        warm_analyses.enqueue(version)

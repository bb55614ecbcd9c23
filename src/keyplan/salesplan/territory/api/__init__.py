"""``/api/v1/territory-plans/``: each rep's territory plan with its step states,
strategies (with the people giving them time), activities, objectives and goals, and
``…/{id}/strategies/``, ``resources/``, ``activities/``, ``objectives/``, ``goals/`` to
change them. Reads start from ``TerritoryPlan.objects.visible_to`` (a plan the user may
not see is 404); every write goes through ``salesplan.territory.services``, so the step
order, the rules, the stale-save refusal and the trail are the pages' own. Refusals: a
field rule 400 on that field, a read-only user 403 with the reason, no version on a
change or delete 428, a stale version 409 saying who changed what."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from keyplan.salesplan.territory.api.views import (
    ActivityViewSet,
    GoalViewSet,
    ObjectiveViewSet,
    ResourceViewSet,
    StrategyViewSet,
    TerritoryPlanViewSet,
)

router = SimpleRouter()
router.register("territory-plans", TerritoryPlanViewSet, basename="territory-plan")
parts = SimpleRouter()
parts.register("strategies", StrategyViewSet, basename="territory-strategy")
parts.register("resources", ResourceViewSet, basename="territory-resource")
parts.register("activities", ActivityViewSet, basename="territory-activity")
parts.register("objectives", ObjectiveViewSet, basename="territory-objective")
parts.register("goals", GoalViewSet, basename="territory-goal")

# Included by keyplan.api.urls under /api/v1/.
urlpatterns = [
    path("", include(router.urls)),
    path("territory-plans/<int:plan_pk>/", include(parts.urls)),
]

__all__ = [
    "ActivityViewSet",
    "GoalViewSet",
    "ObjectiveViewSet",
    "ResourceViewSet",
    "StrategyViewSet",
    "TerritoryPlanViewSet",
    "urlpatterns",
]

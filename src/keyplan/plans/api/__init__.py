"""API for account plans and their parts (goals, value statements, vendors, ideas,
investment cases). Reads start from ``visible_to``; every write goes through
``plans.services``, so the rules, validation and activity feed are the pages' own.
Refusals: a field rule is 400 on that field, no permission 403, a save made from a
stale ``version`` 409 saying who changed what."""

from keyplan.plans.api.execution import (
    CapacityView,
    MyWorkView,
    PlanActionViewSet,
    PlanHelpRequestViewSet,
    PlanMilestoneViewSet,
    PlanObjectiveViewSet,
    PlanPairingViewSet,
    PlanQualitativeGoalViewSet,
    PlanStrategyViewSet,
    PlanViewSet,
)
from keyplan.plans.api.views import (
    PlanGoalViewSet,
    PlanIdeaViewSet,
    PlanInvestmentViewSet,
    PlanValueViewSet,
    PlanVendorViewSet,
)

__all__ = [
    "CapacityView",
    "MyWorkView",
    "PlanActionViewSet",
    "PlanHelpRequestViewSet",
    "PlanMilestoneViewSet",
    "PlanObjectiveViewSet",
    "PlanPairingViewSet",
    "PlanQualitativeGoalViewSet",
    "PlanStrategyViewSet",
    "PlanGoalViewSet",
    "PlanIdeaViewSet",
    "PlanInvestmentViewSet",
    "PlanValueViewSet",
    "PlanVendorViewSet",
    "PlanViewSet",
]

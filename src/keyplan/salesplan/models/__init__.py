"""The sales plan's records: quotas and account goals (``quotas``), and the territory
plan each rep builds for a fiscal year (``territory``)."""

from keyplan.salesplan.models.quotas import MONEY, AccountGoal, Quota, QuotaChange
from keyplan.salesplan.models.territory import (
    StrategyResource,
    TerritoryActivity,
    TerritoryGoal,
    TerritoryObjective,
    TerritoryPlan,
    TerritoryPlanChange,
    TerritoryPlanVersion,
    TerritoryStrategy,
)

__all__ = [
    "MONEY",
    "AccountGoal",
    "Quota",
    "QuotaChange",
    "StrategyResource",
    "TerritoryActivity",
    "TerritoryGoal",
    "TerritoryObjective",
    "TerritoryPlan",
    "TerritoryPlanChange",
    "TerritoryPlanVersion",
    "TerritoryStrategy",
]

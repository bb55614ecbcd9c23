"""Writes to territory plans. The pages, the API and the demo call these; each one, in
one transaction with the plan locked: checks who may change the plan, that the step is
open (Conti's order), that the item was not saved by someone else since it was loaded
(the one stale-save rule, ``EditConflict``), then the input (a ValidationError naming
each bad field, nothing saved), writes, moves the item's and the plan's version on and
records the change in the plan's trail.

``version`` is the version of the item being changed (the plan's for the plan-wide
steps); it is not asked for when adding an item, which overwrites nothing."""

from keyplan.plans.services.common import EditConflict
from keyplan.salesplan.territory.services.activities import activity_delete, activity_save
from keyplan.salesplan.territory.services.objectives import (
    goal_delete,
    goal_save,
    objective_delete,
    objective_save,
)
from keyplan.salesplan.territory.services.plan import (
    facts_review,
    territory_plan_activate,
    territory_plan_archive,
    territory_plan_create,
    territory_plan_for,
    territory_version_take,
)
from keyplan.salesplan.territory.services.strategies import (
    resource_delete,
    resource_save,
    strategy_delete,
    strategy_save,
)

__all__ = [
    "EditConflict",
    "activity_delete",
    "activity_save",
    "facts_review",
    "goal_delete",
    "goal_save",
    "objective_delete",
    "objective_save",
    "resource_delete",
    "resource_save",
    "strategy_delete",
    "strategy_save",
    "territory_plan_activate",
    "territory_plan_archive",
    "territory_plan_create",
    "territory_plan_for",
    "territory_version_take",
]

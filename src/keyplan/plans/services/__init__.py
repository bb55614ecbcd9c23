"""Writes to account plans. Pages, the API, the demo generator and the command line all
call these; each checks permissions and input, records the change in the plan's
activity feed, and changes nothing when it refuses."""

from keyplan.plans.services.common import EditConflict
from keyplan.plans.services.elements import element_delete, element_save
from keyplan.plans.services.execution import help_respond
from keyplan.plans.services.ideas import (
    idea_from_whitespace,
    idea_move,
    investment_decide,
    investment_submit,
)
from keyplan.plans.services.meetings import (
    meeting_accept,
    meeting_decline,
    meeting_held,
    meeting_request,
    meeting_withdraw,
)
from keyplan.plans.services.plan import (
    plan_activate,
    plan_archive,
    plan_confirm,
    plan_create,
    plan_link_opportunity,
    plan_save_version,
    plan_update,
)

__all__ = [
    "EditConflict",
    "element_delete",
    "element_save",
    "help_respond",
    "idea_from_whitespace",
    "idea_move",
    "investment_decide",
    "investment_submit",
    "meeting_accept",
    "meeting_decline",
    "meeting_held",
    "meeting_request",
    "meeting_withdraw",
    "plan_activate",
    "plan_archive",
    "plan_confirm",
    "plan_create",
    "plan_link_opportunity",
    "plan_save_version",
    "plan_update",
]

from keyplan.plans.views.elements import (
    element_delete_view,
    element_form_view,
    idea_from_whitespace_view,
    idea_move_view,
    investment_decide_view,
    investment_submit_view,
)
from keyplan.plans.views.living import (
    capacity_view,
    help_respond_view,
    my_work_view,
    plan_confirm_view,
    plan_versions_view,
)
from keyplan.plans.views.plan import (
    notifications_view,
    plan_create_view,
    plan_detail,
    plan_list,
    plan_opportunity_view,
    plan_section_view,
    plan_status_view,
)

__all__ = [
    "capacity_view",
    "help_respond_view",
    "my_work_view",
    "plan_confirm_view",
    "plan_versions_view",
    "element_delete_view",
    "element_form_view",
    "idea_from_whitespace_view",
    "idea_move_view",
    "investment_decide_view",
    "investment_submit_view",
    "notifications_view",
    "plan_create_view",
    "plan_detail",
    "plan_list",
    "plan_opportunity_view",
    "plan_section_view",
    "plan_status_view",
]

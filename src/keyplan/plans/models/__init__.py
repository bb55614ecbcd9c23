from keyplan.plans.models.activity import Notification, PlanChange
from keyplan.plans.models.comments import Comment
from keyplan.plans.models.execution import (
    Action,
    ExecutivePairing,
    HelpRequest,
    Milestone,
    Objective,
    PlanVersion,
    QualitativeGoal,
    Strategy,
)
from keyplan.plans.models.goals import CustomerGoal, Vendor
from keyplan.plans.models.ideas import Idea, InvestmentCase, InvestmentEvent
from keyplan.plans.models.meetings import ExecutiveMeetingRequest
from keyplan.plans.models.plan import AccountPlan, ValueStatement

__all__ = [
    "Action",
    "ExecutiveMeetingRequest",
    "ExecutivePairing",
    "HelpRequest",
    "Milestone",
    "Objective",
    "PlanVersion",
    "QualitativeGoal",
    "Strategy",
    "AccountPlan",
    "Comment",
    "CustomerGoal",
    "Idea",
    "InvestmentCase",
    "InvestmentEvent",
    "Notification",
    "PlanChange",
    "ValueStatement",
    "Vendor",
]

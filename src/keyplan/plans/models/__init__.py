from keyplan.plans.models.activity import Notification, PlanChange
from keyplan.plans.models.goals import CustomerGoal, Vendor
from keyplan.plans.models.ideas import Idea, InvestmentCase, InvestmentEvent
from keyplan.plans.models.plan import AccountPlan, ValueStatement

__all__ = [
    "AccountPlan",
    "CustomerGoal",
    "Idea",
    "InvestmentCase",
    "InvestmentEvent",
    "Notification",
    "PlanChange",
    "ValueStatement",
    "Vendor",
]

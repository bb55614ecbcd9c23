from django.db import models


class AccountKind(models.TextChoices):
    """The level of an account in its customer's hierarchy."""

    LEGAL_ENTITY = "legal_entity", "Legal entity"
    BUSINESS_UNIT = "business_unit", "Business unit"
    DIVISION = "division", "Division"
    BUDGET_CENTRE = "budget_centre", "Budget centre"


class TeamRole(models.TextChoices):
    """A person's role on an account team."""

    ACCOUNT_MANAGER = "account_manager", "Account manager"
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    SOLUTION_ENGINEER = "solution_engineer", "Solution engineer"
    CUSTOMER_SUCCESS = "customer_success", "Customer success"
    MARKETING = "marketing", "Marketing"
    SALES_SPECIALIST = "sales_specialist", "Sales specialist"
    PARTNER_MANAGER = "partner_manager", "Partner manager"


class Seniority(models.TextChoices):
    C_LEVEL = "c_level", "C-level"
    VP = "vp", "VP"
    DIRECTOR = "director", "Director"
    MANAGER = "manager", "Manager"
    INDIVIDUAL = "individual", "Individual contributor"


class DecisionRole(models.TextChoices):
    """A contact's role in the customer's buying decisions."""

    DECISION_MAKER = "decision_maker", "Decision maker"
    INFLUENCER = "influencer", "Influencer"
    CHAMPION = "champion", "Champion"
    COACH = "coach", "Coach"
    BLOCKER = "blocker", "Blocker"
    USER = "user", "User"


class Attitude(models.TextChoices):
    """How a contact feels about us."""

    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    DETRACTOR = "detractor", "Detractor"


class RelationshipStrength(models.TextChoices):
    """How strong our relationship with a contact is, from none to strong."""

    NONE = "none", "None"
    WEAK = "weak", "Weak"
    MEDIUM = "medium", "Medium"
    STRONG = "strong", "Strong"


class InteractionKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    EVENT = "event", "Event"

from django.db import models


class PlanStatus(models.TextChoices):
    """A plan is drafted, then active for its period, then archived (read-only)."""

    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class GoalLevel(models.TextChoices):
    """Whose goal it is: the company's leadership, one organisation in it, or one person."""

    CORPORATE = "corporate", "Corporate (C-level)"
    ORGANISATIONAL = "organisational", "Organisational (department or business unit)"
    PERSONAL = "personal", "Personal (one stakeholder)"


class VendorKind(models.TextChoices):
    COMPETITOR = "competitor", "Competitor in the account"
    INTRODUCER = "introducer", "Other vendor who could introduce us"


class Delivery(models.TextChoices):
    """The three-pronged question: do it ourselves, with the customer, or with a partner."""

    DIRECT = "direct", "By us directly"
    JOINT = "joint", "Jointly with the customer"
    PARTNER = "partner", "With a partner company"


class IdeaStage(models.TextChoices):
    IDEA = "idea", "Idea"
    QUALIFIED = "qualified", "Qualified"
    OPPORTUNITY = "opportunity", "Opportunity"
    WON = "won", "Won"
    DROPPED = "dropped", "Dropped"


# Stages in which an idea's own value counts toward the pipeline (once it is an
# opportunity, the opportunity's amount counts instead, so nothing is counted twice).
IDEA_PIPELINE_STAGES = frozenset({IdeaStage.IDEA, IdeaStage.QUALIFIED})
OPEN_IDEA_STAGES = frozenset({IdeaStage.IDEA, IdeaStage.QUALIFIED, IdeaStage.OPPORTUNITY})

# Which stage an idea may move to from which.
IDEA_MOVES = {
    IdeaStage.IDEA: {IdeaStage.QUALIFIED, IdeaStage.DROPPED},
    IdeaStage.QUALIFIED: {IdeaStage.OPPORTUNITY, IdeaStage.IDEA, IdeaStage.DROPPED},
    IdeaStage.OPPORTUNITY: {IdeaStage.WON, IdeaStage.DROPPED},
    IdeaStage.WON: set(),
    IdeaStage.DROPPED: {IdeaStage.IDEA},
}


class InvestmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class ChangeAction(models.TextChoices):
    CREATED = "created", "added"
    UPDATED = "updated", "changed"
    DELETED = "deleted", "removed"
    STATUS = "status", "moved"
    DECIDED = "decided", "decided"

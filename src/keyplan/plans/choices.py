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


class ObjectiveCategory(models.TextChoices):
    """The four kinds of objective in the method."""

    MARKETING = "marketing", "Marketing"
    BUSINESS_DEVELOPMENT = "business_development", "Business development"
    REVENUE = "revenue", "Revenue"
    CROSS_ACCOUNT = "cross_account", "Cross-account"


class ProgressSource(models.TextChoices):
    """Where an objective's progress comes from: keyplan's facts, or a person."""

    REVENUE = "revenue", "Sales to the plan's accounts in the plan period"
    WHITE_SPACE = "white_space", "Opportunities created from white-space ideas"
    CONTACTS_KNOWN = "contacts_known", "Contacts we know at the plan's accounts"
    CONTACTS_ENGAGED = "contacts_engaged", "Contacts met in the last 180 days"
    MANUAL = "manual", "Entered by hand"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ACTION_STATUSES = frozenset({ActionStatus.PLANNED, ActionStatus.SCHEDULED})


class HelpStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    COMMITTED = "committed", "Committed"
    DECLINED = "declined", "Declined"


class VersionReason(models.TextChoices):
    ACTIVATED = "activated", "Plan activated"
    REVIEW = "review", "Quarterly review"
    ON_DEMAND = "on_demand", "Saved on demand"


class HelpKind(models.TextChoices):
    """A plain request for someone's help, or a commitment the rest of the company makes
    to the account (delivery, manufacturing, finance): a scope and the dates it holds."""

    HELP = "help", "Request for help"
    COMMITMENT = "commitment", "Cross-functional commitment"


class CompanyFunction(models.TextChoices):
    """The part of the company a cross-functional commitment comes from."""

    DELIVERY = "delivery", "Delivery"
    MANUFACTURING = "manufacturing", "Manufacturing"
    FINANCE = "finance", "Finance"


class MeetingStatus(models.TextChoices):
    """Where a request for an executive meeting stands: asked, accepted with a date,
    declined with a reason, held (the meeting took place), or withdrawn by the asker."""

    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    HELD = "held", "Held"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_MEETING_STATUSES = frozenset({MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED})

from django.db import models


class QuotaLevel(models.TextChoices):
    """Whose number a quota is."""

    REP = "rep", "Rep"
    TEAM = "team", "Team"
    COMPANY = "company", "Company"


class GoalBasis(models.TextChoices):
    """What an account goal was proposed from when the quota was distributed."""

    LAST_PERIOD = "last_period", "Last period's revenue"
    FORECAST = "forecast", "Forecast"
    HEADROOM = "headroom", "Share-of-wallet headroom"
    TIER = "tier", "Tier weights"
    HAND = "hand", "By hand"
    PLAN = "plan", "The account plan's revenue goal"


class TerritoryStep(models.IntegerChoices):
    """Conti's order: a territory plan is built from the facts up, one step after the
    other; a step opens only when the one before it is done."""

    FACTS = 1, "Facts"
    STRATEGIES = 2, "Strategies"
    ACTIVITIES = 3, "Activities"
    OBJECTIVES = 4, "Objectives"
    GOALS = 5, "Goals"


class TerritoryPlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Leverage(models.TextChoices):
    """What a territory strategy leverages besides the rep's own time."""

    MARKETING = "marketing", "Marketing campaigns"
    PARTNERS = "partners", "Partners"
    SDRS = "sdrs", "Sales development reps"
    EXECUTIVES = "executives", "Our executives"
    CUSTOMER_SUCCESS = "customer_success", "Customer success"
    PRESALES = "presales", "Pre-sales engineers"


class ObjectiveKind(models.TextChoices):
    """What a territory objective measures. Revenue objectives split the same total in
    four ways (by tier, product line, channel, customer base vs prospects); the realism
    check reads the split by tier as the plan's revenue total and says when another split
    does not add up to it."""

    REVENUE_TIER = "revenue_tier", "Revenue from a tier"
    REVENUE_LINE = "revenue_line", "Revenue from a product line"
    REVENUE_CHANNEL = "revenue_channel", "Revenue through a channel"
    REVENUE_SEGMENT = "revenue_segment", "Revenue from the customer base or prospects"
    NEW_LOGOS = "new_logos", "New logos"
    ACTIVITY = "activity", "Activity"


REVENUE_KINDS = frozenset(
    {
        ObjectiveKind.REVENUE_TIER,
        ObjectiveKind.REVENUE_LINE,
        ObjectiveKind.REVENUE_CHANNEL,
        ObjectiveKind.REVENUE_SEGMENT,
    }
)


class Channel(models.TextChoices):
    OWN = "own", "Our own sales"
    PARTNERS = "partners", "Partners"


class Segment(models.TextChoices):
    BASE = "base", "Customer base"
    PROSPECTS = "prospects", "Prospects"


class ActivityCadence(models.TextChoices):
    """How an activity objective's target is counted."""

    PER_MONTH = "month", "per month"
    PER_QUARTER = "quarter", "per quarter"
    PER_PERIOD = "period", "in the period"

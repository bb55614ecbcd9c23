from django.db import models


class Tier(models.TextChoices):
    """A/B/C: A accounts are worked proactively, B and C reactively."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class Criterion(models.TextChoices):
    """What an ideal-customer-profile criterion looks at."""

    INDUSTRY_IN = "industry_in", "Industry is one of"
    COUNTRY_IN = "country_in", "Country is one of"
    REGION_IN = "region_in", "Region is one of"
    EMPLOYEES_BETWEEN = "employees_between", "Employees between"
    REVENUE_BETWEEN = "revenue_between", "Company revenue between"
    OWNS_LINE = "owns_line", "Bought from product line (in the window)"
    OPEN_OPPORTUNITY = "open_opportunity", "Has an open opportunity"


class TierMethod(models.TextChoices):
    THRESHOLDS = "thresholds", "Score thresholds"
    QUANTILES = "quantiles", "Quantiles (share of accounts per tier)"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"

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

from django.db import models


class Role(models.TextChoices):
    """What a person does in the sales organisation; decides what they may see and change."""

    REP = "rep", "Sales rep"
    MANAGER = "manager", "Sales manager"
    EXECUTIVE = "executive", "Executive"
    SALES_OPS = "sales_ops", "Sales operations"
    ADMIN = "admin", "Administrator"


# Roles that see the whole territory.
SEES_EVERYTHING = frozenset({Role.EXECUTIVE, Role.SALES_OPS, Role.ADMIN})
# Roles that change users and installation settings.
MANAGES_SETTINGS = frozenset({Role.SALES_OPS, Role.ADMIN})

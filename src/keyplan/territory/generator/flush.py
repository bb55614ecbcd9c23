"""Emptying the territory before a new one is generated (``keyplan generate --flush``).

The territory's own tables (accounts and everything under them, sales, the catalogue)
are emptied with one ``DELETE`` each: going through the ORM would load every contact and
interaction into memory to cascade, which at 100,000 accounts takes minutes and
gigabytes. Rows of other tables that point into the territory are settled first through
the ORM as their own ``on_delete`` says (cascade, set null, or refuse when protected), so
whatever other apps keep about accounts follows the rule it declared. People, teams and
settings (ideal customer profiles, ...) stay.
"""

from django.db import connection, models, transaction

from keyplan.accounts.models import (
    Account,
    AccountLineage,
    AccountTeamMember,
    Contact,
    Interaction,
)
from keyplan.catalog.models import Product, ProductLine
from keyplan.sales.models import (
    Opportunity,
    OpportunityStageChange,
    SaleLine,
    SalesMonth,
    SalesYear,
    SalesYearWindow,
)

# Children before parents.
TERRITORY_MODELS = (
    SalesYearWindow,
    SalesYear,
    SalesMonth,
    SaleLine,
    OpportunityStageChange,
    Opportunity,
    Interaction.contacts.through,
    Interaction.participants.through,
    Interaction,
    AccountTeamMember,
    Contact,
    AccountLineage,
    Account,
    Product,
    ProductLine,
)


class FlushRefused(Exception):
    """Something outside the territory protects a record of it."""


def _settle_outside_references(doomed: set) -> None:
    for model in TERRITORY_MODELS:
        for rel in model._meta.related_objects:
            if rel.many_to_many:
                through = rel.through
                if through not in doomed:
                    through._base_manager.all().delete()
                continue
            outside = rel.related_model
            if outside in doomed:
                continue
            pointing = outside._base_manager.filter(**{f"{rel.field.name}__isnull": False})
            if rel.on_delete is models.CASCADE:
                pointing.delete()
            elif rel.on_delete is models.SET_NULL:
                pointing.update(**{rel.field.name: None})
            elif pointing.exists():
                raise FlushRefused(
                    f"{pointing.count()} {outside._meta.verbose_name_plural} refer to "
                    f"{model._meta.verbose_name_plural} and protect them; "
                    "delete those first."
                )


@transaction.atomic
def territory_flush() -> int:
    """Delete every account, contact, interaction, opportunity, sale line and product;
    return the number of rows deleted."""
    _settle_outside_references(set(TERRITORY_MODELS))
    deleted = 0
    with connection.cursor() as cursor:
        for model in TERRITORY_MODELS:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            deleted += max(cursor.rowcount, 0)
    return deleted

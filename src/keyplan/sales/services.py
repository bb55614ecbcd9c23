"""Writes to sales facts. Each keeps the sales roll-up right in the same transaction."""

from django.db import transaction

from keyplan.sales.choices import STAGE_STATUS
from keyplan.sales.models import Opportunity, SaleLine
from keyplan.sales.rollup import rollup_refresh


@transaction.atomic
def sale_line_save(*, sale_line: SaleLine) -> SaleLine:
    """Create or update a sale line (validated) and refresh the roll-up of the account it
    belongs to now and the one it belonged to before."""
    previous = (
        SaleLine.objects.filter(pk=sale_line.pk).values_list("account_id", flat=True).first()
        if sale_line.pk
        else None
    )
    sale_line.full_clean()
    sale_line.save()
    rollup_refresh(account_ids={sale_line.account_id, previous} - {None})
    return sale_line


@transaction.atomic
def sale_line_delete(*, sale_line: SaleLine) -> None:
    account_id = sale_line.account_id
    sale_line.delete()
    rollup_refresh(account_ids=[account_id])


@transaction.atomic
def opportunity_save(*, opportunity: Opportunity) -> Opportunity:
    """Create or update an opportunity. A default closed stage sets the status; won deals
    count as sales in the roll-up unless sale lines for them exist."""
    if opportunity.stage in STAGE_STATUS:
        opportunity.status = STAGE_STATUS[opportunity.stage]
    previous = (
        Opportunity.objects.filter(pk=opportunity.pk).values_list("account_id", flat=True).first()
        if opportunity.pk
        else None
    )
    opportunity.full_clean()
    opportunity.save()
    rollup_refresh(account_ids={opportunity.account_id, previous} - {None})
    return opportunity


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity) -> None:
    account_id = opportunity.account_id
    opportunity.delete()
    rollup_refresh(account_ids=[account_id])

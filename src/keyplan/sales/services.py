"""Writes to sales facts. Each keeps the sales roll-up right in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.sales.choices import STAGE_STATUS
from keyplan.sales.models import Opportunity, OpportunityStageChange, SaleLine
from keyplan.sales.rollup import rollup_refresh


@transaction.atomic
def sale_line_save(*, sale_line: SaleLine) -> SaleLine:
    """Create or update a sale line (validated) and refresh the roll-up of the account it
    belongs to now and the one it belonged to before."""
    stored = (
        SaleLine.objects.filter(pk=sale_line.pk).values("account_id", "version").first()
        if sale_line.pk
        else None
    )
    previous = stored["account_id"] if stored else None
    if stored:
        sale_line.version = stored["version"] + 1
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
def opportunity_save(*, opportunity: Opportunity, user=None, source: str = "") -> Opportunity:
    """Create or update an opportunity. A default closed stage sets the status; won deals
    count as sales in the roll-up unless sale lines for them exist. A new deal, or a
    change of stage, is recorded in the deal's stage history with ``user`` (or, without
    one, ``source``: "API", "web"...)."""
    if opportunity.stage in STAGE_STATUS:
        opportunity.status = STAGE_STATUS[opportunity.stage]
    stored = (
        Opportunity.objects.filter(pk=opportunity.pk)
        .values("account_id", "owner_id", "version", "stage")
        .first()
        if opportunity.pk
        else None
    )
    previous = stored["account_id"] if stored else None
    if stored:
        opportunity.version = stored["version"] + 1
    # The owner must see the deal's account (checked when either is set or changed, so a
    # deal kept from before the rule can still be edited in other ways).
    if opportunity.owner_id and (
        stored is None
        or (stored["account_id"], stored["owner_id"])
        != (opportunity.account_id, opportunity.owner_id)
    ):
        check_owner_sees_account(opportunity)
    opportunity.full_clean()
    opportunity.save()
    before = stored["stage"] if stored else ""
    if opportunity.stage != before:
        OpportunityStageChange.objects.create(
            opportunity=opportunity,
            from_stage=before,
            to_stage=opportunity.stage,
            probability=opportunity.probability,
            changed_at=timezone.now(),
            changed_by=user if getattr(user, "is_authenticated", False) else None,
            source=source,
        )
    rollup_refresh(account_ids={opportunity.account_id, previous} - {None})
    return opportunity


def owner_refusal(owner, account) -> str:
    return (
        f"{owner} cannot see {account}: an opportunity's owner must be someone who sees "
        "its account (its owner, on its account team, or above them)."
    )


def check_owner_sees_account(opportunity: Opportunity) -> None:
    from keyplan.accounts.selectors import sees_account

    if not sees_account(opportunity.owner, opportunity.account_id):
        raise ValidationError({"owner": [owner_refusal(opportunity.owner, opportunity.account)]})


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, user=None):
    """Delete the deal into the recycle bin (the roll-up is refreshed by the bin)."""
    from keyplan.audit.bin import soft_delete

    return soft_delete(obj=opportunity, user=user)

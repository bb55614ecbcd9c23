"""The sales roll-up (``SalesMonth``): account × product × month.

``rollup_refresh(account_ids=...)`` recomputes the roll-up of the given accounts from
their sale lines and their won opportunities that have no sale lines; it runs inside the
caller's transaction, so an import or API write and its roll-up commit or roll back
together. Set-based: one aggregate query per chunk of accounts, never a query per row.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import TruncMonth

from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity, SaleLine, SalesMonth

_CHUNK = 500
_BATCH = 5000
_ZERO = Decimal(0)


@transaction.atomic
def rollup_refresh(*, account_ids: Iterable[int] | None = None) -> int:
    """Recompute the roll-up for ``account_ids`` (all accounts when None). Returns the
    number of roll-up rows written."""
    if account_ids is None:
        SalesMonth.objects.all().delete()
        ids = sorted(
            set(SaleLine.objects.values_list("account_id", flat=True).distinct())
            | set(
                Opportunity.objects.filter(status=OpportunityStatus.WON)
                .values_list("account_id", flat=True)
                .distinct()
            )
        )
        deleted_already = True
    else:
        ids = sorted(set(account_ids))
        deleted_already = False
    written = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        if not deleted_already:
            SalesMonth.objects.filter(account_id__in=chunk).delete()
        written += _write_chunk(chunk)
    return written


def _write_chunk(account_ids: list[int]) -> int:
    cells: dict[tuple, list[Decimal]] = defaultdict(lambda: [_ZERO, _ZERO, _ZERO])
    from_sales = (
        SaleLine.objects.filter(account_id__in=account_ids)
        .annotate(m=TruncMonth("date"))
        .values("account_id", "product_id", "m")
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
        .order_by()
    )
    for row in from_sales:
        cell = cells[(row["account_id"], row["product_id"], row["m"])]
        cell[0] += row["amount"]
        cell[1] += row["quantity"]
    won_without_lines = (
        Opportunity.objects.filter(account_id__in=account_ids, status=OpportunityStatus.WON)
        .exclude(Exists(SaleLine.objects.filter(opportunity=OuterRef("pk"))))
        .annotate(m=TruncMonth("close_date"))
        .values("account_id", "product_id", "m")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in won_without_lines:
        cell = cells[(row["account_id"], row["product_id"], row["m"])]
        cell[0] += row["amount"]
        cell[2] += row["amount"]
    rows = [
        SalesMonth(
            account_id=account_id,
            product_id=product_id,
            month=month,
            amount=amount,
            quantity=quantity,
            from_opportunities=from_opps,
        )
        for (account_id, product_id, month), (amount, quantity, from_opps) in cells.items()
    ]
    SalesMonth.objects.bulk_create(rows, batch_size=_BATCH)
    return len(rows)

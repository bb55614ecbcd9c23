"""Reads for the account page: hierarchy position and sales history.

Sales history of an account is that of the account and everything under it (a
legal entity's history includes its divisions'), aggregated in the database.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from keyplan.accounts.models import Account, AccountLineage
from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity, SalesMonth

CHILDREN_SHOWN = 50


def subtree_ids(account: Account):
    return AccountLineage.objects.filter(ancestor=account).values("descendant_id")


def mark_seen(accounts, user):
    """Sets ``seen`` on each account: whether ``user`` may open it (one query). A
    hierarchy names the parents and children of an account one sees, but links only
    those one may open — another rep's parent account is a name, not a link to a 404."""
    accounts = list(accounts)
    ids = [a.pk for a in accounts]
    seen = set(Account.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for a in accounts:
        a.seen = a.pk in seen
    return accounts


def account_ancestors(*, account: Account, user=None) -> list[Account]:
    """From the top of the hierarchy down to the account's parent."""
    rows = (
        AccountLineage.objects.filter(descendant=account, depth__gt=0)
        .select_related("ancestor")
        .order_by("-depth")
    )
    ancestors = [row.ancestor for row in rows]
    return ancestors if user is None else mark_seen(ancestors, user)


def account_children(*, account: Account, user=None) -> tuple[list[Account], int, int]:
    """The first children (with how many accounts sit under each), their count, and the
    size of the whole subtree below the account."""
    children = list(
        account.children.annotate(subtree_size=Count("children", distinct=True)).select_related(
            "owner"
        )[:CHILDREN_SHOWN]
    )
    if user is not None:
        mark_seen(children, user)
    child_count = account.children.count()
    below = AccountLineage.objects.filter(ancestor=account, depth__gt=0).count()
    return children, child_count, below


UNSPECIFIED = "No product"


def sales_by_month(*, account: Account) -> dict:
    """Monthly revenue by product line, shaped for a stacked chart:
    ``{"months": [...], "series": [{"name": line, "data": [...]}, ...], "total": Decimal}``.
    Read from the sales roll-up (sale lines plus won deals without sale lines)."""
    rows = (
        SalesMonth.objects.filter(account_id__in=subtree_ids(account))
        .values("month", "product__product_line__name")
        .annotate(amount=Sum("amount"))
        .order_by("month")
    )
    by_line: dict[str, dict] = defaultdict(dict)
    total = Decimal(0)
    first = last = None
    for row in rows:
        month = row["month"]
        first = month if first is None else min(first, month)
        last = month if last is None else max(last, month)
        line = row["product__product_line__name"] or UNSPECIFIED
        key = month.strftime("%Y-%m")
        by_line[line][key] = by_line[line].get(key, Decimal(0)) + row["amount"]
        total += row["amount"]
    # Every month from the first sale to the last, so quiet months show as gaps.
    months: list[str] = []
    month = first
    while month is not None and month <= last:
        months.append(month.strftime("%Y-%m"))
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    series = [
        {"name": line, "data": [float(values.get(m, 0)) for m in months]}
        for line, values in sorted(by_line.items())
    ]
    return {"months": months, "series": series, "total": total}


def sales_by_year_and_product(*, account: Account) -> dict:
    """Revenue per product per year: ``{"years": [...], "rows": [(line, product, [..], total)],
    "totals": [...]}``, products sorted by product line and name."""
    rows = (
        SalesMonth.objects.filter(account_id__in=subtree_ids(account))
        .annotate(year=ExtractYear("month"))
        .values("year", "product_id", "product__name", "product__product_line__name")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    years = sorted({row["year"] for row in rows})
    products: dict[int, dict] = {}
    for row in rows:
        entry = products.setdefault(
            row["product_id"],
            {
                "line": row["product__product_line__name"] or "",
                "name": row["product__name"] or UNSPECIFIED,
                "by_year": {},
            },
        )
        entry["by_year"][row["year"]] = row["amount"]
    table = []
    for entry in sorted(products.values(), key=lambda e: (e["line"], e["name"])):
        amounts = [entry["by_year"].get(y, Decimal(0)) for y in years]
        table.append((entry["line"], entry["name"], amounts, sum(amounts, Decimal(0))))
    totals = [sum((r[2][i] for r in table), Decimal(0)) for i in range(len(years))]
    return {"years": years, "rows": table, "totals": totals, "grand": sum(totals, Decimal(0))}


def opportunity_summary(*, account: Account) -> dict:
    """Counts and amounts of the account's (and its subtree's) opportunities by status."""
    agg = Opportunity.objects.filter(account_id__in=subtree_ids(account)).aggregate(
        open_count=Count("pk", filter=Q(status=OpportunityStatus.OPEN)),
        # Sum skips deals whose amount is not known: they count as deals, not as value.
        open_amount=Sum("amount", filter=Q(status=OpportunityStatus.OPEN)),
        open_amount_not_known=Count(
            "pk", filter=Q(status=OpportunityStatus.OPEN, amount__isnull=True)
        ),
        won_count=Count("pk", filter=Q(status=OpportunityStatus.WON)),
        lost_count=Count("pk", filter=Q(status=OpportunityStatus.LOST)),
    )
    return {k: (v or 0) for k, v in agg.items()}


def sees_account(user, account_id: int) -> bool:
    """Whether ``user`` may see the account (the one visibility rule, ``visible_to``)."""
    if user is None:
        return False
    return Account.objects.visible_to(user).filter(pk=account_id).exists()


class AccountSight:
    """Which accounts each of several people may see, asked once per person: for checks
    over many rows (an import's opportunity owners) without a query per row."""

    def __init__(self):
        self._seen: dict[int, set[int] | None] = {}

    def sees(self, user_id: int, account_id: int) -> bool:
        if user_id not in self._seen:
            from keyplan.people.models import User
            from keyplan.people.scope import scope_for

            user = User.objects.filter(pk=user_id).first()
            if user is None:
                self._seen[user_id] = set()
            elif scope_for(user).everything:
                self._seen[user_id] = None
            else:
                self._seen[user_id] = set(
                    Account.objects.visible_to(user).values_list("pk", flat=True)
                )
        visible = self._seen[user_id]
        return visible is None or account_id in visible

"""Product white space: for every account and product (or product line), is it owned
(bought in the window), in the pipeline (an open opportunity), or white space — and what
is a white-space cell worth?

Expected value of a white-space cell = propensity × typical annual spend:

* propensity: the share of the account's peers (same industry and size band; all
  accounts when that group has fewer than ``MIN_PEERS``) that own the item;
* typical annual spend: the median annual spend on the item among the owners in the
  account's size band (all owners when none there).

All facts come from the sales roll-up and open opportunities in a few aggregate queries;
the arithmetic is one pass in Python over accounts × items.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Sum

from keyplan.catalog.models import Product, ProductLine
from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity, SalesMonth
from keyplan.territory.analysis.params import ParameterError, Scope, Window

MIN_PEERS = 5
BANDS = ((100, "1–99"), (1000, "100–999"), (10000, "1,000–9,999"), (None, "10,000+"))
OWNED, PIPELINE, WHITE = "owned", "pipeline", "white_space"


def size_band(employees: int | None) -> str:
    if employees is None:
        return "unknown"
    for limit, label in BANDS:
        if limit is None or employees < limit:
            return label
    return BANDS[-1][1]


@dataclass
class Cell:
    item_id: int
    state: str
    value: Decimal  # owned: revenue in the window; pipeline: open amount; white: expected
    stage: str = ""


@dataclass
class AccountRow:
    account_id: int
    name: str
    external_id: str
    industry: str
    band: str
    cells: list[Cell] = field(default_factory=list)
    white_space: Decimal = Decimal(0)


@dataclass
class WhiteSpace:
    window: Window
    scope: Scope
    by: str
    items: list[tuple[int, str, str]]  # (id, name, product line)
    rows: list[AccountRow]
    total_white_space: Decimal
    counts: dict[str, int]

    def ranked_cells(self):
        """White-space cells, most valuable first."""
        cells = [(row, cell) for row in self.rows for cell in row.cells if cell.state == WHITE]
        return sorted(cells, key=lambda rc: (-rc[1].value, rc[0].name))


def whitespace(
    *,
    user,
    window: Window,
    scope: Scope | None = None,
    by: str = "product",
    product_line: str | None = None,
    tier: str | None = None,
    owner: str | None = None,
    industry: str | None = None,
) -> WhiteSpace:
    if by not in ("product", "line"):
        raise ParameterError(f"“{by}” is not product or line.")
    scope = scope or Scope()
    accounts = scope.accounts(user)
    if tier:
        accounts = accounts.filter(tier__tier=tier)
    if owner:
        accounts = accounts.filter(owner__username=owner)
    if industry:
        accounts = accounts.filter(industry=industry)
    key = "product_id" if by == "product" else "product__product_line_id"
    if by == "product":
        items_qs = Product.objects.filter(is_active=True).select_related("product_line")
        if product_line:
            items_qs = items_qs.filter(product_line__name=product_line)
        items = [
            (p.pk, p.name, p.product_line.name)
            for p in items_qs.order_by("product_line__name", "name")
        ]
    else:
        lines = ProductLine.objects.filter(products__is_active=True).distinct()
        if product_line:
            lines = lines.filter(name=product_line)
        items = [(pl.pk, pl.name, pl.name) for pl in lines.order_by("name")]
    item_ids = {i[0] for i in items}
    months = max(
        1, (window.end.year - window.start.year) * 12 + window.end.month - window.start.month + 1
    )
    annualise = Decimal(12) / Decimal(months)

    # Territory-wide facts for peers (every account, whoever is looking: peers are a
    # statistic, not a list of someone else's accounts).
    from keyplan.accounts.models import Account

    profile = {
        pk: (industry, size_band(employees))
        for pk, industry, employees in Account.objects.values_list(
            "pk", "industry", "employees"
        ).iterator(20000)
    }
    owned_all: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for account_id, item, amount in (
        SalesMonth.objects.filter(
            month__gte=window.start, month__lte=window.end, **{f"{key}__in": item_ids}
        )
        .values("account_id", key)
        .annotate(a=Sum("amount"))
        .values_list("account_id", key, "a")
        .iterator(20000)
    ):
        if amount and amount > 0:
            owned_all[account_id][item] = Decimal(amount)
    group_size: dict[tuple, int] = defaultdict(int)
    band_size: dict[str, int] = defaultdict(int)
    for industry, band in profile.values():
        group_size[(industry, band)] += 1
        band_size[band] += 1
    owners_in_group: dict[tuple, int] = defaultdict(int)
    owners_anywhere: dict[int, int] = defaultdict(int)
    spend_in_band: dict[tuple, list] = defaultdict(list)
    spend_all: dict[int, list] = defaultdict(list)
    for account_id, bought in owned_all.items():
        industry, band = profile.get(account_id, ("", "unknown"))
        for item, amount in bought.items():
            owners_in_group[(industry, band, item)] += 1
            owners_anywhere[item] += 1
            spend_in_band[(band, item)].append(amount * annualise)
            spend_all[item].append(amount * annualise)
    total_accounts = max(1, len(profile))
    typical_cache: dict[tuple, Decimal] = {}

    def typical(band: str, item: int) -> Decimal:
        k = (band, item)
        if k not in typical_cache:
            values = spend_in_band.get(k) or spend_all.get(item) or [Decimal(0)]
            typical_cache[k] = Decimal(statistics.median(values)).quantize(Decimal("0.01"))
        return typical_cache[k]

    def propensity(industry: str, band: str, item: int) -> Decimal:
        size = group_size.get((industry, band), 0)
        if size >= MIN_PEERS:
            return Decimal(owners_in_group.get((industry, band, item), 0)) / size
        return Decimal(owners_anywhere.get(item, 0)) / total_accounts

    pipeline: dict[tuple, tuple[Decimal, str]] = {}
    in_scope = list(
        accounts.values_list("pk", "name", "external_id", "industry", "employees").order_by(
            "name", "pk"
        )
    )
    for account_id, item, amount, stage in (
        Opportunity.objects.filter(
            status=OpportunityStatus.OPEN, account__in=accounts, **{f"{key}__in": item_ids}
        )
        .values("account_id", key)
        .annotate(a=Sum("amount"), s=Max("stage"))
        .values_list("account_id", key, "a", "s")
    ):
        pipeline[(account_id, item)] = (Decimal(amount or 0), stage or "")
    rows, counts, total = [], {OWNED: 0, PIPELINE: 0, WHITE: 0}, Decimal(0)
    for pk, name, ext, industry, employees in in_scope:
        band = size_band(employees)
        row = AccountRow(pk, name, ext or "", industry, band)
        bought = owned_all.get(pk, {})
        for item_id, _n, _l in items:
            if item_id in bought:
                cell = Cell(item_id, OWNED, bought[item_id].quantize(Decimal("0.01")))
            elif (pk, item_id) in pipeline:
                amount, stage = pipeline[(pk, item_id)]
                cell = Cell(item_id, PIPELINE, amount, stage)
            else:
                value = propensity(industry, band, item_id) * typical(band, item_id)
                cell = Cell(item_id, WHITE, value.quantize(Decimal("0.01")))
                row.white_space += cell.value
            counts[cell.state] += 1
            row.cells.append(cell)
        total += row.white_space
        rows.append(row)
    rows.sort(key=lambda r: (-r.white_space, r.name.casefold(), r.account_id))
    return WhiteSpace(window, scope, by, items, rows, total, counts)

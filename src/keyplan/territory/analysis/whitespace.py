"""Product white space: for every account and product (or product line), is it owned
(bought in the window), in the pipeline (an open opportunity), or white space — and what
is a white-space cell worth?

Expected value of a white-space cell = propensity × typical annual spend:

* propensity: the share of the account's peers (same industry and size band; all
  accounts when that group has fewer than ``MIN_PEERS``) that own the item;
* typical annual spend: the median annual spend on the item among the owners in the
  account's size band (all owners when none there).

Built in two steps so a 100,000-account territory stays fast and small: ``WhiteSpace``
holds the peer values and, per account, only which items it owns or has in the pipeline
(a few per account); the counts, totals and the ranking come from that without building
2,800,000 cell objects, and ``row``/``rows``/``iter_rows`` build the cells of the accounts
actually shown or exported. ``account_row`` draws one account's row from the peer values
alone (the account page).
"""

import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Max, Sum, Value, When

from keyplan.accounts.models import Account
from keyplan.catalog.models import Product, ProductLine
from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity
from keyplan.territory.analysis.facts import in_cents, money, raw_rows, sales_by_item
from keyplan.territory.analysis.lazy import BuiltOnRead
from keyplan.territory.analysis.params import ParameterError, Scope, Window

MIN_PEERS = 5
BANDS = ((100, "1–99"), (1000, "100–999"), (10000, "1,000–9,999"), (None, "10,000+"))
OWNED, PIPELINE, WHITE = "owned", "pipeline", "white_space"
CENT = Decimal("0.01")


def size_band(employees: int | None) -> str:
    if employees is None:
        return "unknown"
    for limit, label in BANDS:
        if limit is None or employees < limit:
            return label
    return BANDS[-1][1]


def size_band_sql() -> Case:
    """``size_band`` of an account's employees, computed by the database (for 100,000
    accounts at once)."""
    whens = [When(employees__isnull=True, then=Value("unknown"))]
    whens += [When(employees__lt=limit, then=Value(label)) for limit, label in BANDS if limit]
    return Case(*whens, default=Value(BANDS[-1][1]), output_field=CharField())


@dataclass(slots=True)
class Cell:
    item_id: int
    state: str
    value: Decimal  # owned: revenue in the window; pipeline: open amount; white: expected
    stage: str = ""


@dataclass(slots=True)
class AccountRow:
    account_id: int
    name: str
    external_id: str
    industry: str
    band: str
    white_space: Decimal
    cells: list[Cell] = field(default_factory=list)


def _row(account_id, profile, items, owned, pipeline, values) -> AccountRow:
    """One account's cells: owned (cents), in pipeline, or worth its peer group's value."""
    name, ext, industry, band = profile
    worth = values[(industry, band)]
    row = AccountRow(account_id, name, ext, industry, band, Decimal(0))
    for item_id, _n, _l in items:
        if item_id in owned:
            cell = Cell(item_id, OWNED, money(owned[item_id]))
        elif item_id in pipeline:
            amount, stage = pipeline[item_id]
            cell = Cell(item_id, PIPELINE, money(amount), stage)
        else:
            cell = Cell(item_id, WHITE, worth[item_id])
            row.white_space += cell.value
        row.cells.append(cell)
    return row


def _pipeline(key: str, item_ids, accounts=None) -> dict[int, dict[int, tuple[int, str]]]:
    """Open opportunities per account and item of ``accounts`` (a queryset or ids; None:
    every account): the amount in cents and the furthest stage."""
    pipeline: dict[int, dict[int, tuple[int, str]]] = {}
    rows = Opportunity.objects.filter(status=OpportunityStatus.OPEN, **{f"{key}__in": item_ids})
    if accounts is not None:
        rows = rows.filter(account__in=accounts)
    current = None
    for account_id, item, amount, stage in raw_rows(
        rows.order_by()
        .values("account_id", key)
        .annotate(a=in_cents(Sum("amount")), s=Max("stage"))
        .values_list("account_id", key, "a", "s")
    ):
        if account_id != current:  # rows come grouped by account: one look-up each
            current = account_id
            of_account = pipeline.get(account_id)
            if of_account is None:
                of_account = pipeline[account_id] = {}
        of_account[item] = (amount, stage or "")
    return pipeline


class Ranking(BuiltOnRead):
    """(account id, white space) pairs, most white space first; each amount made when
    asked for (100,000 accounts, a page shows fifty)."""

    def __init__(self, ids: list[int], cents: list[int]):
        self._ids, self._cents = ids, cents

    def __len__(self) -> int:
        return len(self._ids)

    def _item(self, i: int) -> tuple[int, Decimal]:
        return self._ids[i], money(self._cents[i])

    def ids(self) -> list[int]:
        return list(self._ids)


@dataclass
class WhiteSpace:
    window: Window
    scope: Scope
    by: str
    items: list[tuple[int, str, str]]  # (id, name, product line)
    ranking: "Ranking"  # (account id, white space), most first
    total_white_space: Decimal
    counts: dict[str, int]
    accounts: dict[int, tuple[str, str, str, str]]  # id → (name, external id, industry, band)
    owned: dict[int, dict[int, int]]  # account → item → sales in the window, in cents
    pipeline: dict[int, dict[int, tuple[int, str]]]  # account → item → (cents, stage)
    values: dict[tuple[str, str], dict[int, Decimal]]  # (industry, band) → item → value

    def row(self, account_id: int) -> AccountRow:
        return _row(
            account_id,
            self.accounts[account_id],
            self.items,
            self.owned.get(account_id, {}),
            self.pipeline.get(account_id, {}),
            self.values,
        )

    def rows(self, start: int = 0, stop: int | None = None) -> list[AccountRow]:
        return [self.row(pk) for pk, _total in self.ranking[start:stop]]

    def iter_rows(self) -> Iterator[AccountRow]:
        for pk, _total in self.ranking:
            yield self.row(pk)

    def ranked_cells(self, limit: int = 25):
        """The most valuable white-space cells."""
        best = []
        for pk, _total in self.ranking[: limit * 4]:
            row = self.row(pk)
            best += [(row, c) for c in row.cells if c.state == WHITE]
        return sorted(best, key=lambda rc: (-rc[1].value, rc[0].name))[:limit]


def _items(by: str, product_line: str | None):
    if by == "product":
        qs = Product.objects.filter(is_active=True).select_related("product_line")
        if product_line:
            qs = qs.filter(product_line__name=product_line)
        return [
            (p.pk, p.name, p.product_line.name) for p in qs.order_by("product_line__name", "name")
        ]
    lines = ProductLine.objects.filter(products__is_active=True).distinct()
    if product_line:
        lines = lines.filter(name=product_line)
    return [(pl.pk, pl.name, pl.name) for pl in lines.order_by("name")]


_KEYS = {"product": "product_id", "line": "product__product_line_id"}


def _account_profiles(accounts) -> dict[int, tuple[str, str, str, str]]:
    """id → (name, external id, industry, size band) of ``accounts`` (a queryset)."""
    rows = accounts.order_by().annotate(band=size_band_sql())
    return {
        pk: (name, ext or "", ind, band)
        for pk, name, ext, ind, band in raw_rows(
            rows.values_list("pk", "name", "external_id", "industry", "band")
        )
    }


def _peer_values(window: Window, key: str, item_ids, profiles=None) -> tuple[dict, dict]:
    """The territory-wide statistics: the expected value of every item for each peer group
    (industry, size band) — propensity × typical annual spend — and what each account
    bought in the window (account → item → cents). Peers are a statistic, not a list of
    someone's accounts, so this is the same whoever looks. ``profiles``: every account's,
    when the caller has read them already."""
    annualise = window.annualise
    # Money is counted in whole cents (ints) here: exact, and fast over millions of cells.
    if profiles is None:
        profiles = _account_profiles(Account.objects.all())
    group_of = {pk: (ind, band) for pk, (_n, _e, ind, band) in profiles.items()}
    group_size: dict[tuple, int] = defaultdict(int)
    for group in group_of.values():
        group_size[group] += 1
    owned: dict[int, dict[int, int]] = {}
    owners: dict[tuple, dict[int, int]] = defaultdict(dict)  # group → item → owners
    spends: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))  # band → …
    current = None
    # Rows come (mostly) account by account: look the account's group up once per run.
    for account_id, item, amount in sales_by_item(window, key, item_ids):
        if amount <= 0:
            continue
        if account_id != current:
            current = account_id
            bought = owned.get(account_id)
            if bought is None:
                bought = owned[account_id] = {}
            group = group_of.get(account_id, ("", "unknown"))
            in_group, in_band = owners[group], spends[group[1]]
        bought[item] = amount
        in_group[item] = in_group.get(item, 0) + 1
        in_band[item].append(amount)
    owners_anywhere: dict[int, int] = defaultdict(int)
    for counts in owners.values():
        for item, n in counts.items():
            owners_anywhere[item] += n
    total_accounts = max(1, len(group_of))
    typical = {}  # annual spend in currency; the median of cents is exact (an int or .5)
    bands = {band for _industry, band in group_size}
    for item in item_ids:
        anywhere = [a for by_item in spends.values() for a in by_item.get(item, ())] or [0]
        for band in bands:
            spent = spends[band].get(item) if band in spends else None
            median = statistics.median(spent or anywhere)
            typical[(band, item)] = Decimal(median) / 100 * annualise
    values: dict[tuple[str, str], dict[int, Decimal]] = {}
    for (ind, band), size in group_size.items():
        row = {}
        for item in item_ids:
            if size >= MIN_PEERS:
                p = Decimal(owners[(ind, band)].get(item, 0)) / size
            else:
                p = Decimal(owners_anywhere.get(item, 0)) / total_accounts
            row[item] = (p * typical[(band, item)]).quantize(CENT)
        values[(ind, band)] = row
    return values, owned


def peer_values(*, window: Window, by: str = "product") -> tuple[list, dict]:
    """The items and the expected value of each for every peer group: all that is needed,
    with one account's own sales and pipeline, to draw that account's row (small enough
    to cache apart from the territory's matrix)."""
    items = _items(by, None)
    values, _owned = _peer_values(window, _KEYS[by], {i[0] for i in items})
    return items, values


def account_row(account, *, window: Window, items: list, values: dict, by: str = "product"):
    """One account's row of the matrix from the peer values: its own sales in the window
    and open opportunities are two small queries."""
    key = _KEYS[by]
    item_ids = [i[0] for i in items]
    owned = {
        item: amount
        for _a, item, amount in sales_by_item(window, key, item_ids, account_ids=[account.pk])
        if amount > 0
    }
    opened = _pipeline(key, item_ids, [account.pk]).get(account.pk, {})
    pipeline = {item: v for item, v in opened.items() if item not in owned}
    band = size_band(account.employees)
    if (account.industry, band) not in values:  # a group with no member back then
        return None
    profile = (account.name, account.external_id or "", account.industry, band)
    return _row(account.pk, profile, items, owned, pipeline, values)


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
    key = _KEYS[by]
    items = _items(by, product_line)
    item_ids = {i[0] for i in items}
    everything = scope.everything(user) and not (tier or owner or industry)
    in_scope = _account_profiles(accounts)
    values, owned = _peer_values(window, key, item_ids, in_scope if everything else None)
    value_cents = {g: {i: int(v * 100) for i, v in row.items()} for g, row in values.items()}
    pipeline = _pipeline(key, item_ids, None if everything else accounts)
    totals = {group: sum(row.values()) for group, row in value_cents.items()}
    n_items = len(items)
    counts = {OWNED: 0, PIPELINE: 0, WHITE: 0}
    ranking = []
    scope_owned, scope_pipeline = {}, {}
    for pk, (name, _ext, ind, band) in in_scope.items():
        group = (ind, band)
        worth = value_cents[group]
        white = totals[group]  # every item's worth, less what is owned or in the pipeline
        bought = owned.get(pk)
        if bought:
            scope_owned[pk] = bought
            counts[OWNED] += len(bought)
            white -= sum(map(worth.__getitem__, bought))
        open_ = pipeline.get(pk)
        if open_ and bought:
            open_ = {i: v for i, v in open_.items() if i not in bought}
        if open_:
            scope_pipeline[pk] = open_
            counts[PIPELINE] += len(open_)
            white -= sum(map(worth.__getitem__, open_))
        ranking.append((-white, name.casefold(), pk))  # most first, then by name and id
    counts[WHITE] = n_items * len(in_scope) - counts[OWNED] - counts[PIPELINE]
    ranking.sort()
    total = money(-sum(negative for negative, _name, _pk in ranking))
    ranking = Ranking([pk for _w, _n, pk in ranking], [-w for w, _n, _pk in ranking])
    return WhiteSpace(
        window,
        scope,
        by,
        items,
        ranking,
        total,
        counts,
        in_scope,
        scope_owned,
        scope_pipeline,
        values,
    )

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

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, DecimalField, Exists, F, OuterRef, Value
from django.db.models.functions import Cast, Round

from keyplan.accounts.models import Account
from keyplan.catalog.models import Product, ProductLine
from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity, OpportunityProduct
from keyplan.territory.analysis.bands import size_band, size_band_sql
from keyplan.territory.analysis.columns import Index, int_columns
from keyplan.territory.analysis.facts import money, raw_rows, sales_by_item
from keyplan.territory.analysis.lazy import BuiltOnRead
from keyplan.territory.analysis.params import ParameterError, Scope, Window

MIN_PEERS = 5
OWNED, PIPELINE, WHITE = "owned", "pipeline", "white_space"
NOT_KNOWN = -1  # pipeline cents of a cell whose open deals' amounts are all not known
CENT = Decimal("0.01")


@dataclass(slots=True)
class Cell:
    item_id: int
    state: str
    # owned: revenue in the window; pipeline: open amount (None: not known); white: expected
    value: Decimal | None
    stage: str = ""
    probability: float | None = None  # white space on the pages: of buying in the horizon
    why: str = ""  # … and that probability in words


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
            cell = Cell(item_id, PIPELINE, None if amount == NOT_KNOWN else money(amount), stage)
        else:
            cell = Cell(item_id, WHITE, worth[item_id])
            row.white_space += cell.value
        row.cells.append(cell)
    return row


def _pipeline_rows(key: str, item_ids, accounts=None) -> list[tuple[int, int, int, str]]:
    """(account, item, amount in cents, furthest stage) of the open opportunities of
    ``accounts`` (a queryset or ids; None: every account), per account and item, in one
    aggregate query. A deal with line items counts in each of their items for the line's
    amount; one without, in its own product for its amount. A cell whose deals' amounts
    are all not known has ``NOT_KNOWN`` cents (deals of unknown amount add nothing)."""
    without_lines = Opportunity.objects.filter(
        ~Exists(OpportunityProduct.objects.filter(opportunity_id=OuterRef("pk"))),
        status=OpportunityStatus.OPEN,
        **{f"{key}__in": item_ids},
    )
    lines = OpportunityProduct.objects.filter(
        opportunity__status=OpportunityStatus.OPEN, **{f"{key}__in": item_ids}
    )
    if accounts is not None:
        without_lines = without_lines.filter(account__in=accounts)
        lines = lines.filter(opportunity__account__in=accounts)
    parts = [
        rows.order_by()
        .annotate(a=F(account), i=F(key), c=_cents_or_null("amount"), s=F(stage))
        .values_list("a", "i", "c", "s")
        for rows, account, stage in (
            (without_lines, "account_id", "stage"),
            (lines, "opportunity__account_id", "opportunity__stage"),
        )
    ]
    try:
        sql, params = parts[0].union(parts[1], all=True).query.sql_with_params()
    except EmptyResultSet:  # no items asked for
        return []
    # Grouped over both parts at once: a product may come from a deal without line items
    # and from another deal's line item.
    grouped = (
        f"SELECT u.a, u.i, CAST(COALESCE(SUM(u.c), {NOT_KNOWN}) AS BIGINT), MAX(u.s) "
        f"FROM ({sql}) u GROUP BY u.a, u.i"
    )
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        return cursor.fetchall()


def _cents_or_null(column: str):
    """An amount as whole cents computed by the database; NULL stays NULL (not known)."""
    hundred = Value(100, output_field=DecimalField())
    return Cast(Round(F(column) * hundred), BigIntegerField())


def _pipeline(key: str, item_ids, accounts) -> dict[int, dict[int, tuple[int, str]]]:
    """Open opportunities per account and item of a few ``accounts``: (cents, stage)."""
    pipeline: dict[int, dict[int, tuple[int, str]]] = {}
    for account_id, item, amount, stage in _pipeline_rows(key, item_ids, accounts):
        pipeline.setdefault(account_id, {})[item] = (amount, stage or "")
    return pipeline


class AccountItems:
    """What each account holds per item — sales in cents, or open pipeline as (cents,
    stage) — as columns sorted by account and item: made at once for every account of a
    territory (hundreds of thousands of pairs), read one account at a time (``get``)."""

    def __init__(self, accounts, items, cents, stages: list[str] | None = None):
        order = np.lexsort((items, accounts))
        self._accounts, self._items, self._cents = accounts[order], items[order], cents[order]
        self._stages = None if stages is None else [stages[i] for i in order.tolist()]

    def get(self, account_id: int, default=None):
        lo, hi = np.searchsorted(self._accounts, [account_id, account_id + 1]).tolist()
        if lo == hi:
            return default
        items, cents = self._items[lo:hi].tolist(), self._cents[lo:hi].tolist()
        if self._stages is None:
            return dict(zip(items, cents, strict=True))
        stages = self._stages[lo:hi]
        return {i: (c, stage or "") for i, c, stage in zip(items, cents, stages, strict=True)}


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
    owned: "AccountItems"  # account → item → sales in the window, in cents (``get``)
    pipeline: "AccountItems"  # account → item → (cents, stage) (``get``)
    values: dict[tuple[str, str], dict[int, Decimal]]  # (industry, band) → item → value
    # The model's expected value of each account's white space (cents), when the ranking
    # is by the model (a horizon was asked for and a model is learned); else None and the
    # accounts are ranked by the peer-share worth.
    expected: dict[int, int] | None = None
    horizon: int | None = None

    @property
    def basis(self) -> str:
        """What the accounts' white-space figures are, in words."""
        if self.expected is not None:
            return f"expected value of buying within {self.horizon} months (model)"
        return "share of similar accounts that buy × their typical spend (no model learned yet)"

    def row(self, account_id: int) -> AccountRow:
        row = _row(
            account_id,
            self.accounts[account_id],
            self.items,
            self.owned.get(account_id, {}),
            self.pipeline.get(account_id, {}),
            self.values,
        )
        if self.expected is not None:
            row.white_space = money(self.expected.get(account_id, 0))
        return row

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


def _medians(keys: np.ndarray, cents: np.ndarray) -> dict[int, int | float]:
    """The median of ``cents`` (positive) for each distinct key (non-negative), as
    ``statistics.median`` gives it: an int, or the mean of the middle two."""
    bits = int(cents.max(initial=0)).bit_length()
    if int(keys.max(initial=0)).bit_length() + bits < 63:  # one sort of key·2^bits + cents
        both = np.sort((keys << bits) | cents)
        keys, cents = both >> bits, both & ((1 << bits) - 1)
    else:
        order = np.lexsort((cents, keys))
        keys, cents = keys[order], cents[order]
    distinct, first, count = np.unique(keys, return_index=True, return_counts=True)
    low = cents[first + (count - 1) // 2].tolist()
    high = cents[first + count // 2].tolist()
    return {
        key: (lo if n % 2 else (lo + hi) / 2)
        for key, lo, hi, n in zip(distinct.tolist(), low, high, count.tolist(), strict=True)
    }


@dataclass
class _Peers:
    values: dict[tuple[str, str], dict[int, Decimal]]  # (industry, band) → item → value
    sales: np.ndarray  # (account, item, cents) bought in the window, every account


def _peer_values(window: Window, key: str, item_ids, profiles=None) -> _Peers:
    """The territory-wide statistics: the expected value of every item for each peer group
    (industry, size band) — propensity × typical annual spend — and what each account
    bought in the window. Peers are a statistic, not a list of someone's accounts, so this
    is the same whoever looks. ``profiles``: every account's, when the caller has read
    them already.

    Money is counted in whole cents (int64): exact. The 400,000-odd (account, item) sales
    of a territory are counted and sorted as arrays, not one Python object each."""
    annualise = window.annualise
    if profiles is None:
        profiles = _account_profiles(Account.objects.all())
    groups: dict[tuple[str, str], int] = {}  # (industry, band) → its index
    of_account = np.fromiter(
        (groups.setdefault((ind, band), len(groups)) for _n, _e, ind, band in profiles.values()),
        dtype=np.int64,
        count=len(profiles),
    )
    group_size = np.bincount(of_account, minlength=len(groups)).tolist()
    sales = int_columns(sales_by_item(window, key, item_ids), 3)
    sales = sales[sales[:, 2] > 0]
    at = Index(np.fromiter(profiles, dtype=np.int64, count=len(profiles))).positions(sales[:, 0])
    group = np.full(len(at), -1, dtype=np.int64)
    group[at >= 0] = of_account[at[at >= 0]]
    if (group < 0).any():  # sales of an account not read (none: a sale has its account)
        group[group < 0] = groups.setdefault(("", "unknown"), len(groups))
    items = sorted(item_ids)
    n = len(items)
    item = Index(items).positions(sales[:, 1])
    owners = np.bincount(group * n + item, minlength=len(groups) * n).reshape(len(groups), n)
    owners_anywhere = owners.sum(axis=0).tolist()
    owners = owners.tolist()
    band_index = {band: i for i, band in enumerate(dict.fromkeys(b for _i, b in groups))}
    band_of_group = np.array([band_index[b] for _i, b in groups], dtype=np.int64)
    in_band = _medians(band_of_group[group] * n + item, sales[:, 2])
    anywhere = _medians(item, sales[:, 2])
    total_accounts = max(1, len(profiles))
    typical = {}  # annual spend in currency; the median of cents is exact (an int or .5)
    for band in {band for (_industry, band) in groups}:
        for i in range(n):
            median = in_band.get(band_index[band] * n + i, anywhere.get(i, 0))
            typical[(band, i)] = Decimal(median) / 100 * annualise
    values: dict[tuple[str, str], dict[int, Decimal]] = {}
    for (ind, band), g in groups.items():
        size = group_size[g] if g < len(group_size) else 0
        if not size:  # not a group of accounts read
            continue
        row = {}
        for i, item_id in enumerate(items):
            if size >= MIN_PEERS:
                p = Decimal(owners[g][i]) / size
            else:
                p = Decimal(owners_anywhere[i]) / total_accounts
            row[item_id] = (p * typical[(band, i)]).quantize(CENT)
        values[(ind, band)] = row
    return _Peers(values, sales)


def peer_values(*, window: Window, by: str = "product") -> tuple[list, dict]:
    """The items and the expected value of each for every peer group: all that is needed,
    with one account's own sales and pipeline, to draw that account's row (small enough
    to cache apart from the territory's matrix)."""
    items = _items(by, None)
    return items, _peer_values(window, _KEYS[by], {i[0] for i in items}).values


def _account_sales_and_pipeline(account_id: int, window: Window, by: str, item_ids: list):
    """One account's own sales in the window and open pipeline, per item: two small
    queries, cached per version of the sales roll-up (which every write to sales or to an
    opportunity moves on): the plan and account pages of the same account read them at
    every visit."""
    from keyplan.territory.analysis.cache import cached

    key = _KEYS[by]

    def read():
        owned = {
            item: amount
            for _a, item, amount in sales_by_item(window, key, item_ids, account_ids=[account_id])
            if amount > 0
        }
        return owned, _pipeline(key, item_ids, [account_id]).get(account_id, {})

    items = hashlib.sha256(repr(item_ids).encode()).hexdigest()
    params = {"account": account_id, "window": str(window), "by": by, "items": items}
    return cached("whitespace-account", None, params, read)


def account_row(account, *, window: Window, items: list, values: dict, by: str = "product"):
    """One account's row of the matrix from the peer values: its own sales in the window
    and open opportunities are two small queries."""
    item_ids = [i[0] for i in items]
    owned, opened = _account_sales_and_pipeline(account.pk, window, by, item_ids)
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
    horizon: int | None = None,
) -> WhiteSpace:
    """The matrix of ``scope``'s accounts × items. With a ``horizon`` (months) the accounts
    are ranked by the model's expected value of their white space (buying within the
    horizon), the figure each row shows; without one, or before a model is learned (less
    than two years of sales), by the previous peer-share worth."""
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
    peers = _peer_values(window, key, item_ids, in_scope if everything else None)
    pipeline = _pipeline_rows(key, item_ids, None if everything else accounts)
    opened = int_columns(((a, i, c) for a, i, c, _s in pipeline), 3)
    stages = [stage for _a, _i, _c, stage in pipeline]
    sales = peers.sales
    # Every account in scope has a position; its peer group and the items have theirs in
    # the matrix of values, in cents.
    scope_ids = np.fromiter(in_scope, dtype=np.int64, count=len(in_scope))
    group_index = {group: g for g, group in enumerate(peers.values)}
    group = np.fromiter(
        (group_index[(ind, band)] for _n, _e, ind, band in in_scope.values()),
        dtype=np.int64,
        count=len(in_scope),
    )
    order = [i[0] for i in items]
    worth = np.array(
        [[int(row[item] * 100) for item in order] for row in peers.values.values()],
        dtype=np.int64,
    ).reshape(len(peers.values), len(order))
    accounts_at, columns_at = Index(scope_ids), Index(order)
    # Owned: bought in the window, by an account in scope.
    owned = sales[accounts_at.positions(sales[:, 0]) >= 0]
    # In the pipeline: an open opportunity of an account in scope, on an item it does not own.
    n = len(order)
    taken = np.isin(
        opened[:, 0] * n + columns_at.positions(opened[:, 1]),
        sales[:, 0] * n + columns_at.positions(sales[:, 1]),
    )
    keep = ~taken & (accounts_at.positions(opened[:, 0]) >= 0)
    opened, stages = opened[keep], [s for s, k in zip(stages, keep.tolist(), strict=True) if k]
    white = worth.sum(axis=1)[group]  # every item's worth, less what is owned or in pipeline
    for held in (owned, opened):
        at = accounts_at.positions(held[:, 0])
        worth_held = worth[group[at], columns_at.positions(held[:, 1])]
        # Sums of cents well below 2**53: exact in float64.
        white -= np.bincount(at, weights=worth_held, minlength=len(scope_ids)).astype(np.int64)
    expected = None
    if horizon is not None:
        from keyplan.territory.predictions import ranking_model

        prediction = ranking_model(by=by, horizon=horizon)  # never learned here
        if prediction is not None and prediction.learned:
            white = np.round(prediction.account_values(scope_ids, item_ids) * 100).astype(np.int64)
            expected = dict(zip(scope_ids.tolist(), white.tolist(), strict=True))
    counts = {OWNED: len(owned), PIPELINE: len(opened), WHITE: 0}
    counts[WHITE] = len(items) * len(in_scope) - counts[OWNED] - counts[PIPELINE]
    # Most white space first, then by name and id.
    names = [name.casefold() for name, _e, _i, _b in in_scope.values()]
    ranking = sorted(zip((-white).tolist(), names, scope_ids.tolist(), strict=True))
    total = money(int(white.sum()))
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
        AccountItems(owned[:, 0], owned[:, 1], owned[:, 2]),
        AccountItems(opened[:, 0], opened[:, 1], opened[:, 2], stages),
        peers.values,
        expected,
        horizon if expected is not None else None,
    )

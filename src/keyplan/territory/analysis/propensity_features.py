"""White-space features: the facts every cell of the probability model reads, known at a
cut-off (the model itself is ``propensity.py``).

* A *cut-off* is the first day of a month. At a cut-off, a cell is white space when the
  account bought nothing of the item in the 12 months before; it is *bought* when the
  account buys it in the horizon that follows. Training cut-offs are whole years before
  the scoring cut-off (what was adopted from the same point last year, and the year
  before), and only those whose horizon is entirely in the past.
* Features of a cell at a cut-off use only what was known then: the item's adoption rate
  among non-owners (territory-wide), the adoption rate among similar non-owners (same
  industry, same size band, and both) shrunk toward the territory's rate rather than a
  hard split (an account without an employee count is its own band, ``unknown``),
  item-item co-purchase (how often non-owners of this item who own another one adopted
  it, the best of what the account owns), lapsed ownership (bought before the 12 months,
  not in them) and months since the item was last bought, how the account bought it
  before it stopped (months bought, up to 12, and how regularly between its first and last
  purchase) and whether it still buys other products of the item's line, the account's recency,
  frequency and spend, its breadth, tier and firmographics. The adoption rates are
  computed out of fold (accounts in five folds; a cell's rates never count its own
  outcome) so the model cannot learn from its own answer.

Everything is read in one query over the sales roll-up (``facts.monthly_sales``: per
account, product and month, summed per item in numpy; read once for several runs within
``facts.reuse()``) and one over accounts, then computed in numpy: no query per account. Fixed random
states and rows ordered by account, item and month give the same figures on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from keyplan.accounts.models import Account
from keyplan.territory.analysis.bands import BANDS, size_band_sql
from keyplan.territory.analysis.facts import (
    latest,
    monthly_sales,
    product_lines,
    raw_rows,
    sum_cells,
)

NEVER = 999.0  # months since something that never happened
FOLDS = 5
SHRINK = 20.0  # pseudo-cells of the territory's rate a peer group's rate starts from
KEYS = {"product": "product_id", "line": "product__product_line_id"}
BAND_NAMES = ["unknown"] + [label for _limit, label in BANDS]


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def month_date(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


# -- the facts, read once ------------------------------------------------------------------
@dataclass
class History:
    """Sales per account, item and month as columns, and the accounts' firmographics."""

    items: list[tuple[int, str, str]]  # (id, name, product line)
    account_ids: np.ndarray  # sorted
    industry: np.ndarray  # code per account (index into industries)
    industries: list[str]
    band: np.ndarray  # code per account (index into BAND_NAMES)
    employees: np.ndarray  # float, NaN when not known
    tier: np.ndarray  # 0 none, 1 A, 2 B, 3 C
    account: np.ndarray  # row → account position
    item: np.ndarray  # row → item position
    month: np.ndarray  # row → month index
    cents: np.ndarray  # row → net sales in cents
    last_month: int  # the latest month with sales (month index); -1: none

    @property
    def n_accounts(self) -> int:
        return len(self.account_ids)

    @property
    def n_items(self) -> int:
        return len(self.items)


def read_history(items: list[tuple[int, str, str]], by: str) -> History:
    """Two queries: the monthly roll-up (summed per account, item and month in numpy);
    every account's profile. Within ``facts.reuse()`` the latest history read is kept
    (per version of the sales; one at a time: 0.4 GB by product at 100,000 accounts), so
    today's predictions and the back-test sum the roll-up per item once."""
    return latest("history", (by, tuple(items)), lambda: _read_history(items, by))


def _read_history(items: list[tuple[int, str, str]], by: str) -> History:
    key = KEYS[by]
    item_ids = [i[0] for i in items]
    profiles = list(
        raw_rows(
            Account.objects.order_by("pk")
            .annotate(band=size_band_sql())
            .values_list("pk", "industry", "band", "employees", "tier__tier")
        )
    )
    ids = np.array([p[0] for p in profiles], dtype=np.int64)
    industries = sorted({p[1] or "" for p in profiles})
    ind_code = {name: k for k, name in enumerate(industries)}
    band_code = {name: k for k, name in enumerate(BAND_NAMES)}
    tier_code = {"A": 1, "B": 2, "C": 3}
    # The monthly roll-up read once into numpy (shared with the forecast and, within
    # facts.reuse(), with the other white-space runs), summed per account, item and month
    # here: a product's position, or its line's, through a small product → item map.
    sales = monthly_sales()
    products, lines = product_lines()
    position = {item_id: k for k, item_id in enumerate(item_ids)}
    of_product = products if key == "product_id" else lines
    product_item = np.array([position.get(int(i), -1) for i in of_product], dtype=np.int64)
    row_item = product_item[np.searchsorted(products, sales.product)]
    mine = row_item >= 0
    n_items = max(len(item_ids), 1)
    if mine.all():  # every product counts (by line, or all products active): no copies
        account, month, cents = sales.account, sales.month, sales.cents
    else:
        account, month, cents = sales.account[mine], sales.month[mine], sales.cents[mine]
        row_item = row_item[mine]
    del mine
    cell = np.searchsorted(ids, account)
    cell *= n_items
    cell += row_item
    del row_item, account
    cell, month, cents = sum_cells(cell, month, cents)
    bought = cents > 0  # a month of net returns is not a purchase
    cell, month, cents = cell[bought], month[bought], cents[bought]
    # sorted by account, item and month: the same order whatever the database
    return History(
        items=items,
        account_ids=ids,
        industry=np.array([ind_code[p[1] or ""] for p in profiles], dtype=np.int64),
        industries=industries,
        band=np.array([band_code.get(p[2], 0) for p in profiles], dtype=np.int64),
        employees=np.array([np.nan if p[3] is None else p[3] for p in profiles], dtype=float),
        tier=np.array([tier_code.get(p[4], 0) for p in profiles], dtype=np.int64),
        account=cell // n_items,
        item=cell % n_items,
        month=month,
        cents=cents,
        last_month=int(month.max()) if len(month) else -1,
    )


# -- the state of every cell at a cut-off ------------------------------------------------------
@dataclass
class Snapshot:
    """What was known at cut-off ``at`` (a month index: months before it are the past),
    for every account × item as dense (accounts × items) arrays, and what happened next."""

    at: int
    owned: np.ndarray  # bool: bought in the 12 months before the cut-off
    spend12: np.ndarray  # cents in those 12 months
    last: np.ndarray  # month index of the latest purchase before the cut-off; -1: never
    bought: np.ndarray | None  # bool: bought in the horizon after the cut-off
    first_year: np.ndarray | None  # cents in the 12 months after the cut-off
    account_spend: np.ndarray  # per account: cents in the 12 months before
    account_months: np.ndarray  # per account: months with a purchase among those 12
    account_last: np.ndarray  # per account: latest month with a purchase; -1 never
    account_first: np.ndarray  # per account: first month with a purchase; -1 never
    item_months: np.ndarray  # months with a purchase of the item before the cut-off
    item_first: np.ndarray  # month index of the first purchase of the item; -1: never


def snapshot(h: History, at: int, horizon: int | None) -> Snapshot:
    a_n, i_n = h.n_accounts, h.n_items
    cells = h.account * i_n + h.item
    size = a_n * i_n
    before = h.month < at
    recent = before & (h.month >= at - 12)
    spend12 = np.bincount(cells[recent], weights=h.cents[recent], minlength=size)
    last = np.full(size, -1, dtype=np.int64)
    # rows are sorted by account, item and month: the last row of a cell before the cut-off
    idx = np.flatnonzero(before)
    last[cells[idx]] = h.month[idx]  # later rows overwrite earlier ones (sorted by month)
    bought = first_year = None
    if horizon is not None:
        ahead = (h.month >= at) & (h.month < at + horizon)
        bought = np.bincount(cells[ahead], minlength=size).reshape(a_n, i_n) > 0
        year = (h.month >= at) & (h.month < at + 12)
        first_year = np.bincount(cells[year], weights=h.cents[year], minlength=size)
        first_year = first_year.reshape(a_n, i_n)
    account_months = np.zeros(a_n, dtype=np.int64)
    if recent.any():
        pairs = np.unique(h.account[recent] * 12 + (h.month[recent] - (at - 12)))
        account_months = np.bincount(pairs // 12, minlength=a_n)
    account_last = np.full(a_n, -1, dtype=np.int64)
    np.maximum.at(account_last, h.account[idx], h.month[idx])
    account_first = np.full(a_n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(account_first, h.account[idx], h.month[idx])
    account_first[account_first == np.iinfo(np.int64).max] = -1
    spend12 = spend12.reshape(a_n, i_n)
    item_months = np.bincount(cells[idx], minlength=size).reshape(a_n, i_n)
    item_first = np.full(size, -1, dtype=np.int64)
    item_first[cells[idx][::-1]] = h.month[idx][::-1]  # the earliest row written last
    return Snapshot(
        at=at,
        owned=spend12 > 0,
        spend12=spend12,
        last=last.reshape(a_n, i_n),
        bought=bought,
        first_year=first_year,
        account_spend=spend12.sum(axis=1),
        account_months=account_months,
        account_last=account_last,
        account_first=account_first,
        item_months=item_months,
        item_first=item_first.reshape(a_n, i_n),
    )


# -- adoption rates among non-owners ----------------------------------------------------------
@dataclass
class Rates:
    """Adoption rates learned at one cut-off: per item, per (industry, item), per (band,
    item), per (industry, band, item), and item-item co-purchase (owned j → adopted i)."""

    item: np.ndarray  # (items,)
    industry: np.ndarray  # (industries, items)
    band: np.ndarray  # (bands, items)
    peer: np.ndarray  # (industries * bands, items)
    co: np.ndarray  # (items owned, items adopted)


def _group_rate(group, n_groups, white, adopted, prior):
    """Adoption rate of non-owners per group and item, shrunk toward ``prior``."""
    w = np.zeros((n_groups, white.shape[1]))
    y = np.zeros((n_groups, white.shape[1]))
    np.add.at(w, group, white)
    np.add.at(y, group, adopted)
    return (y + SHRINK * prior) / (w + SHRINK)


def rates(h: History, s: Snapshot, accounts: np.ndarray | None = None) -> Rates:
    """The rates learned from ``accounts`` (positions; None: every account) at ``s``."""
    if accounts is None:
        accounts = np.arange(h.n_accounts)
    white = (~s.owned[accounts]).astype(float)
    adopted = white * s.bought[accounts]
    item = (adopted.sum(axis=0) + 1.0) / (white.sum(axis=0) + 2.0)  # never exactly 0 or 1
    ind, band = h.industry[accounts], h.band[accounts]
    owned = s.owned[accounts].astype(float)
    co = (owned.T @ adopted + SHRINK * item) / (owned.T @ white + SHRINK)
    return Rates(
        item=item,
        industry=_group_rate(ind, len(h.industries), white, adopted, item),
        band=_group_rate(band, len(BAND_NAMES), white, adopted, item),
        peer=_group_rate(
            ind * len(BAND_NAMES) + band, len(h.industries) * len(BAND_NAMES), white, adopted, item
        ),
        co=co,
    )


def best_co(owned: np.ndarray, co: np.ndarray):
    """Per cell, the highest co-purchase rate of the item with something the account owns
    (NaN: owns nothing) and which owned item gives it (-1: none)."""
    a_n, i_n = owned.shape
    best = np.full((a_n, i_n), np.nan)
    which = np.full((a_n, i_n), -1, dtype=np.int64)
    for j in range(i_n):
        has = owned[:, j]
        if not has.any():
            continue
        rate = co[j][None, :]
        rows = best[has]
        better = ~(rows >= rate)  # NaN counts as lower
        better[:, j] = False  # an item does not predict itself
        rows[better] = np.broadcast_to(rate, rows.shape)[better]
        best[has] = rows
        w = which[has]
        w[better] = j
        which[has] = w
    return best, which


FEATURES = [
    "item",
    "industry",
    "band",
    "tier",
    "item_rate",
    "industry_rate",
    "band_rate",
    "peer_rate",
    "co_rate",
    "co_lift",
    "lapsed",
    "months_since_item",
    "months_since_any",
    "months_active",
    "log_spend",
    "items_owned",
    "tenure",
    "log_employees",
    "line_owned",
    "months_bought",
    "regularity",
]
CATEGORICAL = [True, True, True, True] + [False] * (len(FEATURES) - 4)


@dataclass
class Cells:
    """White-space cells at a cut-off: account and item positions and their features."""

    account: np.ndarray
    item: np.ndarray
    X: np.ndarray
    peer_rate: np.ndarray
    co_item: np.ndarray  # the owned item behind co_rate (-1: none)
    co_rate: np.ndarray
    last: np.ndarray  # month index of the last purchase of the item (-1: never)


def white_cells(s: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """Account and item positions of every white-space cell at ``s``, in account and item
    order."""
    return np.nonzero(~s.owned)


def white_count(h: History, at: int) -> int:
    """How many white-space cells there are at cut-off ``at`` (what ``snapshot`` counts as
    not owned), without the snapshot's other arrays."""
    recent = (h.month < at) & (h.month >= at - 12)
    cells = h.account[recent] * h.n_items + h.item[recent]
    return h.n_accounts * h.n_items - len(np.unique(cells))


def features(
    h: History,
    s: Snapshot,
    r: Rates | list[Rates],
    fold=None,
    subset=None,
    white=None,
    co=None,
) -> Cells:
    """Features of every white-space cell at ``s``; ``r`` per fold (out of fold) when
    ``fold`` gives each account's fold, else one set of rates for everyone. ``subset``
    (sorted positions among the white-space cells, in account and item order, or a
    slice of them): only those cells — the same rows, value for value, as taking them
    from all cells. ``white`` (every white-space cell's account and item positions,
    ``white_cells(s)``) and ``co`` (``best_co(s.owned, r.co)``, one set of rates only):
    given when computed once for several subsets."""
    a_n, i_n = h.n_accounts, h.n_items
    acc, itm = white_cells(s) if white is None else white
    if subset is not None:
        acc, itm = acc[subset], itm[subset]
    nb = len(BAND_NAMES)

    def pick(attr):
        if fold is None:
            return getattr(r, attr)
        return np.stack([getattr(x, attr) for x in r])  # (folds, ...)

    ind, band = h.industry[acc], h.band[acc]
    if fold is None:
        item_rate = r.item[itm]
        industry_rate = r.industry[ind, itm]
        band_rate = r.band[band, itm]
        peer_rate = r.peer[ind * nb + band, itm]
        best, which = best_co(s.owned, r.co) if co is None else co
    else:
        f = fold[acc]
        item_rate = pick("item")[f, itm]
        industry_rate = pick("industry")[f, ind, itm]
        band_rate = pick("band")[f, band, itm]
        peer_rate = pick("peer")[f, ind * nb + band, itm]
        best = np.full((a_n, i_n), np.nan)
        which = np.full((a_n, i_n), -1, dtype=np.int64)
        for k, rk in enumerate(r):
            mine = fold == k
            b, w = best_co(s.owned[mine], rk.co)
            best[mine], which[mine] = b, w
    co_rate = best[acc, itm]
    last = s.last[acc, itm]
    lapsed = (last >= 0).astype(float)
    # "Never" is a value of its own, far beyond any real gap (trees split on it).
    since_item = np.where(last >= 0, s.at - last, NEVER)
    a_last = s.account_last[acc]
    since_any = np.where(a_last >= 0, s.at - a_last, NEVER)
    a_first = s.account_first[acc]
    tenure = np.where(a_first >= 0, s.at - a_first, 0.0)
    co_item = which[acc, itm]
    del best, which

    # How the account bought the item before it stopped — what tells a product dropped for
    # good from one bought for a few months that comes back. Both mean the same at every
    # cut-off, whatever the history before it: months bought, counted up to 12 (a cut-off
    # with two years of history cannot see a lapsed item bought for more than 12 months;
    # uncapped, such spells at scoring were beyond anything the trees learned from), and
    # the share of months bought between the first and last purchase.
    def months_bought():
        return np.minimum(s.item_months[acc, itm], 12).astype(float)

    def regularity():
        first = s.item_first[acc, itm]
        span = np.where(first >= 0, last - first + 1, 1)
        return np.where(first >= 0, s.item_months[acc, itm] / np.maximum(span, 1), 0.0)

    def line_owned():
        # Products of the item's line the account bought in the 12 months (by product: it
        # left the product but not the line; by line always 0).
        names = sorted({i[2] for i in h.items})
        of = np.array([names.index(i[2]) for i in h.items], dtype=np.int64)
        per_line = np.zeros((len(names), a_n))
        np.add.at(per_line, of, s.owned.T.astype(float))
        return per_line[of[itm], acc]

    # Column by column into one float64 array (each column made, copied in and dropped:
    # one copy of the features in memory, not the columns, their stack and a cast of it).
    co = np.nan_to_num(co_rate, nan=0.0)
    columns = [
        lambda: itm,
        lambda: ind,
        lambda: band,
        lambda: h.tier[acc],
        lambda: item_rate,
        lambda: industry_rate,
        lambda: band_rate,
        lambda: peer_rate,
        lambda: co,
        lambda: np.divide(co, item_rate, out=np.zeros(len(acc)), where=item_rate > 0),
        lambda: lapsed,
        lambda: since_item,
        lambda: since_any,
        lambda: s.account_months[acc],
        lambda: np.log1p(s.account_spend[acc] / 100.0),
        lambda: s.owned.sum(axis=1)[acc],
        lambda: tenure,
        # Missing employee counts stay missing: the model learns what "not known" means
        # instead of lumping those accounts with the smallest (or any other) band.
        lambda: (
            np.log1p(h.employees[acc])
            if np.isfinite(h.employees).any()
            else np.full(len(acc), NEVER)
        ),
        line_owned,
        months_bought,
        regularity,
    ]
    X = np.empty((len(acc), len(columns)))
    for k, column in enumerate(columns):
        X[:, k] = column()
    return Cells(acc, itm, X, peer_rate, co_item, co_rate, last)


def account_folds(h: History) -> np.ndarray:
    return (h.account_ids % FOLDS).astype(np.int64)


def training_cutoffs(at: int, horizon: int, first_month: int) -> list[int]:
    """Cut-offs a whole number of years before ``at`` (the same season), whose horizon
    has passed and which have a year of history before them."""
    years = -(-horizon // 12)  # ceil
    cutoffs = []
    c = at - 12 * years
    while c - 12 >= first_month:
        cutoffs.append(c)
        c -= 12
    return cutoffs


def empty_rates(h: History) -> Rates:
    n = h.n_items
    z = np.zeros(n)
    return Rates(
        z,
        np.zeros((len(h.industries), n)),
        np.zeros((len(BAND_NAMES), n)),
        np.zeros((len(h.industries) * len(BAND_NAMES), n)),
        np.zeros((n, n)),
    )

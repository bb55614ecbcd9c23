"""White-space predictions as the pages, the API and the command line read them, and the
back-test that says how far to trust them.

``predict(by=, horizon=)`` learns from the whole history and scores today's white space;
``backtest(by=)`` hides the latest 12 months, learns from what came before, and checks
the ranking against what each account really bought in those 12 months — beside the
popularity ranking (lines ranked by how many accounts buy them) and the previous
peer-share rule (share of peers that own × their median spend).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from keyplan.territory.analysis.propensity import DEFAULT_HORIZON, fit, score
from keyplan.territory.analysis.propensity_features import (
    BAND_NAMES,
    History,
    month_date,
    read_history,
    snapshot,
)
from keyplan.territory.analysis.whitespace import MIN_PEERS, _items

RANK_BY = ("value", "probability")


@dataclass
class Prediction:
    """Today's white space scored: per cell (sorted by account, then item) the probability
    of buying within ``horizon`` months and the expected value."""

    by: str
    horizon: int
    as_of: datetime.date  # the first month predicted
    items: list[tuple[int, str, str]]
    industries: list[str]
    account_ids: np.ndarray  # sorted; position → account id
    account: np.ndarray  # cell → account position
    item: np.ndarray  # cell → item position
    probability: np.ndarray
    value: np.ndarray
    peer_rate: np.ndarray
    co_item: np.ndarray
    co_rate: np.ndarray
    item_rate: np.ndarray
    last: np.ndarray
    industry: np.ndarray  # per account
    band: np.ndarray  # per account
    training_cells: int
    training_bought: int

    def of_account(self, account_id: int) -> dict[int, tuple[float, float, str]]:
        """item id → (probability, expected value, why) for one account's white space."""
        pos = np.searchsorted(self.account_ids, account_id)
        if pos >= len(self.account_ids) or self.account_ids[pos] != account_id:
            return {}
        lo, hi = np.searchsorted(self.account, [pos, pos + 1]).tolist()
        return {
            self.items[int(self.item[k])][0]: (
                float(self.probability[k]),
                float(self.value[k]),
                self.explain(k),
            )
            for k in range(lo, hi)
        }

    @property
    def learned(self) -> bool:
        """Whether a model was learned (a past season to learn from): else every
        probability is 0 and the pages fall back to the peer-share worth, saying so."""
        return self.training_cells > 0

    def account_values(self, account_ids, item_ids) -> np.ndarray:
        """The expected value of each account's white space over ``item_ids`` (currency,
        one figure per id in ``account_ids``; 0 for an account with none)."""
        ids = np.asarray(account_ids, dtype=np.int64)
        wanted = np.isin(np.array([i[0] for i in self.items], dtype=np.int64), list(item_ids))
        mine = wanted[self.item] if len(self.item) else np.zeros(0, dtype=bool)
        sums = np.bincount(
            self.account[mine], weights=self.value[mine], minlength=len(self.account_ids)
        )
        pos = np.minimum(np.searchsorted(self.account_ids, ids), max(len(self.account_ids) - 1, 0))
        known = (
            (self.account_ids[pos] == ids) if len(self.account_ids) else np.zeros(len(ids), bool)
        )
        return np.where(known, sums[pos] if len(sums) else 0.0, 0.0)

    def cells_of(self, account_id: int) -> dict[int, tuple[float, float]]:
        """item id → (probability, expected value) for one account's white space, without
        the reasons (an export of every account reads this)."""
        pos = np.searchsorted(self.account_ids, account_id)
        if pos >= len(self.account_ids) or self.account_ids[pos] != account_id:
            return {}
        lo, hi = np.searchsorted(self.account, [pos, pos + 1]).tolist()
        return {
            self.items[int(self.item[k])][0]: (float(self.probability[k]), float(self.value[k]))
            for k in range(lo, hi)
        }

    def positions_of(self, accounts) -> np.ndarray:
        """The positions of those of ``accounts`` (ids) the model scored. An id it did not
        score (an account created since, or one with no white space) has none: a binary
        search alone would answer with the next account's position, and so with another
        account's cells (perhaps one the reader may not see)."""
        ids = np.fromiter(accounts, np.int64)
        positions = np.searchsorted(self.account_ids, ids)
        inside = positions < len(self.account_ids)
        positions, ids = positions[inside], ids[inside]
        return positions[self.account_ids[positions] == ids]

    def totals(self, accounts) -> dict:
        """Purchases expected (summed probabilities) and their expected value over the
        white space of ``accounts`` (ids)."""
        mine = np.isin(self.account, self.positions_of(accounts))
        return {
            "purchases": float(self.probability[mine].sum()),
            "value": float(self.value[mine].sum()),
        }

    def explain(self, k: int) -> str:
        """Why cell ``k`` has its probability, in a rep's words: what this account did
        first (it bought the item before and stopped; it buys what the item is often
        bought with), then how often similar accounts took it up — a low peer rate must
        not lead the reason for a lapsed buyer the model rates far above its peers."""
        a = int(self.account[k])
        industry = self.industries[int(self.industry[a])] or "no industry"
        band = BAND_NAMES[int(self.band[a])]
        size = "employee count not known" if band == "unknown" else f"{band} employees"
        months = "a year" if self.horizon == 12 else f"{self.horizon} months"
        parts = []
        if self.last[k] >= 0:
            parts.append(f"they bought it until {month_date(int(self.last[k])):%Y-%m}")
        j = int(self.co_item[k])
        if j >= 0 and self.co_rate[k] >= 1.5 * self.item_rate[k]:
            parts.append(f"often bought with {self.items[j][1]}, which they buy")
        parts.append(
            f"bought within {months} by {self.peer_rate[k]:.0%} of similar accounts "
            f"({industry}, {size}) that did not have it"
        )
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."


def predict(*, by: str = "product", horizon: int = DEFAULT_HORIZON) -> Prediction:
    """Learn from every past season and score today's white space (a territory
    statistic: the same whoever looks; pages show only the accounts one may see)."""
    items = _items(by, None)
    h = read_history(items, by)
    at = h.last_month + 1 if h.last_month >= 0 else 0
    model = fit(h, at, horizon)
    s = score(h, model, at)
    c = s.cells
    rates_item = model.rates.item[c.item] if model.rates is not None else np.zeros(len(c.item))
    # A cell with an open opportunity is in the pipeline, not white space.
    keep = ~np.isin(c.account * h.n_items + c.item, _pipeline_cells(h, by))
    return Prediction(
        by=by,
        horizon=horizon,
        as_of=month_date(at) if at else datetime.date.today().replace(day=1),
        items=items,
        industries=h.industries,
        account_ids=h.account_ids,
        account=c.account[keep],
        item=c.item[keep],
        probability=s.probability[keep],
        value=s.value[keep],
        peer_rate=c.peer_rate[keep],
        co_item=c.co_item[keep],
        co_rate=c.co_rate[keep],
        item_rate=rates_item[keep],
        last=c.last[keep],
        industry=h.industry,
        band=h.band,
        training_cells=model.training_cells,
        training_bought=model.training_bought,
    )


def predicted_cells(prediction: Prediction, rank: str = "value", limit: int = 25, accounts=None):
    """The best white-space cells of the territory (or of ``accounts``, ids): (account id,
    item id, probability, expected value, why), by expected value or by probability; ties
    by account and item."""
    if rank not in RANK_BY:
        raise ValueError(rank)
    mine = np.arange(len(prediction.account))
    if accounts is not None:
        positions = prediction.positions_of(accounts)
        wanted = np.zeros(len(prediction.account_ids), dtype=bool)
        wanted[positions] = True  # one look-up per cell, not a set test over every cell
        mine = mine[wanted[prediction.account[mine]]]
    key = prediction.value if rank == "value" else prediction.probability
    if 0 < limit < len(mine):
        # Only the cells that can be among the best ``limit`` are sorted: those at least
        # as high as the limit-th highest (ties at the cut included, so the order of
        # ties by account and item is the full sort's). 2.2 million cells at 100,000
        # accounts: a sort of them all took half a second on every visit.
        lowered = -key[mine]
        cut = np.partition(lowered, limit - 1)[limit - 1]
        if not np.isnan(cut):  # NaN sorts last: with fewer real figures, sort them all
            mine = mine[lowered <= cut]
    order = mine[np.lexsort((prediction.item[mine], prediction.account[mine], -key[mine]))]
    return [
        (
            int(prediction.account_ids[prediction.account[k]]),
            prediction.items[int(prediction.item[k])][0],
            float(prediction.probability[k]),
            float(prediction.value[k]),
            prediction.explain(int(k)),
        )
        for k in order[:limit]
    ]


def _pipeline_cells(h: History, by: str) -> np.ndarray:
    """account position × items + item position of every cell with an open opportunity
    (one aggregate query)."""
    from keyplan.territory.analysis.whitespace import _KEYS, _pipeline_rows

    item_ids = np.array([i[0] for i in h.items], dtype=np.int64)
    rows = np.array(
        [(a, i) for a, i, _c, _s in _pipeline_rows(_KEYS[by], item_ids.tolist())],
        dtype=np.int64,
    ).reshape(-1, 2)
    order = np.argsort(item_ids)
    account = np.searchsorted(h.account_ids, rows[:, 0])
    item = order[np.searchsorted(item_ids[order], rows[:, 1])]
    known = account < len(h.account_ids)
    return account[known] * h.n_items + item[known]


# -- the back-test ---------------------------------------------------------------------------
@dataclass
class RankingFigures:
    """How well one ranking found what accounts went on to buy."""

    precision_at_3: float  # share of each account's top 3 cells bought (mean over accounts)
    map: float  # mean average precision over accounts that bought something new
    top100_precision: float  # share of the territory's 100 best cells bought
    revenue_top3: float  # share of the new revenue that fell in accounts' top 3 cells

    def as_dict(self) -> dict:
        return {k: round(v, 4) for k, v in self.__dict__.items()}


@dataclass
class Backtest:
    by: str
    horizon: int
    trained_to: datetime.date  # the last month the model learned from
    tested_from: datetime.date
    tested_to: datetime.date
    white_cells: int
    bought_cells: int
    accounts_tested: int  # accounts that bought something in their white space
    model: RankingFigures  # white space ranked by probability
    model_value: RankingFigures  # ranked by expected value
    popularity: RankingFigures
    peer_share: RankingFigures
    calibration: list[dict]  # per tenth of probability: cells, predicted, bought
    predicted_total: float
    message: str = ""

    def sentences(self) -> list[str]:
        """The back-test in a sales-ops analyst's words."""
        if self.message:
            return [self.message]
        m, pop, old = self.model, self.popularity, self.peer_share
        rows = [
            ("Right in each account's top 3 (precision@3)", "precision_at_3"),
            ("Ranking quality per account (MAP, 100% = perfect)", "map"),
            ("Right among the territory's top 100 cells", "top100_precision"),
            ("New revenue found in each account's top 3", "revenue_top3"),
        ]
        lines = [
            f"Back-test: learned from sales to {self.trained_to:%Y-%m}, checked against "
            f"{self.tested_from:%Y-%m} to {self.tested_to:%Y-%m}. Of {self.white_cells:,} "
            f"white-space cells then, {self.bought_cells:,} were bought "
            f"({self.accounts_tested:,} accounts bought something new); the model expected "
            f"{self.predicted_total:,.0f}.",
            "Columns: model = the model's ranking by probability; by value = the same by "
            "expected value; popular = items ranked by how many accounts buy them; old rule "
            "= share of similar accounts that own × their typical spend.",
            f"{'':50} {'model':>9} {'by value':>9} {'popular':>9} {'old rule':>9}",
        ]
        for label, name in rows:
            values = [getattr(x, name) for x in (m, self.model_value, pop, old)]
            lines.append(f"{label:50} " + " ".join(f"{v:>9.0%}" for v in values))
        lines.append("Calibration (cells by probability: expected → bought):")
        for row in self.calibration:
            if row["cells"]:
                lines.append(
                    f"  {row['from']:.0%}–{row['to']:.0%}: {row['cells']:,} cells, "
                    f"{row['predicted']:,.0f} expected, {row['bought']:,} bought"
                )
        return lines

    def as_dict(self) -> dict:
        return {
            "by": self.by,
            "horizon": self.horizon,
            "trained_to": self.trained_to.isoformat(),
            "tested": {"from": self.tested_from.isoformat(), "to": self.tested_to.isoformat()},
            "white_cells": self.white_cells,
            "bought_cells": self.bought_cells,
            "predicted_cells": round(self.predicted_total, 1),
            "accounts_tested": self.accounts_tested,
            "model": self.model.as_dict(),
            "model_by_value": self.model_value.as_dict(),
            "popularity": self.popularity.as_dict(),
            "peer_share": self.peer_share.as_dict(),
            "calibration": self.calibration,
            "message": self.message,
        }


def ranking_figures(account, item, ranking, bought, revenue, k: int = 3) -> RankingFigures:
    """Precision@k and MAP per account (over accounts that bought at least one of their
    white-space cells), precision of the 100 best cells, and the share of new revenue in
    each account's top k. Ties are broken by item order, the same for every ranking."""
    if not bought.any():
        return RankingFigures(0.0, 0.0, 0.0, 0.0)
    order = np.lexsort((item, -ranking, account))
    acc, hit, rev = account[order], bought[order], revenue[order]
    starts = np.flatnonzero(np.r_[True, acc[1:] != acc[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(acc)]))
    rank = np.arange(len(acc)) - starts[group] + 1
    hits_cum = np.cumsum(hit)
    before_group = np.r_[0, hits_cum][starts][group]
    within = hits_cum - before_group  # hits so far within the account
    per_account_hits = np.bincount(group, weights=hit)
    size = np.bincount(group)
    tested = per_account_hits > 0
    top = rank <= k
    p_at_k = np.bincount(group, weights=hit & top) / np.minimum(size, k)
    ap = np.bincount(group, weights=np.where(hit, within / rank, 0.0))
    ap = ap[tested] / per_account_hits[tested]
    best = np.lexsort((item, account, -ranking))[:100]
    return RankingFigures(
        precision_at_3=float(p_at_k[tested].mean()),
        map=float(ap.mean()),
        top100_precision=float(bought[best].mean()),
        revenue_top3=float(rev[top].sum() / max(rev.sum(), 1e-9)),
    )


def calibration(probability, bought) -> list[dict]:
    """Cells by tenth of probability: how many were predicted to be bought (the sum of
    their probabilities) and how many were."""
    tenth = np.minimum((probability * 10).astype(int), 9)
    rows = []
    for t in range(10):
        mine = tenth == t
        rows.append(
            {
                "from": t / 10,
                "to": (t + 1) / 10,
                "cells": int(mine.sum()),
                "predicted": round(float(probability[mine].sum()), 1),
                "bought": int(bought[mine].sum()),
            }
        )
    return rows


def peer_share_worth(h: History, s) -> np.ndarray:
    """The previous rule's worth of every (account, item) at snapshot ``s``: the share of
    peers (industry and size band; everyone when fewer than five) owning the item × the
    median annual spend of owners in the size band (all owners when none there)."""
    nb = len(BAND_NAMES)
    group = h.industry * nb + h.band
    n_groups = len(h.industries) * nb
    size = np.bincount(group, minlength=n_groups)
    owners = np.zeros((n_groups, h.n_items))
    np.add.at(owners, group, s.owned.astype(float))
    share = owners / np.maximum(size, 1)[:, None]
    territory = s.owned.mean(axis=0) if h.n_accounts else np.zeros(h.n_items)
    share[size < MIN_PEERS] = territory
    typical = np.zeros((nb, h.n_items))
    for i in range(h.n_items):
        spent = s.spend12[:, i]
        anywhere = np.median(spent[spent > 0]) if (spent > 0).any() else 0.0
        for b in range(nb):
            mine = spent[(h.band == b) & (spent > 0)]
            typical[b, i] = np.median(mine) if len(mine) else anywhere
    return share[group] * typical[h.band]


def backtest(*, by: str = "product", horizon: int = 12) -> Backtest:
    """Hold out the latest 12 months, learn from what came before, and compare each
    ranking of the white space at the start of those months with what was bought."""
    items = _items(by, None)
    h = read_history(items, by)
    at = h.last_month + 1 - 12
    empty = RankingFigures(0.0, 0.0, 0.0, 0.0)
    first = int(h.month.min()) if len(h.month) else at
    if h.last_month < 0 or at - 24 < first:
        return Backtest(
            by, horizon, datetime.date.min, datetime.date.min, datetime.date.min, 0, 0, 0,
            empty, empty, empty, empty, [], 0.0,
            message="A back-test needs at least three years of sales history: two to learn "
            "from and the latest one to check against.",
        )  # fmt: skip
    model = fit(h, at, 12)
    s = snapshot(h, at, 12)
    scored = score(h, model, at, s)
    cells = scored.cells
    bought = s.bought[cells.account, cells.item]
    revenue = s.first_year[cells.account, cells.item] / 100.0
    popularity = s.owned.sum(axis=0)[cells.item].astype(float)
    old = peer_share_worth(h, s)[cells.account, cells.item]
    figures = {
        name: ranking_figures(cells.account, cells.item, ranking, bought, revenue)
        for name, ranking in (
            ("model", scored.probability),
            ("model_value", scored.value),
            ("popularity", popularity),
            ("peer_share", old),
        )
    }
    return Backtest(
        by=by,
        horizon=12,
        trained_to=month_date(at - 1),
        tested_from=month_date(at),
        tested_to=month_date(at + 11),
        white_cells=len(bought),
        bought_cells=int(bought.sum()),
        accounts_tested=len(np.unique(cells.account[bought])),
        model=figures["model"],
        model_value=figures["model_value"],
        popularity=figures["popularity"],
        peer_share=figures["peer_share"],
        calibration=calibration(scored.probability, bought),
        predicted_total=float(scored.probability.sum()),
    )

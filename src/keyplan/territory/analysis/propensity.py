"""White-space probability and expected value, learned from the territory's own history.

For every white-space cell (an account and a product or product line it did not buy in the
last 12 months) the *probability* that the account buys it within the horizon (12 months
by default), and its *expected value*: that probability × the first-year spend expected
of an account like this one that starts buying it.

How it is learned (time-shifted training, matched to the season; the cut-offs, snapshots,
adoption rates and features are in ``propensity_features.py``):

* scikit-learn's ``HistGradientBoostingClassifier`` learns P(bought | features),
  cross-fitted over two groups of accounts: each set of trees learns from one group and
  scores the other, one isotonic regression maps those out-of-group scores to how often
  such cells were bought (every training cell counts in the calibration, not one fold in
  five), and a cell's probability is the mean of the two calibrated sets of trees — so
  that probabilities summed over any group of cells predict how many of them are bought.
* First-year spend of an adopter: ``HistGradientBoostingRegressor`` on log spend in the
  first 12 months after adopting, fitted on past adopters only (not on all owners), with
  a smearing factor so that the exponentiated prediction is a mean, not a median.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from keyplan.territory.analysis.params import ParameterError
from keyplan.territory.analysis.propensity_features import (
    CATEGORICAL,
    FEATURES,
    FOLDS,
    Cells,
    History,
    Rates,
    Snapshot,
    account_folds,
    best_co,
    empty_rates,
    features,
    rates,
    snapshot,
    training_cutoffs,
    white_cells,
    white_count,
)

DEFAULT_HORIZON = 12
MAX_TRAINING_CELLS = 600_000  # a uniform sample beyond this: calibration is kept
SEED = 20260101


def parse_horizon(value) -> int:
    """A horizon in months from the command line, the page or the API."""
    if value in (None, ""):
        return DEFAULT_HORIZON
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise ParameterError(f"Horizon “{value}” is not a number of months.") from None
    if not 1 <= months <= 24:
        raise ParameterError(f"Horizon {months} months is outside 1 to 24 months.")
    return months


# -- the model --------------------------------------------------------------------------------
@dataclass
class Model:
    horizon: int
    at: int  # the cut-off scored
    cutoffs: list[int]
    classifier: object | None
    spender: object | None
    smearing: float
    rates: Rates | None  # the latest training cut-off's rates: what scoring reads
    training_cells: int = 0
    training_bought: int = 0
    fallback_spend: np.ndarray = field(default_factory=lambda: np.zeros(0))


def fit(h: History, at: int, horizon: int) -> Model:
    """Learn from cut-offs before ``at`` using sales before ``at`` only."""
    from threadpoolctl import threadpool_limits

    # One thread: the trees are small and OpenMP's spinning threads cost far more than
    # they bring on a busy 2-CPU server (the web workers and the task worker share it).
    with threadpool_limits(1):
        return _fit(h, at, horizon)


def _fit(h: History, at: int, horizon: int) -> Model:
    first = int(h.month.min()) if len(h.month) else at
    cutoffs = training_cutoffs(at, horizon, first)
    model = Model(horizon, at, cutoffs, None, None, 1.0, None)
    if not cutoffs:
        return model
    fold = account_folds(h)
    # The training sample (a uniform one when the cut-offs' white space, end to end, is
    # beyond MAX_TRAINING_CELLS) is drawn first, over the cut-offs' total count, so that
    # features are computed only for the cells it keeps (and the adopters the spend model
    # learns from), cut-off by cut-off: the same rows as sampling all cells' features
    # stacked, without holding every cut-off's features at once (2.3 million cells ×
    # 18 columns per cut-off at 100,000 accounts).
    counts = [white_count(h, c) for c in cutoffs]
    total = sum(counts)
    keep = None
    if total > MAX_TRAINING_CELLS:
        keep = np.sort(np.random.default_rng(SEED).choice(total, MAX_TRAINING_CELLS, False))
    Xs, ys, gs, spend_X, spend_y = [], [], [], [], []
    fallback = np.zeros(h.n_items)
    fallback_n = np.zeros(h.n_items)
    offset = 0
    for c, n in zip(cutoffs, counts, strict=True):
        s = snapshot(h, c, horizon)
        # Training only sees what happened before ``at``: the horizon of every cut-off
        # ends by ``at`` (cut-offs are whole years back), so ``s.bought`` is in the past.
        per_fold = [rates(h, s, np.flatnonzero(fold != k)) for k in range(FOLDS)]
        acc, itm = np.nonzero(~s.owned)
        if keep is None:
            sample = np.arange(n)
        else:
            lo, hi = np.searchsorted(keep, [offset, offset + n])
            sample = keep[lo:hi] - offset
        offset += n
        y = s.bought[acc, itm]
        adopters = None
        if c + 12 <= at:  # a whole first year after adopting is known
            adopters = np.flatnonzero(y & (s.first_year[acc, itm] > 0))
        wanted = sample if adopters is None else np.union1d(sample, adopters)
        del acc, itm
        cells = features(h, s, per_fold, fold, subset=wanted)
        rows = np.searchsorted(wanted, sample)
        Xs.append(cells.X[rows])
        ys.append(y[sample])
        gs.append(fold[cells.account[rows]])
        if adopters is not None:
            rows = np.searchsorted(wanted, adopters)
            spend_X.append(cells.X[rows])
            cents = s.first_year[cells.account[rows], cells.item[rows]]
            spend_y.append(np.log(cents / 100.0))
            np.add.at(fallback, cells.item[rows], cents / 100.0)
            np.add.at(fallback_n, cells.item[rows], 1)
        del cells, y, wanted, rows
        if model.rates is None:  # the latest cut-off: the rates scoring reads
            model.rates = rates(h, s)
        del s, per_fold
    X, y, groups = np.vstack(Xs), np.concatenate(ys), np.concatenate(gs)
    del Xs, ys, gs
    model.training_cells, model.training_bought = len(y), int(y.sum())
    overall = fallback.sum() / max(1, fallback_n.sum())
    model.fallback_spend = np.where(fallback_n > 0, fallback / np.maximum(fallback_n, 1), overall)
    # The classifier's cross-fitted sets of trees and the spend model are independent
    # fits: learned side by side, one CPU each (the same figures as one after another).
    jobs, finish = [], None
    if 0 < y.sum() < len(y):
        jobs, finish = _calibration_jobs(X, y, groups)
    elif len(y):
        model.classifier = _Constant(float(y.mean()))
    spend = None
    if spend_X:
        sX, sy = np.vstack(spend_X), np.concatenate(spend_y)
        if len(sy) >= 30:
            spend = len(jobs)
            jobs.append(lambda: _spend_model(sX, sy))
    results = side_by_side(jobs)
    if finish is not None:
        model.classifier = finish(results[: len(results) if spend is None else spend])
    if spend is not None:
        model.spender, model.smearing = results[spend]
    return model


def _spend_model(X, log_spend):
    """First-year spend of an adopter (log), and the smearing factor that makes its
    exponentiated prediction a mean, not a median."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    reg = HistGradientBoostingRegressor(
        max_iter=100,
        learning_rate=0.08,
        min_samples_leaf=20,
        categorical_features=CATEGORICAL,
        early_stopping=False,
        random_state=SEED,
    )
    reg.fit(X, log_spend)
    residual = log_spend - reg.predict(X)
    return reg, float(np.mean(np.exp(residual)))


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def side_by_side(jobs: list, workers: int | None = None) -> list:
    """Each job's result (in order), the jobs run on up to one thread per CPU. Each thread
    is held to one OpenMP thread: the trees' fitting and prediction release the
    interpreter lock, so two jobs use two CPUs without OpenMP's spinning threads (which
    cost far more than they bring on a busy 2-CPU server). Every job computes the same
    figures whichever thread runs it."""
    from threadpoolctl import ThreadpoolController

    workers = min(len(jobs), workers or cpus())
    if workers <= 1:
        return [job() for job in jobs]
    controller = ThreadpoolController()

    def run(job):
        # OpenMP's thread count is per thread: a new thread starts at one per CPU.
        with controller.limit(limits=1, user_api="openmp"):
            return job()

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run, jobs))


def _boosted():
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=80,
        learning_rate=0.1,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        categorical_features=CATEGORICAL,
        early_stopping=False,
        random_state=SEED,
    )


class _Calibrated:
    """Gradient-boosted trees, each set learned on all accounts but one group, their scores
    mapped to probabilities by one isotonic regression fitted on the cells each set never
    saw: what the trees say, made to count right (summed probabilities ≈ cells bought).
    A cell's probability is the mean over the sets of trees."""

    def __init__(self, trees, isotonic, levels, smoothed):
        self.trees, self.isotonic = trees, isotonic
        self.levels, self.smoothed = levels, smoothed

    def predict_proba(self, X):
        p = np.zeros(len(X))
        for t in self.trees:
            fitted = self.isotonic.predict(t.predict_proba(X)[:, 1])
            at = np.clip(np.searchsorted(self.levels, fitted), 0, len(self.levels) - 1)
            p += self.smoothed[at]
        p /= len(self.trees)
        return np.column_stack([1 - p, p])


PRIOR_CELLS = 2.0  # pseudo-cells of the overall rate each isotonic step starts from


def _isotonic(score, y):
    """Isotonic regression of ``y`` on ``score``. Each of its steps is a group of cells,
    and a small group where every cell was bought would say 100%: each step's rate is
    shrunk toward the overall rate by a few pseudo-cells (big steps keep their rate),
    and kept in the order of the scores."""
    from sklearn.isotonic import IsotonicRegression

    isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    isotonic.fit(score, y)
    fitted = isotonic.predict(score)
    levels, step = np.unique(fitted, return_inverse=True)
    cells = np.bincount(step)
    bought = np.bincount(step, weights=y.astype(float))
    smoothed = (bought + PRIOR_CELLS * y.mean()) / (cells + PRIOR_CELLS)
    return isotonic, levels, np.maximum.accumulate(smoothed)


# Groups of accounts (by fold: 0, 2 and 4; 1 and 3): trees learn on one and score the other.
# Two, not three: as well calibrated on the test territory and the 10,000 accounts, and
# the trees are learned on half the cells twice (three groups: on two thirds three times).
CALIBRATION_GROUPS = 2


def _calibration_jobs(X, y, folds):
    """Trees and their calibration, cross-fitted by groups of accounts: every score the
    isotonic map learns from comes from trees that never saw the cell's account, and every
    training cell counts in the calibration (not one fold of five: a map fitted on a fifth
    of a small territory's purchases is mostly noise). (jobs, finish): one job per group
    (its trees, and their scores of the cells they never saw), independent of each other;
    ``finish`` makes the classifier from the jobs' results."""
    group = folds % CALIBRATION_GROUPS
    held_out = [group == k for k in range(CALIBRATION_GROUPS)]
    for held in held_out:
        if not (0 < y[~held].sum() < (~held).sum()) or not held.any():
            # too few purchases to split: trees alone
            return [lambda: _boosted().fit(X, y)], lambda results: results[0]

    def learn(held):
        t = _boosted().fit(X[~held], y[~held])
        return t, t.predict_proba(X[held])[:, 1]

    def finish(results):
        trees, score = [], np.zeros(len(y))
        for held, (t, held_score) in zip(held_out, results, strict=True):
            trees.append(t)
            score[held] = held_score
        return _Calibrated(trees, *_isotonic(score, y))

    return [lambda held=held: learn(held) for held in held_out], finish


class _Constant:
    """A territory whose past white space was all bought or all left: its rate."""

    def __init__(self, p: float):
        self.p = p

    def predict_proba(self, X):
        return np.column_stack([np.full(len(X), 1 - self.p), np.full(len(X), self.p)])


@dataclass
class Scores:
    """Every white-space cell at the cut-off scored: probability and expected value
    (``cells.X`` is not kept: no rows)."""

    cells: Cells
    probability: np.ndarray
    first_year: np.ndarray  # expected first-year spend of an adopter, in currency
    value: np.ndarray  # probability × first_year


def score(h: History, model: Model, at: int | None = None, s: Snapshot | None = None) -> Scores:
    """Every white-space cell at ``at`` (the model's cut-off by default) scored; ``s``: the
    snapshot at ``at`` when the caller has it already (its horizon does not matter)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _score(h, model, at, s)


def _score(h: History, model: Model, at: int | None, s: Snapshot | None) -> Scores:
    at = model.at if at is None else at
    if s is None or s.at != at:
        s = snapshot(h, at, None)
    if model.rates is None:  # no past to learn from: nothing is predicted
        cells = features(h, s, empty_rates(h))
        zero = np.zeros(len(cells.account))
        return Scores(cells, zero, zero, zero)
    # Scored in chunks side by side on the CPUs, at most SCORE_CHUNK cells in all at a
    # time (every cell's figures are its own: the same figures as all at once), each
    # chunk's features dropped once scored and its figures written into the whole
    # territory's arrays (no parts kept and joined): at 100,000 accounts 2.2 million
    # cells' features would be 0.3 GB, and their makings twice that. What every chunk
    # reads of the whole territory (the white-space cells, each one's best co-purchase)
    # is computed once.
    account, item = white = white_cells(s)
    co = best_co(s.owned, model.rates.co)
    n = len(account)
    peer_rate, co_rate, p, spend = (np.empty(n) for _ in range(4))
    co_item, last = np.empty(n, dtype=co[1].dtype), np.empty(n, dtype=s.last.dtype)
    workers = cpus()
    rounds = max(1, -(-n // SCORE_CHUNK))
    size = max(1, -(-n // (workers * rounds)))

    def chunk(lo):
        part = slice(lo, min(n, lo + size))
        cells = features(h, s, model.rates, subset=part, white=white, co=co)
        peer_rate[part], co_rate[part] = cells.peer_rate, cells.co_rate
        co_item[part], last[part] = cells.co_item, cells.last
        if model.classifier is None or not len(cells.account):
            p[part] = 0.0
        else:
            p[part] = model.classifier.predict_proba(cells.X)[:, 1]
        if model.spender is not None and len(cells.account):
            spend[part] = np.exp(model.spender.predict(cells.X)) * model.smearing
        elif len(model.fallback_spend):
            spend[part] = model.fallback_spend[cells.item]
        else:
            spend[part] = 0.0

    side_by_side([lambda lo=lo: chunk(lo) for lo in range(0, max(n, 1), size)], workers)
    no_rows = np.empty((0, len(FEATURES)))
    cells = Cells(account, item, no_rows, peer_rate, co_item, co_rate, last)
    return Scores(cells, p, spend, p * spend)


SCORE_CHUNK = 500_000  # cells scored at a time, over all the threads

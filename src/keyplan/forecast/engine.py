"""Choosing the method by back-test, and the forecast it makes.

1. Each account × line series gets a *demand class* from its history since its first
   sale (Syntetos–Boylan): **smooth** (bought most months, steady amounts), **erratic**
   (most months, amounts that swing), **intermittent** (now and then, steady amounts),
   **lumpy** (now and then, amounts that swing), **new** (first bought in the last 12
   months) or **none** (nothing bought: forecast 0).
2. **Choosing** on rolling origins (``origins``): the three most recent 12-month
   windows before the held-out year, six months apart (with a shorter history, windows of
   the last 9 and 6 months before it). Every candidate — each method, and the mean of
   every two of them (a combination, the robust winner of the M4 competition) —
   forecasts each window from the months before it; a candidate's score per class is
   the mean over the origins of its account × line WAPE and of the account-level WAPE
   when the class's series take it. The lowest score wins, unless a simpler candidate is
   within the origins' own noise of it (``_simplest_within_noise``). Methods fitted per
   series are tried on a sample of up to ``SAMPLE`` series of the class; trend methods
   only on origins with two years of history before them; same month last year is not a
   method for new and now-and-then lines (``NO_SAME_MONTH``).
3. **Back-test**: the chosen method of each class, trained on everything before the last
   12 months, forecasts them; WAPE and MASE at account × line and account level beside
   the same month last year and last year's average. The choice was made on windows
   before the held-out year, so the back-test does not flatter it.
4. **Bands**: the spread of actual ÷ forecast in a year's back-test, per group of
   accounts by how much of their forecast is bought most months (``Bands``), read at
   percentile levels learned on rolling origins (``_levels``): how far out in one year's
   errors a band had to reach to hold 8 in 10 of the next year's (a year's errors are not
   the year before's — wider, or leaning the other way — so the 10th and 90th percentiles
   of last year's errors held only 74–78% of the next year's account totals on generated
   territories). The levels are symmetric, (a, 1 − a): which side the next year strays
   to changed from one pair of years to the next, how far held. The held-out year checks
   the rule (``Backtest.coverage``): bands read from the window before it, at levels
   learned from the year before that one to it; the forecast's bands are the same rule a
   year on — read from the held-out year's errors, at levels learned up to it
   (``Backtest.levels``).
5. **Forecast**: the chosen methods trained on the whole history.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np

from keyplan.forecast.methods import (
    COMBINED,
    METHODS,
    PER_SERIES_CLASSES,
    SEASON,
    complexity,
    parts,
    per_series,
)
from keyplan.forecast.series import Panel, month_add

CLASSES = ("smooth", "erratic", "intermittent", "lumpy", "new", "none")
CLASS_WORDS = {
    "smooth": "bought most months, steady amounts",
    "erratic": "bought most months, amounts that swing",
    "intermittent": "bought now and then, steady amounts",
    "lumpy": "bought now and then, amounts that swing",
    "new": "first bought in the last 12 months",
    "none": "nothing bought in the history",
}
HOLDOUT = 12
SAMPLE = 400
ADI_CUT, CV2_CUT = 1.32, 0.49  # Syntetos–Boylan
LOW_Q, HIGH_Q = 10, 90
ORIGINS = 3
LINE_WEIGHT = 0.5  # a candidate's score: this × its account × line WAPE + the rest × account
# Kinds of buying whose same month last year says nothing about this year's month: a line
# first bought less than a year ago (the month last year is before its first sale), and
# lines bought now and then (the month of an order does not repeat). Same month last year
# stays their baseline in the back-test, not a method chosen for them.
NO_SAME_MONTH = ("new", "intermittent", "lumpy")
# Methods that extrapolate a trend: with less than two years before a cut-off their trend
# is confounded with the season and the noise (and the model not the one used on a
# longer history), so they are tried only on origins with two years of history.
TRENDS = {"pooled", "line_ets", "line_theta"}
TOLERANCE = 0.002  # WAPE differences below this are noise
KEPT = 5  # best candidates whose scores are kept with the run (besides each method's)
DEFAULT_METHOD = "two_years"  # when there is too little history to choose


def demand_classes(y: np.ndarray) -> np.ndarray:
    n, t = y.shape
    classes = np.full(n, "none", dtype=object)
    if not t:
        return classes
    bought = y > 0
    first = np.where(bought.any(axis=1), bought.argmax(axis=1), t)
    count = bought.sum(axis=1)
    span = t - first
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(count > 0, span / np.maximum(count, 1), np.inf)
        positive = np.where(bought, y, np.nan)
        mean = np.nanmean(np.where(count[:, None] > 0, positive, 0.0), axis=1)
        std = np.nanstd(np.where(count[:, None] > 0, positive, 0.0), axis=1)
        cv2 = np.where(mean > 0, (std / np.where(mean > 0, mean, 1)) ** 2, 0.0)
    frequent = adi < ADI_CUT
    steady = cv2 < CV2_CUT
    classes[frequent & steady] = "smooth"
    classes[frequent & ~steady] = "erratic"
    classes[~frequent & steady] = "intermittent"
    classes[~frequent & ~steady] = "lumpy"
    classes[(count > 0) & (span < SEASON)] = "new"
    classes[count == 0] = "none"
    return classes


def wape(actual: np.ndarray, forecast: np.ndarray) -> float | None:
    total = np.abs(actual).sum()
    return None if total <= 0 else float(np.abs(actual - forecast).sum() / total)


def mase(history: np.ndarray, actual: np.ndarray, forecast: np.ndarray) -> float | None:
    """Mean over series of (forecast error ÷ the error of same-month-last-year within the
    training history); series whose training history gives no scale are left out."""
    t = history.shape[1]
    lag = SEASON if t > SEASON else 1
    if t <= lag:
        return None
    scale = np.abs(history[:, lag:] - history[:, :-lag]).mean(axis=1)
    keep = scale > 0
    if not keep.any():
        return None
    error = np.abs(actual[keep] - forecast[keep]).mean(axis=1)
    return float((error / scale[keep]).mean())


def _by_account(accounts: np.ndarray, matrix: np.ndarray):
    unique, index = np.unique(accounts, return_inverse=True)
    out = np.zeros((len(unique), matrix.shape[1]))
    np.add.at(out, index.ravel(), matrix)
    return out


def _moy(panel: Panel):
    return panel.month_of_year


def _run(name, y, lines, moy, horizon, rows=None):
    """Method ``name``'s forecast (a combination: the mean of its parts); per-series
    methods only for ``rows`` (others 0)."""
    names = parts(name)
    if len(names) > 1:
        return sum(_run(n, y, lines, moy, horizon, rows) for n in names) / len(names)
    _label, fn, per = METHODS[name]
    if per and rows is not None:
        out = np.zeros((y.shape[0], horizon))
        if len(rows):
            out[rows] = fn(y[rows], lines[rows], moy, horizon)
        return out
    return fn(y, lines, moy, horizon)


def origins(t: int) -> list[tuple[int, int]]:
    """(cut, months) of the back-tests the methods are chosen on: the most recent 12-month
    windows before the held-out year, six months apart (each forecast from all the months
    before it, with at least a year of history); when the history allows fewer than
    three, windows of the last 9 and 6 months before the held-out year. Every window
    ends by the start of the held-out year: nothing here reaches into it."""
    hold = t - HOLDOUT
    found = [(cut, HOLDOUT) for cut in (hold - 12, hold - 18, hold - 24) if cut >= SEASON]
    if len(found) < ORIGINS:
        found += [(hold - m, m) for m in (9, 6) if hold - m >= SEASON]
    return found[:ORIGINS]


def _blocks(accounts: np.ndarray) -> np.ndarray:
    """Start of each account's run of series (the panel is sorted by account)."""
    if not len(accounts):
        return np.zeros(0, int)
    return np.flatnonzero(np.r_[True, accounts[1:] != accounts[:-1]])


def _sum_blocks(matrix, starts):
    return np.add.reduceat(matrix, starts, axis=0) if len(starts) else matrix[:0]


@dataclass
class Choice:
    method: str
    series: int  # how many series of the class at the most recent choosing origin
    scores: dict[str, float] = field(default_factory=dict)  # mean WAPE over the origins


def choose(y, lines, accounts, moy, cuts, rng) -> dict[str, Choice]:
    """Per class, the candidate — a method or the mean of two — with the lowest WAPE
    forecasting each origin's window from the months before it, averaged over the
    origins. A candidate's WAPE is the mean of the class's own account × line WAPE and
    the account-level WAPE when the class's series take the candidate (the other classes
    last year's average): a method that wins on a line but loses on the account total
    does not win."""
    if not accounts.size or (len(accounts) > 1 and (np.diff(accounts) < 0).any()):
        order = np.argsort(accounts, kind="stable")
    else:
        order = None
    if order is not None:  # the panel is sorted by account; a hand-made one may not be
        y, lines, accounts = y[order], lines[order], accounts[order]
    starts = _blocks(accounts)
    account_of = np.cumsum(np.r_[False, accounts[1:] != accounts[:-1]]) if len(accounts) else []
    scores: dict[str, dict[str, list]] = {}
    counts: dict[str, int] = {}
    for k, (cut, months) in enumerate(cuts):
        train, actual = y[:, :cut], y[:, cut : cut + months]
        classes = demand_classes(train)
        sample = {}
        for c in CLASSES:
            rows = np.flatnonzero(classes == c)
            if len(rows) > SAMPLE:
                rows = np.sort(rng.choice(rows, SAMPLE, replace=False))
            sample[c] = rows
        per_series_rows = np.concatenate(
            [sample[c] for c in PER_SERIES_CLASSES if c in sample] or [np.zeros(0, int)]
        )
        singles = {
            name: _run(name, train, lines, moy, months, rows=per_series_rows).astype(np.float32)
            for name in METHODS
            if cut >= 2 * SEASON or name not in TRENDS
        }
        names = list(singles)
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
        reference = singles["last_year"]
        acc_actual = _sum_blocks(actual, starts)
        sold = np.abs(acc_actual).sum()
        acc_reference = _sum_blocks(reference.astype(np.float64), starts)
        reference_error = np.abs(acc_actual - acc_reference)
        base_error = reference_error.sum()
        for c in CLASSES:
            rows_all = np.flatnonzero(classes == c)
            if c == "none" or not len(rows_all):
                continue
            if k == 0:
                counts[c] = len(rows_all)
            sampled = c in PER_SERIES_CLASSES
            rows = sample[c] if sampled else rows_all
            # The class's rows by account (the panel is sorted by account): a candidate
            # changes only those accounts' totals, so only their errors are recomputed.
            owner = account_of[rows]
            runs = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            touched = owner[runs]
            actual_rows, reference_rows = actual[rows], reference[rows].astype(np.float64)
            unchanged = base_error - reference_error[touched].sum()
            for a, b in [(n, None) for n in names] + pairs:
                name = a if b is None else a + COMBINED + b
                if (per_series(name) and not sampled) or (
                    c in NO_SAME_MONTH and "seasonal_naive" in parts(name)
                ):
                    continue
                f = singles[a][rows].astype(np.float64)
                if b is not None:
                    f = (f + singles[b][rows]) / 2
                line_w = wape(actual_rows, f)
                if line_w is None or sold <= 0:
                    continue
                totals = acc_actual[touched] - (
                    acc_reference[touched] + np.add.reduceat(f - reference_rows, runs)
                )
                acc_w = (unchanged + np.abs(totals).sum()) / sold
                score = LINE_WEIGHT * line_w + (1 - LINE_WEIGHT) * acc_w
                if np.isfinite(score):
                    scores.setdefault(c, {}).setdefault(name, []).append(float(score))
    choices = {}
    for c, by_name in scores.items():
        # Only candidates scored on every origin the class had are compared.
        most = max(len(v) for v in by_name.values())
        kept = {n: np.array(v) for n, v in by_name.items() if len(v) == most}
        mean = {n: round(float(v.mean()), 4) for n, v in kept.items()}
        choices[c] = Choice(_simplest_within_noise(kept, mean), counts.get(c, 0), mean)
    return choices


def _simplest_within_noise(kept: dict, mean: dict) -> str:
    """The best candidate, unless a simpler one is within the back-tests' own noise of it
    (its mean WAPE exceeds the best one's by less than one standard error of their
    difference over the origins, or by less than ``TOLERANCE``): a method must beat a
    simpler one by more than chance to be chosen."""
    best = min(mean, key=lambda n: (mean[n], complexity(n), n))
    eligible = []
    for name, values in kept.items():
        diff = values - kept[best]
        noise = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else 0.0
        if diff.mean() <= max(noise, TOLERANCE):
            eligible.append(name)
    return min(eligible or [best], key=lambda n: (complexity(n), mean[n], n))


def apply(y, lines, moy, horizon, choices: dict[str, Choice]) -> tuple[np.ndarray, np.ndarray]:
    """(forecast, class per series) of each class's chosen method, trained on ``y``."""
    classes = demand_classes(y)
    forecast = np.zeros((y.shape[0], horizon))
    needed = {}
    for c in CLASSES:
        if c == "none":
            continue
        method = choices[c].method if c in choices else DEFAULT_METHOD
        needed.setdefault(method, []).append(c)
    for method, cs in needed.items():
        rows = np.flatnonzero(np.isin(classes, cs))
        if not len(rows):
            continue
        forecast[rows] = _run(method, y, lines, moy, horizon, rows=rows)[rows]
    return forecast, classes


@dataclass
class Backtest:
    """How the chosen methods did on the last 12 months, trained on what came before."""

    held_out: str = ""  # "2025-11 to 2026-10"
    chosen_on: str = ""  # the windows the methods were chosen on
    figures: dict = field(default_factory=dict)  # level → method → {"wape", "mase"}
    choices: dict = field(default_factory=dict)  # class → {"method", "series", "scores"}
    coverage: dict = field(default_factory=dict)  # level → share of actuals inside the band
    bias: dict = field(default_factory=dict)  # method → its total ÷ the actual total − 1
    note: str = ""
    # Percentile levels (0–1) of a year's errors the bands are read at, per kind (account
    # total, account month, account × line total): the forecast's, and those of the bands
    # the held-out year checked. 0.1 and 0.9 when no earlier year told how errors change.
    levels: dict = field(default_factory=dict)
    levels_checked: dict = field(default_factory=dict)
    bands_set_on: str = ""  # the window whose errors the forecast's bands are read from


@dataclass
class Bands:
    """How far actual sales strayed from the forecast in a year's back-test, as actual ÷
    forecast (at the percentile levels of ``_levels``: the 10th and 90th when errors held
    from one year to the next), per group of accounts by the share of their forecast that
    is bought most months (``edges``): an account of steady lines gets a narrow band, one
    of now-and-then orders a wide one that may reach 0 in a month."""

    edges: list  # steady share where each group after the first starts
    total: list  # per group: (low, high) of an account's total over the horizon
    month: list  # per group: (low, high) of an account's month

    def group(self, steady_share: np.ndarray) -> np.ndarray:
        return np.digitize(steady_share, self.edges)


STEADY = ("smooth", "erratic")  # bought most months
STEADY_EDGES = (0.25, 0.5, 0.75, 0.9)
MIN_BAND = 20  # account totals a group needs for a band of its own


@dataclass
class Result:
    """The territory's forecast: per series the expected cents per month and its band."""

    months: list[datetime.date]
    accounts: np.ndarray
    lines: np.ndarray
    expected: np.ndarray  # [series, horizon]
    classes: np.ndarray
    methods: dict  # class → chosen method name
    ratio_band: tuple[float, float]  # account totals, all groups together
    month_band: tuple[float, float]  # account months, all groups together
    line_band: dict  # class → (low, high) ratio for an account × line total
    backtest: Backtest
    last_month: datetime.date | None
    bands: Bands | None = None
    view: "AccountView | None" = None  # per account, computed once with the forecast
    # Months left out of the history (series.LeftOut): the month under way, and trailing
    # months taken as not loaded yet; the forecast covers them.
    left_out: list = field(default_factory=list)


@dataclass
class AccountView:
    """Per account (sorted ids): its forecast months summed over its lines and its band."""

    ids: np.ndarray
    months: np.ndarray  # [accounts, horizon]
    low: np.ndarray  # totals over the horizon
    high: np.ndarray
    month_low: np.ndarray  # [accounts, horizon]
    month_high: np.ndarray


def account_view(result: Result) -> AccountView:
    """The result's per-account view (computed with the forecast, else now)."""
    if result.view is None:
        result.view = _account_view(result)
    return result.view


def _account_view(result: Result) -> AccountView:
    ids, index = np.unique(result.accounts, return_inverse=True)
    index = index.ravel()
    months = np.zeros((len(ids), result.expected.shape[1]))
    np.add.at(months, index, result.expected)
    steady = np.zeros(len(ids))
    np.add.at(steady, index, result.expected.sum(axis=1) * np.isin(result.classes, STEADY))
    total = months.sum(axis=1)
    share = np.divide(steady, total, out=np.ones(len(ids)), where=total > 0)
    if result.bands is None:
        group_total = np.tile(result.ratio_band, (len(ids), 1))
        group_month = np.tile(result.month_band, (len(ids), 1))
    else:
        group = result.bands.group(share)
        group_total = np.array(result.bands.total)[group].reshape(-1, 2)
        group_month = np.array(result.bands.month)[group].reshape(-1, 2)
    return AccountView(
        ids,
        months,
        total * group_total[:, 0],
        total * group_total[:, 1],
        months * group_month[:, :1],
        months * group_month[:, 1:],
    )


def run(panel: Panel, horizon: int = 12, seed: int = 0) -> Result:
    rng = np.random.default_rng(seed)
    y, lines, moy = panel.values, panel.lines, _moy(panel)
    t = panel.months
    bt = Backtest()
    choices: dict[str, Choice] = {}
    cuts = origins(t)
    if cuts:
        choices = choose(y, lines, panel.accounts, moy, cuts, rng)
        bt.chosen_on = "; ".join(_span(panel, cut, cut + months) for cut, months in cuts)
    elif t > HOLDOUT:
        choices = choose(y, lines, panel.accounts, moy, [(t - HOLDOUT, HOLDOUT)], rng)
        bt.chosen_on = _span(panel, t - HOLDOUT, t)
        bt.note = (
            "Less than 30 months of history: the methods were chosen on the same year "
            "they are checked on, so the back-test flatters them."
        )
    ratio_band, month_band, line_band, bands = (0.5, 1.5), (0.3, 2.0), {}, None
    if t > HOLDOUT:
        ids, index = np.unique(panel.accounts, return_inverse=True)
        index, n_accounts = index.ravel(), len(ids)

        def window(cut, months):
            chosen, classes = apply(y[:, :cut], lines, moy, months, choices)
            return _window(index, n_accounts, y[:, cut : cut + months], chosen, classes)

        # The bands the held-out year checks: read from the most recent choosing window
        # (before the held-out year), at percentile levels learned from how the errors
        # changed from the year before it to it (when the history reaches that far).
        band_cut, band_months = cuts[0] if cuts else (t - HOLDOUT, HOLDOUT)
        before = window(band_cut, band_months)
        yearly = band_months == HOLDOUT
        pairs = []
        if yearly and band_cut - HOLDOUT >= SEASON:
            pairs.append((window(band_cut - HOLDOUT, HOLDOUT), before))
        checked_levels = {kind: _levels(pairs, kind) for kind in KINDS}
        checked_bands = _bands(before, checked_levels)[0]

        cut = t - HOLDOUT
        train, actual = y[:, :cut], y[:, cut:]
        chosen, classes = apply(train, lines, moy, HOLDOUT, choices)
        bt.held_out = _span(panel, cut, t)
        baselines = {
            "chosen": chosen,
            "seasonal_naive": _run("seasonal_naive", train, lines, moy, HOLDOUT),
            "last_year": _run("last_year", train, lines, moy, HOLDOUT),
        }
        acc_actual = _by_account(panel.accounts, actual)
        acc_train = _by_account(panel.accounts, train)
        sold = actual.sum()
        for name, f in baselines.items():
            bt.bias[name] = round(float(f.sum() / sold - 1), 4) if sold > 0 else None
            acc_f = _by_account(panel.accounts, f)
            bt.figures.setdefault("account_line", {})[name] = _scores(train, actual, f)
            bt.figures.setdefault("account", {})[name] = _scores(acc_train, acc_actual, acc_f)
        held = Result([], panel.accounts, lines, chosen, classes, {}, (0, 0), (0, 0), {}, bt, None)
        held.bands = checked_bands
        bt.coverage = _coverage(account_view(held), acc_actual)

        # The forecast's bands, by the same rule a year on: read from the held-out year's
        # errors, at the levels learned from each year to the next up to it.
        last = _window(index, n_accounts, actual, chosen, classes)
        if yearly and band_cut == cut - HOLDOUT:  # not the held-out year itself
            pairs.append((before, last))
        levels = {kind: _levels(pairs, kind) for kind in KINDS}
        bands, ratio_band, month_band, line_band = _bands(last, levels)
        bt.levels = {kind: [round(v, 4) for v in levels[kind]] for kind in KINDS}
        bt.levels_checked = {kind: [round(v, 4) for v in checked_levels[kind]] for kind in KINDS}
        bt.bands_set_on = _span(panel, cut, t)
    else:
        bt.note = "Less than 13 months of history: no back-test; bands are a rough ±50%."
    bt.choices = {c: _choice_dict(ch) for c, ch in choices.items()}
    expected, classes = apply(y, lines, moy, horizon, choices)
    months = [month_add(panel.last, h + 1) for h in range(horizon)] if panel.first else []
    result = Result(
        months=months,
        accounts=panel.accounts,
        lines=lines,
        expected=expected,
        classes=classes,
        methods={c: choices[c].method if c in choices else DEFAULT_METHOD for c in CLASSES},
        ratio_band=ratio_band,
        month_band=month_band,
        line_band={c: b for c, b in line_band.items() if b is not None},
        backtest=bt,
        last_month=panel.last,
        bands=bands,
        left_out=list(panel.left_out),
    )
    account_view(result)
    return result


def first_months(result: Result, horizon: int) -> Result:
    """``result`` cut to its first ``horizon`` months (itself when it has no more): the same
    figures as a run over ``horizon`` months — every method's month ``h`` is the same
    whatever the horizon after it, and the back-test and bands do not depend on it — with
    its per-account view (bands over the shorter total) worked out again."""
    if len(result.months) <= horizon:
        return result
    import dataclasses

    cut = dataclasses.replace(
        result,
        months=result.months[:horizon],
        expected=np.ascontiguousarray(result.expected[:, :horizon]),
        view=None,
    )
    account_view(cut)
    return cut


def _choice_dict(choice: Choice) -> dict:
    """What is kept of a class's choice: the method, the lowest-scoring candidate, and the
    scores of every single method and of the best combinations (not all pairs)."""
    ranked = sorted(choice.scores, key=lambda n: (choice.scores[n], n))
    keep = {n for n in ranked if COMBINED not in n} | set(ranked[:KEPT]) | {choice.method}
    return {
        "method": choice.method,
        "best": ranked[0] if ranked else choice.method,
        "series": choice.series,
        "scores": {n: choice.scores[n] for n in ranked if n in keep},
    }


@dataclass
class _Window:
    """One back-test window: what was sold beside what the chosen methods, trained on the
    months before it, forecast — per account (summed over its lines) and per series."""

    acc_actual: np.ndarray  # [accounts, months]
    acc_chosen: np.ndarray
    group: np.ndarray  # per account: its band group (share of its forecast bought steadily)
    series_actual: np.ndarray  # per series: the window's total
    series_chosen: np.ndarray
    classes: np.ndarray  # per series: its kind of buying before the window


def _window(index, n_accounts, actual, chosen, classes) -> _Window:
    acc_actual = np.zeros((n_accounts, actual.shape[1]))
    acc_chosen = np.zeros_like(acc_actual)
    np.add.at(acc_actual, index, actual)
    np.add.at(acc_chosen, index, chosen)
    series_chosen = chosen.sum(axis=1)
    steady = np.zeros(n_accounts)
    np.add.at(steady, index, series_chosen * np.isin(classes, STEADY))
    total = acc_chosen.sum(axis=1)
    share = np.divide(steady, total, out=np.ones(n_accounts), where=total > 0)
    return _Window(
        acc_actual,
        acc_chosen,
        np.digitize(share, STEADY_EDGES),
        actual.sum(axis=1),
        series_chosen,
        classes,
    )


# What a band is set on, per kind: an account's total over the window, an account's month,
# a series' total (account × line). Each: (actual, forecast, group) of every item, and the
# groups whose items share a band.
KINDS = ("account", "account_month", "line")


def _items(w: _Window, kind: str):
    if kind == "account":
        return w.acc_actual.sum(axis=1), w.acc_chosen.sum(axis=1), w.group
    if kind == "account_month":
        months = w.acc_actual.shape[1]
        return w.acc_actual.ravel(), w.acc_chosen.ravel(), np.repeat(w.group, months)
    return w.series_actual, w.series_chosen, w.classes


def _ratios(actual, forecast):
    """The sorted actual ÷ forecast of the items with a forecast (None: fewer than 5)."""
    keep = forecast >= 0.5  # half a cent: a forecast of nothing has no ratio
    if keep.sum() < 5:
        return None
    ratio = actual[keep] / forecast[keep]
    return np.sort(ratio) if np.isfinite(ratio).all() else None


def _references(w: _Window, kind: str) -> tuple[dict, np.ndarray | None]:
    """(group → the sorted ratios its band is read from, the whole window's ratios).

    Account groups with fewer than ``MIN_BAND`` accounts with a forecast borrow their
    neighbours' (the nearest first), else take the whole window's; a kind of buying (the
    line kind) with fewer than 5 series with a forecast has no band of its own."""
    actual, forecast, group = _items(w, kind)
    every = _ratios(actual, forecast)
    if kind == "line":
        return {c: _ratios(actual[group == c], forecast[group == c]) for c in CLASSES}, every
    total = w.acc_chosen.sum(axis=1)
    months = 1 if kind == "account" else w.acc_actual.shape[1]
    out = {}
    for g in range(len(STEADY_EDGES) + 1):
        width = 0
        rows = w.group == g
        while (total[rows] > 0).sum() < MIN_BAND and width < len(STEADY_EDGES):
            width += 1
            rows = np.abs(w.group - g) <= width
        if (total[rows] > 0).sum() < MIN_BAND:
            out[g] = every
        else:
            items = np.repeat(rows, months)
            out[g] = _ratios(actual[items], forecast[items])
    return out, every


def _positions(ref: np.ndarray, ratio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each ratio lies among the sorted reference ratios, as a percentile level
    (0–1, on the scale ``np.percentile`` interpolates): (the highest level whose
    percentile is still at most the ratio, the lowest level whose percentile reaches it).
    A band's low edge at level p leaves the ratio out when the first is below p; its high
    edge at level p when the second is above p. −1 and 2: beyond the lowest and highest."""
    n = len(ref)
    if n == 1:
        return (np.where(ratio >= ref[0], 1.0, -1.0), np.where(ratio <= ref[0], 0.0, 2.0))

    def level(k, r):  # between reference k and k + 1
        k = np.clip(k, 0, n - 2)
        gap = ref[k + 1] - ref[k]
        step = np.divide(r - ref[k], gap, out=np.zeros(len(r)), where=gap > 0)
        return (k + np.clip(step, 0.0, 1.0)) / (n - 1)

    below = np.searchsorted(ref, ratio, side="right") - 1  # last reference ≤ ratio
    low_side = np.where(below < 0, -1.0, np.where(below >= n - 1, 1.0, level(below, ratio)))
    above = np.searchsorted(ref, ratio, side="left")  # first reference ≥ ratio
    high_side = np.where(above >= n, 2.0, np.where(above <= 0, 0.0, level(above - 1, ratio)))
    return low_side, high_side


def _levels(pairs: list[tuple[_Window, _Window]], kind: str) -> tuple[float, float]:
    """The percentile levels of a window's errors at which the band, read from that
    window, held 8 in 10 of the next year's items in the pairs (earlier window, the
    window a year later) — quantile recalibration on rolling origins, in the spirit of
    conformal prediction: when errors widen from one year to the next, the band is read
    further out. Without a pair: the 10th and 90th percentiles."""
    nominal = (LOW_Q / 100, HIGH_Q / 100)
    low_sides, high_sides = [], []
    for earlier, later in pairs:
        refs, every = _references(earlier, kind)
        actual, forecast, group = _items(later, kind)
        counted = (forecast > 0) | (actual > 0)
        for g in np.unique(group[counted]):
            ref = refs.get(g) if kind == "line" else refs[g]
            ref = every if ref is None and kind != "line" else ref
            if ref is None:
                continue
            rows = counted & (group == g)
            a, f = actual[rows], forecast[rows]
            has = f >= 0.5
            low_side, high_side = _positions(ref, a[has] / f[has])
            # No forecast: a sale is beyond any band (whose edges are 0), nothing is inside.
            sold = a[~has] > 0.5
            low_sides += [low_side, np.where(sold, 2.0, 0.5)]
            high_sides += [high_side, np.where(sold, 2.0, 0.5)]
    if not low_sides:
        return nominal
    low_side, high_side = np.concatenate(low_sides), np.concatenate(high_sides)
    if len(low_side) < MIN_BAND:
        return nominal
    # Symmetric: an item is inside the band read at levels (a, 1 − a) when a is at most
    # the smaller of its distances to either end; 8 in 10 items inside sets a. (Which side
    # the next year strays to changes from year to year; how far it strays holds better.)
    margin = np.minimum(low_side, 1.0 - high_side)
    low = float(np.clip(np.percentile(margin, 100 - (HIGH_Q - LOW_Q)), 0.0, 0.5))
    return low, 1.0 - low


def _read(ref, levels, default):
    """The band (low, high ratio) at the percentile ``levels`` of the sorted ratios ``ref``;
    the low at most 1, the high at least 1 (the forecast itself is always inside)."""
    if ref is None:
        return default
    low, high = np.percentile(ref, [100 * levels[0], 100 * levels[1]])
    return (float(max(0.0, min(low, 1.0))), float(max(high, 1.0)))


def _bands(w: _Window, levels: dict) -> tuple["Bands", tuple, tuple, dict]:
    """(Bands per group of accounts, the band of all account totals, of all account months,
    the band of an account × line total per kind of buying) read from one window's errors
    at the percentile ``levels`` of each kind."""
    refs, every = _references(w, "account")
    all_total = _read(every, levels["account"], (0.5, 1.5))
    per_total = [_read(refs[g], levels["account"], all_total) for g in sorted(refs)]
    refs, every = _references(w, "account_month")
    all_month = _read(every, levels["account_month"], (0.3, 2.0))
    per_month = [_read(refs[g], levels["account_month"], all_month) for g in sorted(refs)]
    refs, _every = _references(w, "line")
    line_band = {c: _read(r, levels["line"], None) for c, r in refs.items() if r is not None}
    bands = Bands([float(e) for e in STEADY_EDGES], per_total, per_month)
    return bands, all_total, all_month, line_band


def _coverage(view: AccountView, acc_actual: np.ndarray) -> dict:
    """Share of the held-out account totals and account months inside their band."""
    total = acc_actual.sum(axis=1)
    counted = (view.months.sum(axis=1) > 0) | (total > 0)
    inside = (view.low <= total + 0.5) & (total <= view.high + 0.5)
    months_counted = (view.months > 0) | (acc_actual > 0)
    months_inside = (view.month_low <= acc_actual + 0.5) & (acc_actual <= view.month_high + 0.5)
    return {
        "account": round(float(inside[counted].mean()), 4) if counted.any() else None,
        "account_month": (
            round(float(months_inside[months_counted].mean()), 4) if months_counted.any() else None
        ),
    }


def _scores(train, actual, forecast):
    w, m = wape(actual, forecast), mase(train, actual, forecast)
    return {
        "wape": None if w is None else round(w, 4),
        "mase": None if m is None else round(m, 4),
    }


def _span(panel: Panel, start: int, end: int) -> str:
    return f"{month_add(panel.first, start):%Y-%m} to {month_add(panel.first, end - 1):%Y-%m}"

"""Choosing the method by back-test, and the forecast it makes.

1. Each account × line series gets a *demand class* from its history since its first
   sale (Syntetos–Boylan): **smooth** (bought most months, steady amounts), **erratic**
   (most months, amounts that swing), **intermittent** (now and then, steady amounts),
   **lumpy** (now and then, amounts that swing), **new** (first bought in the last 12
   months) or **none** (nothing bought: forecast 0).
2. **Choosing**: every candidate forecasts the 12 months before the last 12 from what
   came before them; per class, the one with the lowest WAPE wins (methods fitted per
   series are tried on a sample of up to ``SAMPLE`` series of the class).
3. **Back-test**: the chosen method of each class, trained on everything before the last
   12 months, forecasts them; WAPE and MASE at account × line and account level beside
   the same month last year and last year's average. The choice was made on the year
   before, so the back-test does not flatter it.
4. **Bands**: the spread of actual ÷ forecast over the back-test year (10th and 90th
   percentiles): 8 in 10 accounts landed inside their band.
5. **Forecast**: the chosen methods trained on the whole history.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np

from keyplan.forecast.methods import METHODS, PER_SERIES_CLASSES, SEASON
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
DEFAULT_METHOD = "pooled"  # when there is too little history to choose


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
    """Method ``name``'s forecast; per-series methods only for ``rows`` (others 0)."""
    _label, fn, per_series = METHODS[name]
    if per_series and rows is not None:
        out = np.zeros((y.shape[0], horizon))
        if len(rows):
            out[rows] = fn(y[rows], lines[rows], moy, horizon)
        return out
    return fn(y, lines, moy, horizon)


@dataclass
class Choice:
    method: str
    series: int  # how many series of the class at the choosing cut
    scores: dict[str, float] = field(default_factory=dict)  # WAPE per candidate


def choose(y, lines, moy, cut: int, rng) -> dict[str, Choice]:
    """Per class, the candidate with the lowest WAPE forecasting months [cut, cut+12)
    from the months before ``cut``."""
    train, actual = y[:, :cut], y[:, cut : cut + HOLDOUT]
    classes = demand_classes(train)
    horizon = actual.shape[1]
    sample = {}
    for c in CLASSES:
        rows = np.flatnonzero(classes == c)
        if len(rows) > SAMPLE:
            rows = np.sort(rng.choice(rows, SAMPLE, replace=False))
        sample[c] = rows
    per_series_rows = np.concatenate(
        [sample[c] for c in PER_SERIES_CLASSES if c in sample] or [np.zeros(0, int)]
    )
    forecasts = {
        name: _run(name, train, lines, moy, horizon, rows=per_series_rows) for name in METHODS
    }
    choices = {}
    for c in CLASSES:
        rows_all = np.flatnonzero(classes == c)
        if c == "none" or not len(rows_all):
            continue
        candidates = [
            name for name, (_l, _f, per) in METHODS.items() if not per or c in PER_SERIES_CLASSES
        ]
        scores = {}
        for name in candidates:
            rows = sample[c] if METHODS[name][2] else rows_all
            score = wape(actual[rows], forecasts[name][rows])
            if score is not None:
                scores[name] = round(score, 4)
        if scores:
            # Methods tried on a sample are compared with the others on the same sample.
            if any(METHODS[n][2] for n in scores):
                rows = sample[c]
                scores = {
                    n: round(s, 4)
                    for n in scores
                    if (s := wape(actual[rows], forecasts[n][rows])) is not None
                }
            best = min(scores, key=lambda n: (scores[n], n))
            choices[c] = Choice(best, len(rows_all), scores)
    return choices


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
    chosen_on: str = ""  # the year the methods were chosen on
    figures: dict = field(default_factory=dict)  # level → method → {"wape", "mase"}
    choices: dict = field(default_factory=dict)  # class → {"method", "series", "scores"}
    note: str = ""


@dataclass
class Result:
    """The territory's forecast: per series the expected cents per month and its band."""

    months: list[datetime.date]
    accounts: np.ndarray
    lines: np.ndarray
    expected: np.ndarray  # [series, horizon]
    classes: np.ndarray
    methods: dict  # class → chosen method name
    ratio_band: tuple[float, float]  # account totals: actual ÷ forecast, 10th/90th pct
    month_band: tuple[float, float]  # account months
    line_band: dict  # class → (low, high) ratio for an account × line total
    backtest: Backtest
    last_month: datetime.date | None


def run(panel: Panel, horizon: int = 12, seed: int = 0) -> Result:
    rng = np.random.default_rng(seed)
    y, lines, moy = panel.values, panel.lines, _moy(panel)
    t = panel.months
    bt = Backtest()
    choices: dict[str, Choice] = {}
    if t >= 2 * HOLDOUT + SEASON:
        choices = choose(y, lines, moy, t - 2 * HOLDOUT, rng)
        bt.chosen_on = _span(panel, t - 2 * HOLDOUT, t - HOLDOUT)
    elif t > HOLDOUT:
        choices = choose(y, lines, moy, t - HOLDOUT, rng)
        bt.chosen_on = _span(panel, t - HOLDOUT, t)
        bt.note = (
            "Less than three years of history: the methods were chosen on the same year "
            "they are checked on, so the back-test flatters them."
        )
    ratio_band, month_band, line_band = (0.5, 1.5), (0.3, 2.0), {}
    if t > HOLDOUT:
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
        for name, f in baselines.items():
            acc_f = _by_account(panel.accounts, f)
            bt.figures.setdefault("account_line", {})[name] = _scores(train, actual, f)
            bt.figures.setdefault("account", {})[name] = _scores(acc_train, acc_actual, acc_f)
        acc_chosen = _by_account(panel.accounts, chosen)
        ratio_band = _band(acc_actual.sum(axis=1), acc_chosen.sum(axis=1), ratio_band)
        month_band = _band(acc_actual.ravel(), acc_chosen.ravel(), month_band)
        for c in CLASSES:
            rows = classes == c
            if rows.any():
                line_band[c] = _band(actual[rows].sum(axis=1), chosen[rows].sum(axis=1), None)
    else:
        bt.note = "Less than 13 months of history: no back-test; bands are a rough ±50%."
    bt.choices = {
        c: {"method": ch.method, "series": ch.series, "scores": ch.scores}
        for c, ch in choices.items()
    }
    expected, classes = apply(y, lines, moy, horizon, choices)
    months = [month_add(panel.last, h + 1) for h in range(horizon)] if panel.first else []
    return Result(
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
    )


def _scores(train, actual, forecast):
    w, m = wape(actual, forecast), mase(train, actual, forecast)
    return {
        "wape": None if w is None else round(w, 4),
        "mase": None if m is None else round(m, 4),
    }


def _band(actual, forecast, default):
    keep = forecast > 0
    if keep.sum() < 5:
        return default
    ratio = actual[keep] / forecast[keep]
    low, high = np.percentile(ratio, [LOW_Q, HIGH_Q])
    return (float(max(0.0, min(low, 1.0))), float(max(high, 1.0)))


def _span(panel: Panel, start: int, end: int) -> str:
    return f"{month_add(panel.first, start):%Y-%m} to {month_add(panel.first, end - 1):%Y-%m}"

"""The candidate forecasting methods, each ``(history, lines, month_of_year, horizon) →
forecast``: ``history`` is a ``[series, months]`` matrix of cents, the result a
``[series, horizon]`` matrix of expected cents per month (never negative).

* **Same month last year** (seasonal naive) and **last year's average** — the baselines
  every analyst checks first.
* **Pooled** — the account's own level over its last year, the line's season across the
  whole territory, and a growth that is the account's own when it has two years of
  history, leaning on the line's territory growth when it has less (shrinkage): a
  sparse account borrows strength from its peers.
* **Line total by ETS / by Theta** — statsforecast's AutoETS and OptimizedTheta fitted
  on each line's territory total (where the season and trend are clear), handed down to
  each account by its share of the line's last year (top-down).
* **Croston (SBA), ADIDA, IMAPA** — statsforecast's methods for series bought now and
  then, fitted per series from its first sale.
"""

import numpy as np

SEASON = 12
SHRINK_MONTHS = 24  # months of one's own history that weigh as much as the line's growth
NEW_MONTHS = 6  # a line bought for fewer months is judged as if over this many


def _clip(forecast: np.ndarray) -> np.ndarray:
    return np.nan_to_num(np.maximum(forecast, 0.0), nan=0.0, posinf=0.0)


def seasonal_naive(y, lines, moy, horizon):
    n, t = y.shape
    if t < SEASON:
        return last_year_average(y, lines, moy, horizon)
    cols = [t - SEASON + (h % SEASON) for h in range(horizon)]
    return _clip(y[:, cols])


def last_year_average(y, lines, moy, horizon):
    n, t = y.shape
    level = y[:, max(0, t - SEASON) :].mean(axis=1) if t else np.zeros(n)
    return _clip(np.repeat(level[:, None], horizon, axis=1))


def line_season(y, lines, moy) -> dict[int, np.ndarray]:
    """Each line's seasonal index (12 values, mean 1) from its territory total: each
    month against the average of its year, averaged over the years there are."""
    t = y.shape[1]
    result = {}
    for line in np.unique(lines):
        total = y[lines == line].sum(axis=0)
        index = np.ones(SEASON)
        years = t // SEASON
        if years:
            ratios = np.zeros(SEASON)
            for k in range(years):
                block = total[t - (k + 1) * SEASON : t - k * SEASON]
                mean = block.mean()
                if mean > 0:
                    ratios += block / mean
            for j in range(SEASON):
                col = t - SEASON + j
                index[moy(col) - 1] = ratios[j] / years if ratios.any() else 1.0
            index = np.where(index > 0, index, 0.05)
            index = index / index.mean()
        result[int(line)] = index
    return result


def _growth(y, robust=False):
    """Yearly growth: last 12 months against the 12 before (NaN where not known); by
    their medians when ``robust`` (one account's one big order is not a trend)."""
    t = y.shape[1]
    if t < 2 * SEASON:
        return np.full(y.shape[0], np.nan)
    measure = np.median if robust else np.sum
    last = measure(y[:, t - SEASON :], axis=1)
    before = measure(y[:, t - 2 * SEASON : t - SEASON], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(before > 0, last / before - 1, np.nan)
    return np.clip(growth, -0.5, 1.0)


def pooled(y, lines, moy, horizon):
    n, t = y.shape
    if not t:
        return np.zeros((n, horizon))
    season = line_season(y, lines, moy)
    s_hist = np.vstack([season[int(line)] for line in lines]) if n else np.zeros((0, SEASON))
    recent = range(max(0, t - SEASON), t)
    moy_recent = np.array([moy(c) - 1 for c in recent], dtype=int)
    bought = y > 0
    first_sale = np.where(bought.any(axis=1), bought.argmax(axis=1), t)
    # Own level, deseasonalised, over the last year's months since the first sale (a
    # line started two months ago is judged on those two months, not on ten empty ones).
    since = np.array(list(recent))[None, :] >= first_sale[:, None]
    weights = s_hist[:, moy_recent] * since
    # A line bought for only a few months is judged over at least NEW_MONTHS (its first
    # order is often a one-off set-up, not a monthly run rate).
    short = np.clip(NEW_MONTHS - since.sum(axis=1), 0, None)
    level = np.divide(
        (y[:, t - len(moy_recent) :] * since).sum(axis=1),
        weights.sum(axis=1) + short,
        out=np.zeros(n),
        where=weights.sum(axis=1) > 0,
    )
    # Growth is judged on series bought through the whole year before the last (a line
    # started mid-year would look like it doubled); the line's growth over those series
    # is what every account leans on, a newcomer entirely.
    established = first_sale <= t - 2 * SEASON
    own = np.where(established, _growth(y, robust=True), np.nan)
    territory = {}
    for line in np.unique(lines):
        rows = (lines == line) & established
        g = _growth(y[rows].sum(axis=0, keepdims=True))[0] if rows.any() else np.nan
        territory[int(line)] = 0.0 if np.isnan(g) else float(g)
    line_growth = np.array([territory[int(line)] for line in lines])
    # Months bought in the year before the last: how much the account's own growth says.
    history = (y[:, max(0, t - 2 * SEASON) : max(0, t - SEASON)] > 0).sum(axis=1).astype(float)
    weight = np.where(np.isnan(own), 0.0, history / (history + SHRINK_MONTHS))
    growth = weight * np.nan_to_num(own) + (1 - weight) * line_growth
    forecast = np.empty((n, horizon))
    for h in range(horizon):
        # The level is the middle of the last year: month t + h is (h + 6.5) months on.
        forecast[:, h] = (
            level * s_hist[:, moy(t + h) - 1] * (1 + growth) ** ((h + SEASON / 2 + 0.5) / SEASON)
        )
    return _clip(forecast)


def _top_down(model_factory):
    def method(y, lines, moy, horizon):
        n, t = y.shape
        share_basis = y[:, max(0, t - SEASON) :].sum(axis=1).clip(min=0)
        forecast = np.zeros((n, horizon))
        for line in np.unique(lines):
            rows = lines == line
            total = y[rows].sum(axis=0)
            line_forecast = _fit(model_factory, total, horizon)
            basis = share_basis[rows]
            if basis.sum() > 0:
                forecast[rows] = np.outer(basis / basis.sum(), line_forecast)
        return _clip(forecast)

    return method


def _fit(model_factory, series, horizon):
    """A statsforecast model's mean forecast; its own fallback when the series is too
    short for it or the fit fails (the last year's average)."""
    series = np.asarray(series, dtype=np.float64)
    if len(series) >= 2 and series.any():
        try:
            mean = model_factory(len(series)).forecast(y=series, h=horizon)["mean"]
            if np.isfinite(mean).all():
                return np.maximum(mean, 0.0)
        except Exception:  # noqa: BLE001 — a model that cannot fit a series is skipped
            pass
    return np.repeat(series[-SEASON:].mean() if len(series) else 0.0, horizon)


def _ets(length):
    from statsforecast.models import AutoETS

    return AutoETS(season_length=SEASON if length >= 2 * SEASON else 1)


def _theta(length):
    from statsforecast.models import OptimizedTheta

    return OptimizedTheta(season_length=SEASON if length >= 2 * SEASON else 1)


def _per_series(model_factory):
    def method(y, lines, moy, horizon):
        n, t = y.shape
        forecast = np.zeros((n, horizon))
        bought = y > 0
        first_sale = np.where(bought.any(axis=1), bought.argmax(axis=1), t)
        for i in np.flatnonzero(first_sale < t):
            forecast[i] = _fit(model_factory, y[i, first_sale[i] :], horizon)
        return _clip(forecast)

    return method


def _croston(length):
    from statsforecast.models import CrostonSBA

    return CrostonSBA()


def _adida(length):
    from statsforecast.models import ADIDA

    return ADIDA()


def _imapa(length):
    from statsforecast.models import IMAPA

    return IMAPA()


# name → (label in words, function, fitted per series: costly, tried on a sample)
METHODS = {
    "seasonal_naive": ("same month last year", seasonal_naive, False),
    "last_year": ("last year's monthly average", last_year_average, False),
    "pooled": ("own level × the line's season and growth (pooled)", pooled, False),
    "line_ets": ("line total by ETS, shared out by last year's spend", _top_down(_ets), False),
    "line_theta": (
        "line total by Theta, shared out by last year's spend",
        _top_down(_theta),
        False,
    ),
    "croston_sba": ("Croston (SBA) for now-and-then buying", _per_series(_croston), True),
    "adida": ("ADIDA for now-and-then buying", _per_series(_adida), True),
    "imapa": ("IMAPA for now-and-then buying", _per_series(_imapa), True),
}
PER_SERIES_CLASSES = ("intermittent", "lumpy", "erratic", "new")

"""The candidate forecasting methods, each ``(history, lines, month_of_year, horizon) →
forecast``: ``history`` is a ``[series, months]`` matrix of cents, the result a
``[series, horizon]`` matrix of expected cents per month (never negative).

* **Same month last year** (seasonal naive) and **last year's average** — the baselines
  every analyst checks first.
* **Two years' average** — the monthly average of the last 24 months (of the months
  since the first sale, judged over at least ``NEW_MONTHS``): one big order weighs half
  as much as in last year's average.
* **Last year's average × the line's season**, **two years' average × the line's
  season** — each level spread over the year by the
  line's season across the territory, each account's months capped at a few times its
  typical month first, so one account's one big order does not make a season.
* **Pooled** — the account's own level over its last year, the line's season across the
  whole territory, and a growth that is the account's own when it has two years of
  history, leaning on the line's territory growth when it has less (shrinkage): a
  sparse account borrows strength from its peers.
* **Line total by ETS / by Theta** — statsforecast's AutoETS and OptimizedTheta fitted
  on each line's territory total with the line's season taken out (where the trend is
  clear), the season put back, handed down to each account by its share of the line's
  last year (top-down).
* **Croston (SBA), ADIDA, IMAPA** — statsforecast's methods for series bought now and
  then, fitted per series from its first sale.
"""

import warnings

import numpy as np

SEASON = 12
SHRINK_MONTHS = 24  # months of one's own history that weigh as much as the line's growth
GROWTH_CAP = 0.5  # a yearly growth is taken as at most ±50%
DAMPING = 0.5  # share of the growth carried into the forecast (a damped trend)
SEASON_PURCHASES = 50  # purchases per calendar month that make a season half believed
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


def _since_first_sale(y, months):
    """Per series: the monthly average of the last ``months`` months, counting only the
    months since its first sale (at least ``NEW_MONTHS`` of them)."""
    n, t = y.shape
    if not t:
        return np.zeros(n)
    window = min(months, t)
    bought = y > 0
    first = np.where(bought.any(axis=1), bought.argmax(axis=1), t)
    active = t - np.maximum(first, t - window)
    denominator = np.maximum(active, min(NEW_MONTHS, window)).clip(min=1)
    return y[:, t - window :].sum(axis=1) / denominator


def two_year_average(y, lines, moy, horizon):
    level = _since_first_sale(y, 2 * SEASON)
    return _clip(np.repeat(level[:, None], horizon, axis=1))


CAP = 3.0  # a month above this many times the series' median month counts as this much


def _capped(y):
    """Each series' months capped at ``CAP`` × its median month with a sale."""
    if not y.size:
        return y
    positive = np.where(y > 0, y, np.nan)
    with warnings.catch_warnings():  # a series with no sale has no median month: 0
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nan_to_num(np.nanmedian(positive, axis=1))
    return np.minimum(y, CAP * median[:, None])


def seasonal_two_year(y, lines, moy, horizon):
    return _seasonal(y, lines, moy, horizon, _since_first_sale(y, 2 * SEASON))


def seasonal_last_year(y, lines, moy, horizon):
    t = y.shape[1]
    return _seasonal(y, lines, moy, horizon, y[:, max(0, t - SEASON) :].mean(axis=1) if t else 0)


def _seasonal(y, lines, moy, horizon, level):
    """``level`` (per series, a month's average) spread over the months ahead by the
    line's season across the territory (from capped months)."""
    n, t = y.shape
    if not t:
        return np.zeros((n, horizon))
    season = line_season(_capped(y), lines, moy)
    s = np.vstack([season[int(line)] for line in lines]) if n else np.zeros((0, SEASON))
    columns = [moy(t + h) - 1 for h in range(horizon)]
    return _clip(level[:, None] * s[:, columns])


def line_season(y, lines, moy) -> dict[int, np.ndarray]:
    """Each line's seasonal index (12 values, mean 1) from its territory total: each
    month against the average of its year, averaged over the years there are, and
    shrunk toward a flat year as far as the purchases behind it are few (a line bought
    by a few dozen accounts now and then has a season that is mostly chance)."""
    t = y.shape[1]
    result = {}
    for line in np.unique(lines):
        rows = y[lines == line]
        total = rows.sum(axis=0)
        # Purchases behind each calendar month's figure.
        purchases = (rows[:, max(0, t - (t // SEASON) * SEASON) :] > 0).sum() / SEASON
        weight = purchases / (purchases + SEASON_PURCHASES)
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
            index = 1 + weight * (index - 1)
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
    return np.clip(growth, -GROWTH_CAP, GROWTH_CAP)


def pooled(y, lines, moy, horizon):
    n, t = y.shape
    if not t:
        return np.zeros((n, horizon))
    season = line_season(_capped(y), lines, moy)
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
        years = DAMPING * (h + SEASON / 2 + 0.5) / SEASON
        forecast[:, h] = level * s_hist[:, moy(t + h) - 1] * (1 + growth) ** years
    return _clip(forecast)


def _top_down(model_factory):
    def method(y, lines, moy, horizon):
        n, t = y.shape
        share_basis = y[:, max(0, t - SEASON) :].sum(axis=1).clip(min=0)
        forecast = np.zeros((n, horizon))
        if not t:
            return forecast
        # The line total is fitted without its season (the line's shrunk seasonal index,
        # as for the other methods) and the season put back on the forecast: the same
        # model whether the history holds one year or four.
        season = line_season(_capped(y), lines, moy)
        past = np.array([moy(c) - 1 for c in range(t)])
        ahead = np.array([moy(t + h) - 1 for h in range(horizon)])
        for line in np.unique(lines):
            rows = lines == line
            s = season[int(line)]
            total = y[rows].sum(axis=0) / s[past]
            line_forecast = _fit(model_factory, total, horizon) * s[ahead]
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

    return AutoETS(season_length=1, damped=None)


def _theta(length):
    from statsforecast.models import OptimizedTheta

    return OptimizedTheta(season_length=1)


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
    "last_year_season": (
        "last year's average × the line's season",
        seasonal_last_year,
        False,
    ),
    "two_years": ("the last two years' monthly average", two_year_average, False),
    "two_years_season": (
        "the last two years' average × the line's season",
        seasonal_two_year,
        False,
    ),
    "pooled": ("own level × the line's season and growth (pooled)", pooled, False),
    "line_ets": (
        "the line's territory trend (exponential smoothing, ETS), shared out by last year's spend",
        _top_down(_ets),
        False,
    ),
    "line_theta": (
        "the line's territory trend (Theta), shared out by last year's spend",
        _top_down(_theta),
        False,
    ),
    "croston_sba": (
        "typical order ÷ typical gap between orders (Croston)",
        _per_series(_croston),
        True,
    ),
    "adida": (
        "orders added up over the usual gap between them, spread evenly (ADIDA)",
        _per_series(_adida),
        True,
    ),
    "imapa": (
        "orders added up over several gap lengths, averaged (IMAPA)",
        _per_series(_imapa),
        True,
    ),
}
PER_SERIES_CLASSES = ("intermittent", "lumpy", "erratic", "new")

COMBINED = "+"  # "two_years+seasonal_naive": the mean of the two methods' forecasts


def parts(name: str) -> list[str]:
    """The methods a (possibly combined) method name stands for."""
    return name.split(COMBINED)


def label(name: str) -> str:
    """A method, or a combination of methods, in words."""
    words = [METHODS[part][0] for part in parts(name) if part in METHODS]
    if len(words) > 1:
        return "the mean of " + " and ".join(f"“{w}”" for w in words)
    return words[0] if words else name


def per_series(name: str) -> bool:
    return any(METHODS[part][2] for part in parts(name))


# How much a method assumes beyond last year's numbers: between methods within the
# back-tests' noise of each other, the simpler is chosen.
COMPLEXITY = {
    "last_year": 0,
    "seasonal_naive": 0,
    "last_year_season": 1,
    "two_years": 1,
    "two_years_season": 1,
    "pooled": 2,
}


def complexity(name: str) -> int:
    names = parts(name)
    return sum(COMPLEXITY.get(n, 3) for n in names) + len(names) - 1

"""The forecast's low–high band says eight accounts in ten land inside it, and it must
hold that out of time: bands read from one year's errors are checked on the next year,
whose errors may be wider. keyplan learns on rolling origins how far out a year's errors
had to be read to hold 8 in 10 of the next year's, and reads the band there."""

import datetime

import numpy as np
import pytest

from keyplan.forecast import engine
from keyplan.forecast.series import Panel


def _window(rng, accounts, spread, sold_without_forecast=0):
    """A year's back-test: every account forecast 1,200 (100 a month), actual = forecast
    × e^(spread × normal noise); the last ``sold_without_forecast`` accounts had no
    forecast and bought."""
    chosen = np.full((accounts, 12), 100.0)
    actual = chosen * np.exp(spread * rng.standard_normal(accounts))[:, None]
    if sold_without_forecast:
        chosen[-sold_without_forecast:] = 0.0
    index = np.arange(accounts)
    classes = np.full(accounts, "smooth", dtype=object)
    return engine._window(index, accounts, actual, chosen, classes)


def _inside(band_from, levels, target) -> float:
    bands = engine._bands(band_from, levels)[0]
    total = target.acc_chosen.sum(axis=1)
    actual = target.acc_actual.sum(axis=1)
    low, high = np.array(bands.total)[bands.group(np.ones(len(total)))].T
    counted = (total > 0) | (actual > 0)
    inside = (total * low <= actual + 0.5) & (actual <= total * high + 0.5)
    return float(inside[counted].mean())


def test_when_errors_widen_the_band_is_read_further_out_and_holds_8_in_10():
    rng = np.random.default_rng(4)
    earlier, later = _window(rng, 4000, 0.2), _window(rng, 4000, 0.3)
    nominal = {kind: (0.1, 0.9) for kind in engine.KINDS}
    assert _inside(earlier, nominal, later) < 0.72  # the 10th–90th of a calmer year
    levels = {kind: engine._levels([(earlier, later)], kind) for kind in engine.KINDS}
    low, high = levels["account"]
    assert low < 0.06 and high > 0.94
    assert abs(_inside(earlier, levels, later) - 0.8) <= 0.01


def test_when_errors_hold_the_levels_stay_near_the_10th_and_90th():
    rng = np.random.default_rng(5)
    earlier, later = _window(rng, 4000, 0.25), _window(rng, 4000, 0.25)
    low, high = engine._levels([(earlier, later)], "account")
    assert abs(low - 0.1) < 0.025 and abs(high - 0.9) < 0.025


def test_accounts_that_bought_without_a_forecast_count_as_misses_the_others_make_up():
    rng = np.random.default_rng(6)
    earlier = _window(rng, 4000, 0.25)
    later = _window(rng, 4000, 0.25, sold_without_forecast=200)  # 5% beyond any band
    levels = {kind: engine._levels([(earlier, later)], kind) for kind in engine.KINDS}
    assert abs(_inside(earlier, levels, later) - 0.8) <= 0.01
    low, high = levels["account"]
    assert low < 0.09 and high > 0.91  # the others' band reaches further out


def test_without_an_earlier_year_the_levels_are_the_10th_and_90th():
    assert engine._levels([], "account") == (0.1, 0.9)


SEASON = np.array([0.8, 0.85, 1.0, 0.9, 0.95, 1.05, 0.85, 0.8, 1.05, 1.1, 1.2, 1.45])


def territory(seed, accounts=2000, months=48, first_spread=0.15, widening=1.3):
    """Each account buys one line every month: its season × its level × ±10% noise. Its
    level moves once a year by e^(spread × normal noise), the spread of year k being
    ``first_spread`` × ``widening``^k — a territory whose accounts grow more volatile
    each year, by a known amount (1: every year alike)."""
    rng = np.random.default_rng(seed)
    first = datetime.date(2022, 11, 1)
    moy = np.array([(first.month - 1 + m) % 12 for m in range(months)])
    years = months // 12
    spreads = first_spread * widening ** np.arange(years)
    shocks = np.exp(spreads * rng.standard_normal((accounts, years)))
    level = rng.lognormal(8, 1, accounts)[:, None] * np.cumprod(shocks, axis=1)
    values = np.repeat(level, 12, axis=1)[:, :months] * SEASON[moy]
    values *= rng.uniform(0.9, 1.1, values.shape)
    ids = np.arange(1, accounts + 1, dtype=np.int64)
    return Panel(ids, np.ones(accounts, np.int64), values, first)


@pytest.mark.parametrize("widening", [1.3, 1.0])
def test_held_out_account_totals_land_inside_their_band_8_times_in_10(widening):
    result = engine.run(territory(seed=11, widening=widening))
    coverage = result.backtest.coverage["account"]
    assert abs(coverage - 0.8) <= 0.04, coverage
    low, high = result.backtest.levels_checked["account"]
    if widening > 1:  # read further out than the 10th and 90th
        assert low < 0.07 and high > 0.93
    else:
        assert 0.07 <= low <= 0.13 and 0.87 <= high <= 0.93


def test_the_page_and_the_command_say_how_the_bands_were_read():
    from keyplan.forecast.selectors import band_sentences

    backtest = {
        "coverage": {"account": 0.8002, "account_month": 0.8183},
        "band_levels_checked": {"account": [0.0755, 0.9245]},
        "band_levels": {"account": [0.0756, 0.9244]},
        "bands_set_on": "2025-11 to 2026-10",
    }
    text = band_sentences(backtest)
    assert text.startswith("Bands: 80% of the accounts' actual totals and 82% of their actual")
    assert "read from the errors of the year before, at its 8th and 92nd percentiles" in text
    assert "from the errors of 2025-11 to 2026-10, at its 8th and 92nd percentiles" in text
    # Too short a history to learn from an earlier pair of years: said so.
    backtest["band_levels_checked"] = {"account": [0.1, 0.9]}
    assert "10th and 90th percentiles (no earlier year to learn from)" in band_sentences(backtest)
    # A run recorded before the levels were kept: the figures without the levels.
    old = {"coverage": backtest["coverage"]}
    assert band_sentences(old).endswith("the bands were set on the window before that year.")
    assert band_sentences({"coverage": {}}) == ""

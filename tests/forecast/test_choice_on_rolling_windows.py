"""Choosing the method on several windows before the held-out year, and bands that say
something: on a territory with a known structure (a steady seasonal line with growth, a
line bought now and then), the chosen forecast is at least as good as the best of the two
baselines a sales-ops lead would quote and clearly better than the same month last year;
what happens in the held-out year cannot change the choice; a steady account's band
never reaches 0 in a month, and about 8 in 10 held-out account totals land inside."""

import datetime

import numpy as np

from keyplan.forecast import engine
from keyplan.forecast.series import Panel

SEASON = np.array([0.8, 0.85, 1.0, 0.9, 0.95, 1.05, 0.85, 0.8, 1.05, 1.1, 1.2, 1.45])
MONTHS = 48


def territory(seed=3, accounts=400):
    """Per account: line 1 bought every month (its season × 8% a year growth × ±30%
    noise), line 2 bought in a month with a 15% chance (a steadier order when it is)."""
    rng = np.random.default_rng(seed)
    first = datetime.date(2022, 11, 1)
    moy = np.array([(first.month - 1 + m) % 12 for m in range(MONTHS)])
    rows, ids, lines = [], [], []
    for a in range(1, accounts + 1):
        size = rng.lognormal(8, 1)
        growth = 1.08 ** (np.arange(MONTHS) / 12)
        rows.append(size * SEASON[moy] * growth * rng.uniform(0.7, 1.3, MONTHS))
        ids.append(a)
        lines.append(1)
        if a % 3 == 0:
            bought = rng.random(MONTHS) < 0.15
            rows.append(np.where(bought, size * 3 * rng.uniform(0.8, 1.2, MONTHS), 0.0))
            ids.append(a)
            lines.append(2)
    return Panel(np.array(ids, np.int64), np.array(lines, np.int64), np.array(rows), first)


def test_the_chosen_forecast_is_as_good_as_the_best_baseline_and_beats_same_month():
    result = engine.run(territory())
    bt = result.backtest
    assert bt.held_out == "2025-11 to 2026-10"
    # Three windows, all before the held-out year.
    assert bt.chosen_on == "2024-11 to 2025-10; 2024-05 to 2025-04; 2023-11 to 2024-10"
    for level in ("account", "account_line"):
        wape = {name: fig["wape"] for name, fig in bt.figures[level].items()}
        assert wape["chosen"] <= min(wape["seasonal_naive"], wape["last_year"]) + 0.005, level
        assert wape["chosen"] < wape["seasonal_naive"] - 0.02, level
    # Each class's choice is its best score, or a simpler candidate within the noise.
    for choice in bt.choices.values():
        assert choice["scores"][choice["best"]] == min(choice["scores"].values())
        assert choice["method"] in choice["scores"]


def test_the_held_out_year_does_not_change_the_choice():
    panel = territory()
    before = engine.run(panel).backtest.choices
    changed = territory()
    changed.values[:, -12:] *= np.random.default_rng(9).uniform(0, 3, changed.values[:, -12:].shape)
    after = engine.run(changed).backtest.choices
    assert {c: v["method"] for c, v in after.items()} == {c: v["method"] for c, v in before.items()}
    assert after == before  # the same scores too: nothing of that year was looked at


def test_a_steady_account_has_a_monthly_band_above_zero_and_most_totals_land_inside():
    result = engine.run(territory())
    view = result.view
    steady = ~np.isin(view.ids, result.accounts[result.lines == 2])  # line 1 only
    assert steady.sum() > 100
    assert (view.month_low[steady] > 0).all()  # every month of theirs has a low above 0
    assert (view.month_low[steady] < view.months[steady]).all()
    assert (view.month_high[steady] > view.months[steady]).all()
    # Checked on the held-out year, which the bands were not set on.
    coverage = result.backtest.coverage
    assert 0.7 <= coverage["account"] <= 0.92
    assert 0.7 <= coverage["account_month"] <= 0.92

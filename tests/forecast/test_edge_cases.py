"""Series a territory really has — one sale, nothing at all, a line started two months
ago, spikes — give finite, non-negative forecasts with a band around them."""

import datetime

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from keyplan.forecast import engine
from keyplan.forecast.series import Panel


def panel(values, lines=None):
    values = np.asarray(values, dtype=float)
    n = values.shape[0]
    return Panel(
        accounts=np.arange(1, n + 1, dtype=np.int64),
        lines=np.asarray(lines if lines is not None else [1] * n, dtype=np.int64),
        values=values,
        first=datetime.date(2023, 11, 1),
    )


def check(result):
    assert np.isfinite(result.expected).all()
    assert (result.expected >= 0).all()
    low, high = result.ratio_band
    assert 0 <= low <= 1 <= high
    for low, high in result.line_band.values():
        assert 0 <= low <= 1 <= high
    # Every account's months and total sit inside their own band, never below 0.
    view = result.view
    for arr in (view.months, view.low, view.high, view.month_low, view.month_high):
        assert np.isfinite(arr).all() and (arr >= 0).all()
    assert (view.month_low <= view.months + 1e-9).all()
    assert (view.months <= view.month_high + 1e-9).all()
    total = view.months.sum(axis=1)
    assert (view.low <= total + 1e-6).all() and (total <= view.high + 1e-6).all()


def test_one_sale_an_empty_series_and_a_new_line():
    steady = [1000.0 + 50 * (m % 12) for m in range(36)]
    one_sale = [0.0] * 36
    one_sale[20] = 5000.0
    nothing = [0.0] * 36
    new_line = [0.0] * 34 + [800.0, 900.0]
    result = engine.run(panel([steady] * 6 + [one_sale, nothing, new_line], [1] * 6 + [2, 2, 3]))
    check(result)
    assert result.months[0] == datetime.date(2026, 11, 1) and len(result.months) == 12
    assert result.classes[7] == "none" and not result.expected[7].any()  # nothing: 0
    assert result.classes[8] == "new"
    # A line bought for two months is not extrapolated from its first order alone.
    assert 0 < result.expected[8].sum() < 12 * 900
    # A single sale a year and a half ago: a small expectation, not a year of it.
    assert result.expected[6].sum() < 5000


def test_too_little_history_for_a_back_test_says_so():
    result = engine.run(panel([[100.0] * 8, [0.0] * 7 + [40.0]]), horizon=6)
    check(result)
    assert len(result.months) == 6
    assert "no back-test" in result.backtest.note
    assert result.expected[0].sum() > 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 40)),
        elements=st.one_of(st.just(0.0), st.floats(0, 1e9, allow_nan=False)),
    ),
    st.integers(1, 24),
)
def test_any_history_gives_finite_non_negative_forecasts(values, horizon):
    result = engine.run(panel(values, [1 + i % 2 for i in range(values.shape[0])]), horizon)
    check(result)
    assert result.expected.shape == (values.shape[0], horizon)

"""The territory's forecast (tens of MB on a large territory) is held by the process that
read it, and served from there only while the cache still holds that very result: a
cleared cache, a result stored again, or a new version of the sales are seen at once."""

import pytest
from django.core.cache import cache

from keyplan.territory.analysis import cache as analysis_cache
from keyplan.territory.analysis.cache import cache_key, cached, peek

PARAMS = {"horizon": 12}


@pytest.fixture(autouse=True)
def _nothing_held():
    analysis_cache._memo.clear()
    yield
    analysis_cache._memo.clear()


def test_a_second_read_is_the_held_result_not_a_new_copy(monkeypatch):
    cache.set(cache_key("forecast", None, PARAMS), {"n": 1})
    first = peek("forecast", None, PARAMS, memo=True)
    reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *a: reads.append(key) or real_get(key, *a))
    again = peek("forecast", None, PARAMS, memo=True)
    assert again is first and again == {"n": 1}
    assert cache_key("forecast", None, PARAMS) not in reads  # only its stamp is read


def test_a_cleared_cache_is_not_answered_from_memory():
    cached("forecast", None, PARAMS, lambda: {"n": 1}, memo=True)
    assert peek("forecast", None, PARAMS, memo=True) == {"n": 1}
    cache.clear()
    assert peek("forecast", None, PARAMS, memo=True) is None


def test_a_result_stored_again_under_the_same_key_is_read_anew():
    cached("forecast", None, PARAMS, lambda: {"n": 1}, memo=True)
    assert peek("forecast", None, PARAMS, memo=True) == {"n": 1}
    # Another process computed it again (the cache had dropped it) and stamped it.
    key = cache_key("forecast", None, PARAMS)
    cache.set(key, {"n": 2})
    cache.set(key + ":stamp", "another")
    assert peek("forecast", None, PARAMS, memo=True) == {"n": 2}


def test_new_sales_move_on_to_the_new_forecast():
    from keyplan.sales.rollup import _bump_version

    cached("forecast", None, PARAMS, lambda: {"n": 1}, memo=True)
    _bump_version()
    assert peek("forecast", None, PARAMS, memo=True) is None
    assert cached("forecast", None, PARAMS, lambda: {"n": 2}, memo=True) == {"n": 2}
    assert peek("forecast", None, PARAMS, memo=True) == {"n": 2}


def test_results_for_one_user_are_never_held():
    class Someone:
        pk = 7
        sees_everything = True

    cached("forecast", Someone(), PARAMS, lambda: {"n": 1}, memo=True)
    peek("forecast", Someone(), PARAMS, memo=True)
    assert analysis_cache._memo == {}


def test_a_forecast_from_last_month_is_not_served_in_the_new_month(monkeypatch):
    """No sale changed, but the month turned: the forecast's history now ends a month
    later (it ends at the last complete month), so November's result is not December's."""
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 30))
    cached("forecast", None, PARAMS, lambda: {"made": "November"}, memo=True)
    assert peek("forecast", None, PARAMS, memo=True) == {"made": "November"}
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 1))
    assert peek("forecast", None, PARAMS, memo=True) is None
    assert cached("forecast", None, PARAMS, lambda: {"made": "December"}, memo=True) == {
        "made": "December"
    }

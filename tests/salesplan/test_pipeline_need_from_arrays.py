"""Brock's math on a board of many reps reads each rep's period forecast from the period's
per-account arrays once the worker has them (``salesplan.period_arrays``), not every
account's booked sales again: the executive's board of 500 reps spent 1 of its 2 s of CPU
there at 100,000 accounts. The figures are the same either way (hand-computed on the
roll-up tests' territory: Ann owns Acme 100 and Beta 50, Ben Cargo 30, Cat Delta 20)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.salesplan import forecasting, rollups
from keyplan.salesplan.pipeline import rep_needs
from keyplan.salesplan.rollups import rollup
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import FY, TODAY

territory = test_rollups.territory
pytestmark = pytest.mark.django_db
M = Decimal


@pytest.fixture
def forecast(territory, monkeypatch):
    t = territory
    expected = {t.acme.pk: M(100), t.beta.pk: M(50), t.cargo.pk: M(30), t.delta.pk: M(20)}

    asked = []

    def period_forecast(ids, period, **kwargs):
        wanted = set(forecasting.account_ids(ids))
        asked.append(wanted)
        return SimpleNamespace(
            available=True,
            notes=[],
            sentence="",
            by_account={pk: v for pk, v in expected.items() if pk in wanted},
        )

    monkeypatch.setattr(forecasting, "period_forecast", period_forecast)
    monkeypatch.setattr(rollups, "forecast_result", lambda: object())  # "computed"
    return asked


def _needs(t):
    reps = [t.ann, t.ben, t.cat]
    goals = {r.pk: M(1000) for r in reps}
    return {pk: n.forecast for pk, n in rep_needs(reps, FY, goals=goals, today=TODAY).items()}


def test_the_board_reads_the_forecast_from_the_arrays_and_it_is_the_same(territory, forecast):
    t = territory
    cache.clear()
    computed = _needs(t)  # no arrays yet: each account's forecast computed
    assert computed == {t.ann.pk: 150, t.ben.pk: 30, t.cat.pk: 20}
    rollup(user=t.exec, period=FY, by="rep", today=TODAY)  # the arrays, as the worker makes them
    forecast.clear()
    with CaptureQueriesContext(connection) as queries:
        from_arrays = _needs(t)
    assert from_arrays == computed
    # No account's forecast computed again (only the sentence, for no account), no sales read.
    assert forecast == [set()]
    assert not [q for q in queries.captured_queries if "salesmonth" in q["sql"].lower()]

"""After a sales change the background reads the monthly roll-up once: the territory's
warm-up computes the forecast inside the read its white-space runs share (at 100,000
accounts a read is 13.7 million rows, 15 s; the forecast as a task of its own read it
again). The forecast is the same as the forecast task computes alone, which still works
(a page's horizon, the hand-over to newer facts); a page asking for the forecast while
the warm-up has it queues no second read."""

import numpy as np
import pytest
from django.core.cache import cache
from django_tasks import default_task_backend

from keyplan.forecast.models import ForecastRun
from keyplan.forecast.selectors import backtest_dict, cached_result
from keyplan.sales.models import SaleLine
from keyplan.sales.rollup import sales_version
from keyplan.territory.analysis import facts
from tests.factories import SaleLineFactory
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch):
    """How many times the monthly roll-up is read from the database."""
    count = []
    read = facts._read_monthly_sales

    def counted():
        count.append(1)
        return read()

    monkeypatch.setattr(facts, "_read_monthly_sales", counted)
    return count


def _a_sales_change(capture):
    line = SaleLine.objects.order_by("pk").first()
    with capture(execute=True):
        SaleLineFactory(account=line.account, product=line.product, date=line.date)


def test_after_a_sales_change_the_roll_up_is_read_once_and_the_forecast_is_the_same(
    reads, django_capture_on_commit_callbacks
):
    from keyplan.forecast.tasks import recompute_forecast

    run_generate("--accounts", 80, "--seed", 3, "--months", 36, "--adoption", "--no-plans")
    cache.clear()
    _a_sales_change(django_capture_on_commit_callbacks)  # the worker runs what is queued
    assert len(reads) == 1
    shared = cached_result(12)
    assert shared is not None and shared.expected.sum() > 0  # the forecast is computed
    run = ForecastRun.objects.get()
    assert run.source == "after a sales change"
    assert run.backtest["coverage"] == shared.backtest.coverage

    # The forecast task alone, on the same facts: its own read, the same figures.
    cache.clear()
    assert recompute_forecast.call(sales_version(), 12) == "computed"
    assert len(reads) == 2
    alone = cached_result(12)
    assert alone is not shared
    assert alone.months == shared.months
    assert np.array_equal(alone.accounts, shared.accounts)
    assert np.array_equal(alone.expected, shared.expected)
    assert np.array_equal(alone.view.low, shared.view.low)
    assert np.array_equal(alone.view.high, shared.view.high)
    assert backtest_dict(alone) == backtest_dict(shared)


@pytest.fixture
def queued_only(db, settings):
    run_generate("--accounts", 40, "--seed", 5, "--months", 30, "--no-plans")
    cache.clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()


def _queued(name):
    return [r.args for r in default_task_backend.results if r.task.name == name]


def test_a_page_asking_while_the_warm_up_has_the_forecast_queues_no_second_read(
    queued_only, reads, django_capture_on_commit_callbacks
):
    from keyplan.forecast.apps import queue_forecast
    from keyplan.territory.tasks import warm_analyses

    _a_sales_change(django_capture_on_commit_callbacks)
    version = sales_version()
    assert _queued("warm_analyses") == [[version]]
    assert _queued("recompute_forecast") == []  # the warm-up computes it
    queue_forecast(12)  # the forecast page, finding none computed yet
    assert _queued("recompute_forecast") == []
    assert warm_analyses.call(version) == "warmed"
    assert len(reads) == 1
    assert cached_result(12) is not None
    # Once computed, the claim is let go: a page's other horizon is a task of its own.
    queue_forecast(6)
    queue_forecast(12)
    assert _queued("recompute_forecast") == [[version, 6], [version, 12]]


def test_a_change_while_a_warm_up_runs_for_older_facts_queues_the_forecast_on_its_own(
    queued_only, django_capture_on_commit_callbacks
):
    from keyplan.forecast.tasks import forecast_in_warm_up

    _a_sales_change(django_capture_on_commit_callbacks)
    first = sales_version()
    _a_sales_change(django_capture_on_commit_callbacks)  # the first warm-up not run yet
    assert _queued("warm_analyses") == [[first]]
    # The first warm-up still has the forecast; when it gets there the facts are newer:
    # it hands the forecast over to a task for them, computing nothing stale.
    assert _queued("recompute_forecast") == []
    assert forecast_in_warm_up(first) == "stale"
    assert cached_result(12) is None
    assert _queued("recompute_forecast") == [[sales_version(), 12]]

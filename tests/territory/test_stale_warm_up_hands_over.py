"""A warm-up (or forecast recompute) that finds newer facts than it was queued for hands
over to one for today's facts: while it held the one-at-a-time key, the newer changes
queued nothing, so without the hand-over nothing learned the white-space model (the page
said "being learned… reload in a few minutes" for ten minutes while nothing was learning)
and the forecast page waited for a visitor to ask."""

import pytest
from django_tasks import default_task_backend

from keyplan.sales.models import SaleLine
from keyplan.sales.rollup import sales_version
from tests.factories import SaleLineFactory
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def _a_sales_change(capture):
    line = SaleLine.objects.order_by("pk").first()
    with capture(execute=True):
        SaleLineFactory(account=line.account, product=line.product, date=line.date)


@pytest.fixture
def queued_only(db, settings):
    from django.core.cache import cache

    run_generate("--accounts", 30, "--seed", 5, "--no-plans")
    cache.clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()


def _queued(name):
    return [r.args for r in default_task_backend.results if r.task.name == name]


def test_a_stale_warm_up_queues_one_for_todays_facts(
    queued_only, django_capture_on_commit_callbacks
):
    from keyplan.territory.tasks import warm_analyses

    _a_sales_change(django_capture_on_commit_callbacks)
    first = sales_version()
    _a_sales_change(django_capture_on_commit_callbacks)  # while the first is queued
    assert sales_version() != first
    assert _queued("warm_analyses") == [[first]]  # one at a time: none for the second
    default_task_backend.clear()

    assert warm_analyses.call(first) == "stale"
    assert _queued("warm_analyses") == [[sales_version()]]


def test_a_stale_forecast_recompute_queues_one_for_todays_facts(
    queued_only, django_capture_on_commit_callbacks
):
    from keyplan.forecast.apps import queue_forecast
    from keyplan.forecast.tasks import recompute_forecast

    # After a sales change the warm-up computes the forecast; a recompute of its own is
    # queued by a page that found none computed.
    first = sales_version()
    queue_forecast()
    _a_sales_change(django_capture_on_commit_callbacks)
    assert _queued("recompute_forecast") == [[first, 12]]
    default_task_backend.clear()

    assert recompute_forecast.call(first, 12) == "stale"
    assert _queued("recompute_forecast") == [[sales_version(), 12]]

"""Right after a sales change, while the worker's warm-up computes the territory's
analyses again, a page or the API answers from the last figures computed before the
change (computing them again took 1.7 s under load) and says so: a line at the top of the
page, headers in the API. Only while that warm-up is under way, never from another month
or another set of accounts a person sees, and never once the warm-up failed or stopped."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks import default_task_backend

from keyplan.accounts.models import Account
from keyplan.people.choices import Role
from keyplan.sales.models import SaleLine
from keyplan.sales.rollup import sales_version
from keyplan.territory.tasks import warm_analyses
from tests.conftest import login
from tests.factories import SaleLineFactory, UserFactory
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db

PARETO = "/api/v1/analyses/pareto/"
WINDOW = "?from=2024-01&to=2026-12"  # fixed: the same parameters in any month
SENTENCE = 'data-testid="earlier-figures"'


@pytest.fixture
def territory(db, settings):
    """A generated territory; then the worker is stopped: tasks are only queued."""
    run_generate("--accounts", 30, "--seed", 5, "--no-plans")
    cache.clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()


@pytest.fixture
def ops(territory, client):
    return login(client, UserFactory(username="ops-person", role=Role.SALES_OPS))


def _a_big_sale(capture, account=None, amount=5_000_000):
    """A sale line that changes the Pareto figures, committed (the warm-up is queued)."""
    line = SaleLine.objects.order_by("pk").first()
    with capture(execute=True):
        SaleLineFactory(
            account=account or line.account,
            product=line.product,
            date=datetime.date(2026, 10, 15),
            amount=amount,
        )


def _total(response) -> str:
    return response.json()["summary"]["total_revenue"]


def test_during_the_warm_up_the_figures_before_are_served_and_said(
    ops, django_capture_on_commit_callbacks
):
    before = ops.get(PARETO + WINDOW)
    assert "Keyplan-Figures-Computed-At" not in before
    page_before = ops.get("/territory/").content.decode()
    assert SENTENCE not in page_before

    _a_big_sale(django_capture_on_commit_callbacks)
    # The warm-up is queued, not run: the figures from before, said so.
    during = ops.get(PARETO + WINDOW)
    assert _total(during) == _total(before)
    computed_at = datetime.datetime.fromisoformat(during["Keyplan-Figures-Computed-At"])
    changed_at = datetime.datetime.fromisoformat(during["Keyplan-Facts-Changed-At"])
    assert computed_at <= changed_at <= timezone.now()
    assert "being taken in" in during["Keyplan-Figures-Note"]
    page = ops.get("/territory/").content.decode()
    assert SENTENCE in page
    assert "Figures on this page are from before the change to sales or deals of" in page
    assert "reload in a few minutes" in page

    # The worker runs the warm-up: the new figures, nothing said.
    assert warm_analyses.call(sales_version()) == "warmed"
    after = ops.get(PARETO + WINDOW)
    assert "Keyplan-Figures-Computed-At" not in after
    assert float(_total(after)) == pytest.approx(float(_total(before)) + 5_000_000)
    assert SENTENCE not in ops.get("/territory/").content.decode()


def test_with_no_warm_up_under_way_the_figures_are_computed(
    ops, settings, django_capture_on_commit_callbacks
):
    before = ops.get(PARETO + WINDOW)
    settings.KEYPLAN_WARM_ANALYSES = False  # a change that queues no warm-up
    _a_big_sale(django_capture_on_commit_callbacks)
    now = ops.get(PARETO + WINDOW)
    assert "Keyplan-Figures-Computed-At" not in now
    assert float(_total(now)) == pytest.approx(float(_total(before)) + 5_000_000)


def test_a_failed_warm_up_leaves_pages_computing(
    ops, monkeypatch, django_capture_on_commit_callbacks
):
    from keyplan.territory import tasks

    before = ops.get(PARETO + WINDOW)
    _a_big_sale(django_capture_on_commit_callbacks)

    def fails(version):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "_warm", fails)
    with pytest.raises(RuntimeError):
        warm_analyses.call(sales_version())
    now = ops.get(PARETO + WINDOW)
    assert "Keyplan-Figures-Computed-At" not in now
    assert float(_total(now)) == pytest.approx(float(_total(before)) + 5_000_000)


def test_a_warm_up_no_worker_runs_counts_for_a_minute_only(ops, django_capture_on_commit_callbacks):
    from keyplan.territory import warm_up

    ops.get(PARETO + WINDOW)
    _a_big_sale(django_capture_on_commit_callbacks)
    version = sales_version()
    assert "Keyplan-Figures-Computed-At" in ops.get(PARETO + WINDOW)

    # Queued two minutes ago and never started (or its worker stopped and its beat
    # lapsed): the page computes.
    queued_at = timezone.now() - datetime.timedelta(minutes=2)
    cache.set(warm_up._queued_key(version), queued_at, 600)
    assert "Keyplan-Figures-Computed-At" not in ops.get(PARETO + WINDOW)
    assert warm_up.under_way(version) is None

    # A worker running it beats: under way again for as long as it runs.
    with warm_up.beating(version):
        assert warm_up.under_way(version) is not None
    assert warm_up.under_way(version) is None


def test_never_from_another_month(ops, monkeypatch, django_capture_on_commit_callbacks):
    november = datetime.date(2026, 11, 30)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: november)
    before = ops.get(PARETO + WINDOW)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 12, 1))
    _a_big_sale(django_capture_on_commit_callbacks)
    december = ops.get(PARETO + WINDOW)
    assert "Keyplan-Figures-Computed-At" not in december
    assert float(_total(december)) == pytest.approx(float(_total(before)) + 5_000_000)


def test_a_rep_sees_their_figures_before_unless_their_accounts_changed(
    territory, client, django_capture_on_commit_callbacks
):
    rep = UserFactory(username="a-rep", role=Role.REP)
    mine, given = Account.objects.filter(parent__isnull=True).order_by("pk")[:2]
    Account.objects.filter(pk=mine.pk).update(owner=rep)
    login(client, rep)
    before = client.get(PARETO + WINDOW)
    assert before.json()["count"] >= 1

    # During the warm-up (which computes only the territory-wide figures): the rep's
    # own figures from before, said so.
    _a_big_sale(django_capture_on_commit_callbacks, account=mine)
    during = client.get(PARETO + WINDOW)
    assert "Keyplan-Figures-Computed-At" in during
    assert _total(during) == _total(before)

    # An account given to the rep: never the figures of the accounts they saw before.
    Account.objects.filter(pk=given.pk).update(owner=rep)
    _a_big_sale(django_capture_on_commit_callbacks, account=mine, amount=1_000)
    now = client.get(PARETO + WINDOW)
    assert "Keyplan-Figures-Computed-At" not in now
    assert now.json()["count"] > before.json()["count"]
    assert float(_total(now)) > float(_total(before)) + 5_000_000


def test_a_warm_up_that_finds_newer_facts_when_done_hands_over(
    ops, monkeypatch, django_capture_on_commit_callbacks
):
    """New facts committed while a warm-up ran queued none of their own (it held the
    one-at-a-time key): the warm-up queues theirs when it ends, so their pages are warmed
    too (and may show the figures before meanwhile)."""
    from keyplan.forecast import tasks as forecast_tasks

    _a_big_sale(django_capture_on_commit_callbacks)
    first = sales_version()
    in_warm_up = forecast_tasks.forecast_in_warm_up

    def a_change_meanwhile(version):
        _a_big_sale(django_capture_on_commit_callbacks, amount=1_000)
        return in_warm_up(version)

    monkeypatch.setattr(forecast_tasks, "forecast_in_warm_up", a_change_meanwhile)
    default_task_backend.clear()
    assert warm_analyses.call(first) == "warmed"
    assert sales_version() != first
    queued = [r.args for r in default_task_backend.results if r.task.name == "warm_analyses"]
    assert queued == [[sales_version()]]


def test_white_space_ranked_by_the_last_model_is_served_from_before_too(
    db, settings, client, django_capture_on_commit_callbacks
):
    """White space ranks accounts by a model's expected value; the model names the
    result (so a ranking gives way to today's model once learned): the model learned
    before the change names it after the change too, so the ranking from before is
    served while the warm-up relearns."""
    run_generate("--accounts", 30, "--seed", 5, "--no-plans")
    assert warm_analyses.call(sales_version()) == "warmed"  # today's model learned
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    login(client, UserFactory(username="ops-person", role=Role.SALES_OPS))
    url = "/api/v1/analyses/whitespace/" + WINDOW
    before = client.get(url)
    assert before.json()["model_note"] == ""

    _a_big_sale(django_capture_on_commit_callbacks)
    during = client.get(url)
    assert "Keyplan-Figures-Computed-At" in during
    assert during.json()["results"] == before.json()["results"]
    assert "before the latest change" in during.json()["model_note"]

    assert warm_analyses.call(sales_version()) == "warmed"
    after = client.get(url)
    assert "Keyplan-Figures-Computed-At" not in after
    assert after.json()["model_note"] == ""


def test_an_export_is_always_of_todays_facts(ops, django_capture_on_commit_callbacks):
    """A downloaded file has no line to say its figures are from before a change."""
    url = "/territory/whitespace/export/?start=2024-01&end=2026-12"
    page_url = "/territory/whitespace/?start=2024-01&end=2026-12"
    ops.get(page_url)
    before = b"".join(ops.get(url).streaming_content)
    _a_big_sale(django_capture_on_commit_callbacks)
    assert SENTENCE in ops.get(page_url).content.decode()  # the page: from before, said
    during = ops.get(url)
    assert "Keyplan-Figures-Computed-At" not in during
    assert b"".join(during.streaming_content) != before  # the new sale is in the file

"""Learning the white-space model takes seconds to minutes: a page (or the API) never
learns it while a person waits. After the sales change it answers from the last model
learned, says when that was, and queues the relearn in the background; with no model
ever learned it shows the white space without probabilities and says so."""

import re
from unittest import mock

import pytest
from django_tasks import default_task_backend

from keyplan.sales.models import SaleLine
from tests.conftest import login
from tests.factories import SaleLineFactory
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db

LEARN = "keyplan.territory.analysis.propensity_report.predict"
BACKTEST = "keyplan.territory.analysis.propensity_report.backtest"


def _refuse(*args, **kwargs):
    raise AssertionError("the model was learned while a person waited")


def _expected_value(page: str) -> str:
    figures = page.split('data-testid="whitespace-figures"', 1)[1]
    return re.search(r'<div class="value">([^<]+)</div>', figures).group(1)


@pytest.fixture
def territory(db, settings):
    """A generated territory whose model the background warm-up has learned; then the
    background worker is stopped (tasks are only queued) and a sale is added."""
    from django.contrib.auth import get_user_model

    from keyplan.territory.predictions import whitespace_backtest, whitespace_predictions

    run_generate("--accounts", 60, "--seed", 11, "--no-plans")
    whitespace_predictions(by="product", horizon=12)  # as the background worker does
    whitespace_backtest(by="product")
    ops = get_user_model().objects.get(username="ops")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return ops


def _a_sales_change(django_capture_on_commit_callbacks):
    line = SaleLine.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        SaleLineFactory(account=line.account, product=line.product, date=line.date)


def test_after_a_sales_change_the_page_shows_the_last_model_and_queues_a_relearn(
    client, territory, django_capture_on_commit_callbacks
):
    login(client, territory)
    before = client.get("/territory/whitespace/").content.decode()
    assert 'data-testid="whitespace-model-note"' not in before  # today's model
    _a_sales_change(django_capture_on_commit_callbacks)
    # The change queued the warm-up, which relearns the page's defaults in the background.
    assert "warm_analyses" in {r.task.name for r in default_task_backend.results}
    default_task_backend.clear()

    with mock.patch(LEARN, side_effect=_refuse), mock.patch(BACKTEST, side_effect=_refuse):
        response = client.get("/territory/whitespace/")
        api = client.get("/api/v1/analyses/whitespace/")
    page = response.content.decode()
    assert response.status_code == 200
    # The older model's figures, and a note in words saying what they are.
    assert _expected_value(page) == _expected_value(before)
    assert re.search(r"% within 12 months\. ", page)
    assert 'data-testid="whitespace-backtest"' in page
    note = re.search(r'data-testid="whitespace-model-note">([^<]+)<', page).group(1)
    assert re.match(
        r"These probabilities were learned on \d{1,2} [A-Z][a-z]{2} \d{4} from the sales "
        r"before the latest change; they are being relearned",
        note,
    )
    # The API answers the same way: the older model's probabilities and the same note.
    assert api.status_code == 200
    data = api.json()
    assert data["model_note"] == note.replace("&#x27;", "'")
    assert data["best_cells"] and all(0 < c["probability"] < 1 for c in data["best_cells"])
    # Nothing more is queued for what the warm-up relearns (no write while, say, an
    # import holds the database); another horizon is queued for the worker, once however
    # many people ask, and says it is being learned.
    assert default_task_backend.results == []
    with mock.patch(LEARN, side_effect=_refuse), mock.patch(BACKTEST, side_effect=_refuse):
        six = client.get("/territory/whitespace/?horizon=6").content.decode()
        client.get("/api/v1/analyses/whitespace/?horizon=6")
    assert "is being learned from the latest sales" in six
    assert [r.args[1:] for r in default_task_backend.results] == [
        ["whitespace_predictions", {"by": "product", "horizon": 6}]
    ]

    # The worker learns; the next visits show today's model and no note.
    from keyplan.sales.rollup import sales_version
    from keyplan.territory.tasks import learn_whitespace, warm_analyses

    warm_analyses.call(sales_version())
    learn_whitespace.call(*default_task_backend.results[0].args)
    for url in ("/territory/whitespace/", "/territory/whitespace/?horizon=6"):
        page = client.get(url).content.decode()
        assert 'data-testid="whitespace-model-note"' not in page
        assert re.search(r"% within (6|12) months\. ", page)
    # The accounts' ranking and expected values follow today's model, not the last one.
    from keyplan.territory.predictions import whitespace_predictions

    today = whitespace_predictions(by="product", horizon=12)
    page = client.get("/territory/whitespace/").content.decode()
    assert _expected_value(page) == f"{round(float(today.value.sum())):,}"


def test_with_no_model_ever_learned_the_page_shows_white_space_and_says_so(
    client, territory, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    cache.clear()  # nothing was ever learned
    login(client, territory)
    with mock.patch(LEARN, side_effect=_refuse), mock.patch(BACKTEST, side_effect=_refuse):
        response = client.get("/territory/whitespace/?by=line")
        api = client.get("/api/v1/analyses/whitespace/?by=line")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="whitespace-table"' in page  # the white space itself
    assert "is being learned from the latest sales" in page
    assert "reload this page in a few minutes" in page
    assert "purchases expected within" not in page  # no figures without a model
    assert not re.search(r"% within 12 months\. ", page)
    assert 'data-testid="whitespace-backtest"' not in page
    assert api.status_code == 200
    data = api.json()
    assert "is being learned" in data["model_note"]
    assert data["best_cells"] == []
    white = [c for r in data["results"] for c in r["cells"] if c["state"] == "white_space"]
    assert white and all(c["probability"] is None for c in white)
    queued = {r.args[1] for r in default_task_backend.results}
    assert queued == {"whitespace_predictions", "whitespace_backtest"}


def test_the_last_learned_model_outlives_a_busy_cache(db):
    """Hundreds of people's cached analyses do not push the last learned model out of
    the file cache (Django's default keeps 300 files, then drops a third at random)."""
    from django.core.cache import cache

    from keyplan.territory.predictions import _latest_key, _remember, latest_predictions

    _remember("whitespace_predictions", {"by": "product", "horizon": 12}, lambda: "model")
    for i in range(1_000):
        cache.set(f"keyplan:analysis:someone-{i}", i, 3600)
    assert cache.get(_latest_key("whitespace_predictions", {"by": "product", "horizon": 12}))
    assert latest_predictions(by="product", horizon=12, queue=False).result == "model"

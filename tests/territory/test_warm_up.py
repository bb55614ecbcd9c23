"""After the facts change, the territory pages' default analyses are computed in the
background, so sales ops' next visit is answered from the cache."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest

from tests.factories import AccountFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


def test_a_committed_sales_change_warms_the_territory_pages(
    client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        SaleLineFactory(
            account=AccountFactory(name="Fresh"),
            amount=Decimal(500),
            date=datetime.date(2025, 5, 1),
        )
    client.force_login(org.ops)
    with (
        mock.patch("keyplan.territory.views.pareto") as compute,
        mock.patch("keyplan.territory.analysis.whitespace.whitespace") as ws,
    ):
        page = client.get("/territory/")
        client.get("/territory/whitespace/")
    assert page.status_code == 200 and "Fresh" in page.content.decode()
    compute.assert_not_called()  # answered from the cache the background task filled
    ws.assert_not_called()


def test_account_page_shows_its_white_space_row_once_computed(
    client, org, django_capture_on_commit_callbacks
):
    from tests.factories import ProductFactory

    dash = ProductFactory(name="Dash")
    ProductFactory(name="Cast")
    with django_capture_on_commit_callbacks(execute=True):
        SaleLineFactory(
            account=org.mine, product=dash, amount=Decimal(500), date=datetime.date(2025, 5, 1)
        )
    client.force_login(org.rep)
    page = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    assert 'data-testid="account-whitespace"' in page
    assert 'class="num ws-owned"' in page and 'class="num ws-white_space"' in page


def test_a_sales_change_learns_and_records_white_space_predictions(
    client, org, django_capture_on_commit_callbacks
):
    """The background task learns the white-space model once per change of the facts and
    records the run (date, horizon, back-test) so quarters can be compared; the page then
    answers from the cache without learning again."""
    from keyplan.territory.models import AnalysisRun
    from tests.factories import ProductFactory

    dash = ProductFactory(name="Dash")
    ProductFactory(name="Cast")
    with django_capture_on_commit_callbacks(execute=True):
        SaleLineFactory(
            account=org.mine, product=dash, amount=Decimal(500), date=datetime.date(2025, 5, 1)
        )
    run = AnalysisRun.objects.get(kind="whitespace_model")
    assert run.parameters == {"by": "product", "horizon": 12}
    assert run.summary["predicted_from"] == "2025-06-01"
    # A month of history cannot be back-tested: the run says so in words.
    assert "three years of sales history" in run.summary["backtest"]["message"]
    client.force_login(org.ops)
    with mock.patch("keyplan.territory.analysis.propensity_report.fit") as learn:
        page = client.get("/territory/whitespace/").content.decode()
    learn.assert_not_called()
    assert 'data-testid="whitespace-backtest"' in page
    assert "three years of sales history" in page
    # The account page reads the learned predictions too: its white-space cells say how
    # likely they are and why.
    client.force_login(org.rep)
    page = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    assert "likely to start buying within 12 months" in page
    assert re.search(r"% within 12 months\. [^\"]*[Bb]ought within a year by \d+% of similar", page)
    assert "orange: white space (the probability of buying it within 12 months ×" in page

"""After the facts change, the territory pages' default analyses are computed in the
background, so sales ops' next visit is answered from the cache."""

import datetime
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

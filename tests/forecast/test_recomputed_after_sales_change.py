"""After sales change, the forecast is computed again in the background and the run is
recorded; the account page then shows it (it never computes while the page waits)."""

import datetime
import re
from decimal import Decimal

import pytest

from keyplan.forecast.models import ForecastRun
from tests.factories import ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


def test_a_committed_sales_change_recomputes_and_records_the_forecast(
    client, org, django_capture_on_commit_callbacks
):
    client.force_login(org.rep)
    before = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    assert "not ready yet" in before
    product = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for m in range(14):
            SaleLineFactory(
                account=org.mine,
                product=product,
                amount=Decimal(2500),
                date=datetime.date(2025 + m // 12, m % 12 + 1, 3),
            )
    run = ForecastRun.objects.get()
    assert run.source == "after a sales change" and run.horizon == 12
    assert run.last_month == datetime.date(2026, 2, 1)
    assert run.expected == Decimal("30000.00")
    page = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    assert 'data-testid="forecast-months"' in page
    assert "2026-03" in page and "30,000" in page


def test_the_account_band_is_the_accounts_own_and_the_months_do_not_add_up_to_it(
    client, org, django_capture_on_commit_callbacks
):
    """The account's low–high is its own band (it read "8 in 10 accounts landed between
    …", as if the figures were other accounts'), and the table's last row is the band of
    the whole horizon, which the months' lows do not add up to: the page says so."""
    product = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for m in range(14):
            SaleLineFactory(
                account=org.mine,
                product=product,
                amount=Decimal(2500 + 900 * (m % 3)),
                date=datetime.date(2025 + m // 12, m % 12 + 1, 3),
            )
    client.force_login(org.rep)
    page = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    assert "8 in 10 accounts landed between" not in page
    assert re.search(r"</strong>, likely between [\d,]+ and [\d,]+ <span", page)
    assert "<tfoot><tr><th>12 months</th>" in page
    assert 'data-testid="forecast-band-note"' in page
    assert "do not add up to the band of the whole" in page

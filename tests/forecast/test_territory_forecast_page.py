"""The territory's forecast page: totals, by product line and tier, the back-test in a
sales-ops analyst's words, a page of accounts at a time, and only the accounts the user
may see."""

import datetime
from decimal import Decimal

import pytest

from keyplan.catalog.models import ProductLine
from tests.factories import ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org):
    cloud = ProductFactory(product_line=ProductLine.objects.create(name="Cloud"))
    training = ProductFactory(product_line=ProductLine.objects.create(name="Training"))
    for m in range(36):
        day = datetime.date(2023 + (10 + m) // 12, (10 + m) % 12 + 1, 5)
        SaleLineFactory(account=org.mine, product=cloud, date=day, amount=Decimal("1000"))
        SaleLineFactory(account=org.theirs, product=cloud, date=day, amount=Decimal("400"))
        if m % 4 == 0:
            SaleLineFactory(account=org.mine, product=training, date=day, amount=Decimal("900"))
    return org


def test_sales_ops_see_totals_lines_and_the_backtest_in_words(client, history):
    client.force_login(history.ops)
    page = client.get("/territory/forecast/").content.decode()
    assert "2026-11 to 2027-10" in page
    assert "16,800" in page  # (1,000 + 400) a month, 12 months
    assert 'data-testid="forecast-by-line"' in page and "Training" in page
    assert "Same month last year" in page and "Last year&#x27;s monthly average" in page
    assert "Bought most months, steady amounts" in page
    assert "chosen on three back-test windows: 2024-11 to 2025-10" in page
    # How the bands were read: 36 months hold no earlier pair of years to learn from.
    assert 'data-testid="backtest-coverage"' in page
    assert "at its 10th and 90th percentiles (no earlier year to learn from)" in page
    assert "from the errors of 2025-11 to 2026-10" in page
    assert "Theirs Inc" in page


def test_a_rep_sees_only_their_accounts_and_a_bad_horizon_is_explained(client, history):
    client.force_login(history.rep)
    page = client.get("/territory/forecast/?horizon=6").content.decode()
    assert "Mine Group" in page and "Theirs Inc" not in page
    assert "2026-11 to 2027-04" in page
    refused = client.get("/territory/forecast/?horizon=120")
    assert refused.status_code == 200
    assert "Horizon must be 1 to 36 months; 120 was given." in refused.content.decode()


def test_the_backtest_reads_in_words_a_sales_ops_lead_can_repeat(client, history):
    """The windows as a list, the total's lean as `keyplan forecast --backtest` gives it,
    and the recorded runs' totals marked as the whole territory's (a rep's page total is
    their accounts' only; the runs' larger figure beside it read as a contradiction)."""
    from keyplan.forecast.selectors import backtest_dict, record_run, territory_result

    result = territory_result(12)
    record_run(result, seconds=1.0, user=None, source="after a sales change")
    bias = backtest_dict(result)["bias"]
    client.force_login(history.rep)
    page = client.get("/territory/forecast/").content.decode()
    assert (
        "chosen on three back-test windows: 2024-11 to 2025-10, 2025-02 to 2025-10 and "
        "2025-05 to 2025-10"
    ) in page
    assert "; 2025-02" not in page
    assert 'data-testid="backtest-bias"' in page
    # In words, "16.0% under" or "12.3% over", never "-16.0%" (read as a fall).
    lean = f"{abs(bias['chosen']):.1%} {'under' if bias['chosen'] < 0 else 'over'}"
    assert f"keyplan&#x27;s forecast {lean}" in page
    assert f"keyplan&#x27;s forecast {bias['chosen']:+.1%}" not in page
    assert "Expected, whole territory" in page


def test_no_method_is_named_by_a_code():
    import re

    from keyplan.forecast.methods import METHODS, label

    for name in METHODS:
        assert not re.match(r"[A-Z]{3,}", label(name)), label(name)
        assert "_" not in label(name)

"""The forecast learns from complete, loaded months only: the month under way (a few days
of sales) and a trailing month that holds a sliver of a usual month's sales (not loaded
yet) are left out of the history and forecast instead — the forecast says so — and
their booked lines are counted once, as the forecast's month, not on top of it."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.catalog.models import ProductLine
from keyplan.forecast.selectors import territory_result
from keyplan.plans.models import AccountPlan
from keyplan.salesplan.forecasting import period_forecast
from keyplan.salesplan.periods import Period
from tests.factories import ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    from django.utils import timezone

    def pin(day: datetime.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args: day)

    return pin


@pytest.fixture
def steady(org):
    """1,000 a month from November 2024 to October 2026 for the rep's account, 500 a month
    for the teammate's (1,500 a month across the territory): a forecast of 1,000 and 500
    a month."""
    product = ProductFactory(product_line=ProductLine.objects.create(name="Cloud"))
    for m in range(24):
        day = datetime.date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 5)
        SaleLineFactory(account=org.mine, product=product, date=day, amount=Decimal("1000"))
        SaleLineFactory(account=org.teammate, product=product, date=day, amount=Decimal("500"))
    org.product = product
    return org


def _by_account(result):
    return {
        int(a): round(float(result.expected[result.accounts == a].sum()) / 100, 2)
        for a in set(result.accounts.tolist())
    }


def test_lines_in_the_month_under_way_change_neither_the_forecast_nor_the_period(
    steady, today, client
):
    today(datetime.date(2026, 11, 6))
    before = territory_result(12)
    assert before.months[0] == datetime.date(2026, 11, 1)
    assert _by_account(before) == {steady.mine.pk: 12000.0, steady.teammate.pk: 6000.0}
    # Five days into November two small lines are imported for the rep's account.
    SaleLineFactory(
        account=steady.mine, product=steady.product, date=datetime.date(2026, 11, 3), amount=200
    )
    SaleLineFactory(
        account=steady.mine, product=steady.product, date=datetime.date(2026, 11, 5), amount=100
    )
    after = territory_result(12)
    assert after is not before  # recomputed for the new sales
    # History still ends with October; November is forecast in full: 12 × 1,000 and 12 × 500
    # (read as a month of 300, it pulled every month of the rep's forecast down).
    assert after.last_month == datetime.date(2026, 10, 1)
    assert after.months == before.months
    assert _by_account(after) == {steady.mine.pk: 12000.0, steady.teammate.pk: 6000.0}
    # FY 2026: January-October booked (10 × 1,000), November-December forecast (2 × 1,000);
    # the 300 booked in November is part of November's forecast, not added to it.
    found = period_forecast([steady.mine.pk], Period(2026))
    assert found.booked[steady.mine.pk] == Decimal("10000")
    assert found.forecast[steady.mine.pk] == Decimal("2000")
    assert found.total == Decimal("12000")
    assert (found.months_booked, found.months_forecast) == (10, 2)
    # The booked lines are not lost: the account page shows November's 300 with its sales.
    client.force_login(steady.rep)
    from keyplan.accounts.selectors import sales_by_month

    sales = sales_by_month(account=steady.mine)
    assert sales["months"][-1] == "2026-11"
    assert sales["series"][0]["data"][-1] == 300.0
    # The forecast page says the month under way is forecast, not learned from.
    client.force_login(steady.ops)
    page = client.get("/territory/forecast/").content.decode()
    assert "2026-11 to 2027-10" in page
    assert (
        "November 2026 is not over yet: its sales so far are left out of the history the "
        "forecast learns from, and the forecast covers the whole month."
    ) in page


def test_a_nearly_empty_last_month_is_taken_as_not_loaded_and_said_so(steady, today, api_client):
    today(datetime.date(2026, 12, 6))
    territory_result(12)
    before = _by_account(territory_result(12))
    # Imported in December: one line late in November (45 of a usual 1,500: 3%) and one
    # of the month under way.
    SaleLineFactory(
        account=steady.mine, product=steady.product, date=datetime.date(2026, 11, 28), amount=45
    )
    SaleLineFactory(
        account=steady.teammate,
        product=steady.product,
        date=datetime.date(2026, 12, 3),
        amount=80,
    )
    result = territory_result(12)
    assert result.last_month == datetime.date(2026, 10, 1)
    assert result.months[0] == datetime.date(2026, 11, 1)  # not 2027-01
    assert _by_account(result) == before == {steady.mine.pk: 12000.0, steady.teammate.pk: 6000.0}
    # Every month of the rep's account is still 1,000, none 0.
    assert [round(v / 100) for v in result.view.months[0]] == [1000] * 12
    # FY 2026 for the rep's account: January-October booked, November-December forecast;
    # neither the 45 nor the 80 is added on top.
    found = period_forecast([steady.mine.pk, steady.teammate.pk], Period(2026))
    assert found.total == Decimal("18000")
    out = StringIO()
    call_command("forecast", stdout=out)
    text = out.getvalue()
    assert (
        "November 2026 holds 3% of a usual month's sales: taken as not loaded yet; "
        "the forecast starts there."
    ) in text
    assert "December 2026 is not over yet" in text
    assert "2026-11 to 2027-10" in text
    # The account page names the months it forecasts (November is past, not "next") and why.
    api_client.force_login(steady.rep)
    page = api_client.get(f"/accounts/{steady.mine.pk}/").content.decode()
    assert "Forecast, 2026-11 to 2027-10 (USD)" in page
    assert "November 2026 holds 3% of a usual month&#x27;s sales: taken as not loaded yet" in page
    # So does the plan page, beside the plan's forecast against its goals.
    plan = AccountPlan.objects.create(
        account=steady.mine,
        owner=steady.rep,
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2027, 10, 31),
        revenue_goal=Decimal("20000"),
    )
    page = api_client.get(plan.get_absolute_url()).content.decode()
    assert "From 2026-11 to 2027-10 the sales history of this plan" in page
    assert "November 2026 holds 3% of a usual month&#x27;s sales: taken as not loaded yet" in page
    api_client.logout()
    api_client.force_authenticate(steady.ops)
    summary = api_client.get("/api/v1/analyses/forecast/").json()["summary"]
    assert summary["months"][0] == "2026-11"
    assert summary["history_left_out"][0].startswith("November 2026 holds 3% of a usual month")


def test_a_last_month_at_a_usual_level_is_kept(steady, today):
    # November loaded at 40% of a usual month (600 of 1,500): a slow month, not a gap.
    today(datetime.date(2026, 12, 6))
    SaleLineFactory(
        account=steady.mine, product=steady.product, date=datetime.date(2026, 11, 20), amount=600
    )
    result = territory_result(12)
    assert result.last_month == datetime.date(2026, 11, 1)
    assert result.months[0] == datetime.date(2026, 12, 1)
    assert result.left_out == []
    out = StringIO()
    call_command("forecast", stdout=out)
    assert "not loaded" not in out.getvalue()

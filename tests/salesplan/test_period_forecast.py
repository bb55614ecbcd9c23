"""What a sales period is expected to bring per account: the sales booked in it plus the
cached forecast for its months to come; months beyond the forecast said, not guessed; no
forecast in the cache said, not computed."""

import datetime
from decimal import Decimal

import pytest

from keyplan.accounts.models import Account
from keyplan.catalog.models import ProductLine
from keyplan.forecast.selectors import territory_result
from keyplan.salesplan.forecasting import Span, period_forecast, run_rate
from keyplan.salesplan.periods import Period
from tests.factories import ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def steady(org):
    """1,000 a month from November 2024 to October 2026 for the rep's account, 500 a month
    for the teammate's: a forecast of 1,000 and 500 a month from November 2026."""
    product = ProductFactory(product_line=ProductLine.objects.create(name="Cloud"))
    for m in range(24):
        day = datetime.date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 5)
        SaleLineFactory(account=org.mine, product=product, date=day, amount=Decimal("1000"))
        SaleLineFactory(account=org.teammate, product=product, date=day, amount=Decimal("500"))
    return org


def test_a_year_half_booked_adds_the_forecast_of_its_remaining_months(steady):
    territory_result(12)
    found = period_forecast([steady.mine.pk, steady.teammate.pk], Period(2026))
    # January-October booked (10 × 1,000), November-December forecast (2 × 1,000).
    assert found.available
    assert found.booked[steady.mine.pk] == Decimal("10000")
    assert found.forecast[steady.mine.pk] == Decimal("2000")
    assert found.by_account == {
        steady.mine.pk: Decimal("12000"),
        steady.teammate.pk: Decimal("6000"),
    }
    assert found.total == Decimal("18000")
    assert (found.months_booked, found.months_forecast, found.months_missing) == (10, 2, 0)
    assert found.sentence == ""


@pytest.fixture
def today(monkeypatch):
    """Pin the date the planning year is read from (``timezone.localdate``)."""
    from django.utils import timezone

    def pin(day: datetime.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args: day)

    return pin


def test_months_past_the_forecast_horizon_are_counted_as_missing(steady, today):
    # In November 2026 the planning year is FY 2026: the forecast reaches 12 months only.
    # (November, not June: the sales run to October 2026, and the months from today's on
    # are never part of the history.)
    today(datetime.date(2026, 11, 15))
    territory_result(12)
    # FY 2027: January-October 2027 forecast, November and December beyond the horizon.
    found = period_forecast(Account.objects.filter(owner=steady.rep), Period(2027))
    assert found.by_account == {steady.mine.pk: Decimal("10000")}
    assert found.months_covered == 10
    assert found.months_missing == 2
    assert found.sentence == (
        "2 months of the period lie beyond the forecast's horizon and are not counted."
    )


def test_a_quarter_and_a_plan_span_read_only_their_months(steady):
    territory_result(12)
    q4 = period_forecast([steady.mine.pk], Period(2026, 4))
    assert q4.by_account[steady.mine.pk] == Decimal("3000")  # October booked + 2 forecast
    assert (q4.months_booked, q4.months_forecast) == (1, 2)
    span = Span(datetime.date(2026, 11, 1), datetime.date(2027, 10, 31))
    assert period_forecast([steady.mine.pk], span).total == Decimal("12000")


def test_without_the_forecast_only_booked_sales_count_and_it_says_so(steady):
    found = period_forecast(Account.objects.filter(owner=steady.rep).values("pk"), Period(2026))
    assert not found.available
    assert found.by_account == {steady.mine.pk: Decimal("10000")}
    assert found.sentence == (
        "The forecast is not computed yet: only the sales already booked in the period count."
    )


def test_run_rate_is_the_twelve_months_before_the_period(steady):
    ids = [steady.mine.pk, steady.teammate.pk, steady.theirs.pk]
    assert run_rate(ids, Period(2026)) == {
        steady.mine.pk: Decimal("12000"),
        steady.teammate.pk: Decimal("6000"),
    }
    # Before FY 2027: January-October 2026 only (nothing sold since).
    assert run_rate(ids, Period(2027))[steady.mine.pk] == Decimal("10000")
    assert run_rate(ids, Period(2026, 2))[steady.mine.pk] == Decimal("12000")


def test_one_query_for_the_booked_sales_whatever_the_number_of_accounts(
    steady, django_assert_num_queries
):
    territory_result(12)
    ids = [steady.mine.pk, steady.teammate.pk, steady.theirs.pk]
    with django_assert_num_queries(1):
        period_forecast(ids, Period(2026))


def test_by_product_line_booked_and_forecast_add_up_the_same(steady):
    from keyplan.salesplan.forecasting import line_forecast

    territory_result(12)
    cloud = ProductLine.objects.get(name="Cloud")
    found = line_forecast([steady.mine.pk, steady.teammate.pk], Period(2026))
    # Both accounts buy Cloud only: (10 + 2) × 1,000 + (10 + 2) × 500.
    assert found.by_account == {cloud.pk: Decimal("18000")}
    assert (found.booked[cloud.pk], found.forecast[cloud.pk]) == (
        Decimal("15000"),
        Decimal("3000"),
    )


def test_run_rate_before_next_year_is_twelve_booked_months(steady):
    """Planning FY 2027 in December 2026 with the forecast starting in November: “last
    12 months” are November 2025 to October 2026, twelve booked months — not January to
    December 2026, two of which have no sales yet."""
    from types import SimpleNamespace

    forecast = SimpleNamespace(months=[datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)])
    ids = [steady.mine.pk]
    assert run_rate(ids, Period(2027), result=forecast)[steady.mine.pk] == Decimal("12000")
    # A year already begun or past is unchanged: the twelve months before it.
    assert run_rate(ids, Period(2026), result=forecast)[steady.mine.pk] == Decimal("12000")


def test_planning_next_year_the_forecast_reaches_its_last_month(steady, today):
    """Issue 16: in December 2026 the planning year is FY 2027 (January-December 2027) and
    the sales end in October 2026, so the year ends 14 months after them. The background
    forecast reaches it: all 12 months of FY 2027 at 1,000 a month, nothing missing, no
    caveat; the account pages keep their 12 months (November 2026 to October 2027)."""
    from keyplan.forecast.selectors import account_forecast, cached_result, period_result
    from keyplan.salesplan.forecasting import line_forecast

    today(datetime.date(2026, 12, 6))
    territory_result(12)
    found = period_forecast(Account.objects.filter(owner=steady.rep), Period(2027))
    assert found.by_account == {steady.mine.pk: Decimal("12000")}
    assert (found.months_booked, found.months_forecast, found.months_missing) == (0, 12, 0)
    assert found.sentence == ""
    # The last quarter, November and December 2027: beyond the first 12 months.
    q4 = period_forecast([steady.mine.pk, steady.teammate.pk], Period(2027, 4))
    assert q4.by_account == {steady.mine.pk: Decimal("3000"), steady.teammate.pk: Decimal("1500")}
    cloud = ProductLine.objects.get(name="Cloud")
    assert line_forecast([steady.mine.pk], Period(2027)).by_account == {cloud.pk: Decimal("12000")}
    # What a page reads for the account: 12 months, the same as a 12-month forecast.
    shown = cached_result(12)
    assert [m.isoformat()[:7] for m in (shown.months[0], shown.months[-1])] == [
        "2026-11",
        "2027-10",
    ]
    assert len(period_result().months) == 14
    detail = account_forecast(account=steady.mine, horizon=12, compute=False)
    assert len(detail.forecast.months) == 12
    assert detail.forecast.expected == Decimal("12000")


def test_a_period_beyond_what_was_computed_still_says_so(steady, today):
    today(datetime.date(2026, 12, 6))
    territory_result(12)
    # FY 2028 lies beyond the planning year: nothing of it was forecast.
    found = period_forecast([steady.mine.pk], Period(2028))
    assert (found.months_forecast, found.months_missing) == (0, 12)
    assert found.sentence == (
        "12 months of the period lie beyond the forecast's horizon and are not counted."
    )


def test_the_first_months_of_a_longer_forecast_are_the_forecast_over_fewer(steady):
    """The account pages' 12 months cut from the 14-month run are the figures a 12-month
    run gives: months, per-series values and each account's band."""
    import numpy as np

    from keyplan.forecast.engine import account_view, first_months, run
    from keyplan.forecast.series import read_panel

    panel = read_panel()
    twelve, cut = run(panel, 12), first_months(run(panel, 14), 12)
    assert cut.months == twelve.months
    assert np.array_equal(cut.expected, twelve.expected)
    a, b = account_view(cut), account_view(twelve)
    for name in ("ids", "months", "low", "high", "month_low", "month_high"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_the_reach_is_the_planning_years_end_from_the_last_month_of_sales():
    from keyplan.forecast.selectors import reach

    october = datetime.date(2026, 10, 1)
    assert reach(october, datetime.date(2026, 12, 6)) == 14  # FY 2027 ends December 2027
    assert reach(october, datetime.date(2026, 11, 30)) == 12  # FY 2026: 2 months; at least 12
    assert reach(datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)) == 13
    assert reach(datetime.date(2020, 1, 1), datetime.date(2026, 12, 6)) == 36  # at most 36
    assert reach(None) == 12

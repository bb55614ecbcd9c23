"""The sales period: fiscal years from the configured first month, and their quarters."""

import datetime

import pytest

from keyplan.salesplan.periods import Period, parse_period

d = datetime.date


def test_calendar_fiscal_year_by_default():
    year = Period.containing(d(2026, 7, 15))
    assert (year.name, year.start, year.end) == ("FY 2026", d(2026, 1, 1), d(2026, 12, 31))
    q = Period.containing(d(2026, 7, 15), quarter=True)
    assert (q.name, q.start, q.end) == ("Q3 FY 2026", d(2026, 7, 1), d(2026, 9, 30))
    assert q.previous == Period(2026, 2) and Period(2026, 1).previous == Period(2025, 4)
    assert year.months == "January – December 2026"


def test_fiscal_year_starting_in_april_is_named_by_the_year_it_ends(settings):
    settings.KEYPLAN_FISCAL_YEAR_START_MONTH = 4
    year = Period.containing(d(2026, 4, 1))
    assert (year.name, year.start, year.end) == ("FY 2027", d(2026, 4, 1), d(2027, 3, 31))
    assert Period.containing(d(2026, 3, 31)).name == "FY 2026"
    q4 = Period(2027, 4)
    assert (q4.start, q4.end) == (d(2027, 1, 1), d(2027, 3, 31))
    assert year.months == "April 2026 – March 2027"


def test_periods_as_people_write_them():
    assert parse_period("FY 2026") == Period(2026)
    assert parse_period("2026") == Period(2026)
    assert parse_period("Q3 FY2026") == Period(2026, 3)
    assert parse_period("2026-Q3") == Period(2026, 3)
    with pytest.raises(ValueError, match="is not a period"):
        parse_period("Q5 2026")
    with pytest.raises(ValueError, match="is not a period"):
        parse_period("next year")


def test_the_pages_open_on_next_year_in_the_last_month_of_this_one(settings):
    import datetime

    from keyplan.salesplan.periods import Period, planning_year

    settings.KEYPLAN_FISCAL_YEAR_START_MONTH = 1
    assert planning_year(datetime.date(2026, 11, 30)) == Period(2026)
    assert planning_year(datetime.date(2026, 12, 1)) == Period(2027)
    settings.KEYPLAN_FISCAL_YEAR_START_MONTH = 4  # FY 2027: April 2026 - March 2027
    assert planning_year(datetime.date(2027, 2, 28)) == Period(2027)
    assert planning_year(datetime.date(2027, 3, 5)) == Period(2028)

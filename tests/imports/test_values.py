"""Numbers and dates as exports write them: parsed leniently, never silently wrong."""

import datetime
from decimal import Decimal

import pytest

from keyplan.imports.values import parse_bool, parse_date, parse_decimal, parse_int


@pytest.mark.parametrize(
    "text,value",
    [
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("$1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("€ 1.234.567,8", "1234567.8"),
        ("(12.50)", "-12.50"),
        ("12.50-", "-12.50"),
        ("-7", "-7"),
        ("1,5", "1.5"),
        ("1,234", "1234"),
        ("1,234,567", "1234567"),
        ("5.0E9", "5000000000"),
    ],
)
def test_numbers(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "1,23,4", "1.2.3", "$", "NaN", "Infinity", "--"])
def test_not_numbers_are_refused_with_the_value_named(text):
    with pytest.raises(ValueError, match="is not a number"):
        parse_decimal(text)


def test_whole_numbers():
    assert parse_int("1,200") == 1200
    with pytest.raises(ValueError, match="not a whole number"):
        parse_int("12.5")


@pytest.mark.parametrize(
    "text,fmt,day",
    [
        ("2025-03-01", None, datetime.date(2025, 3, 1)),
        ("2025-03-01T10:00:00.000Z", None, datetime.date(2025, 3, 1)),
        ("13/1/2017", None, datetime.date(2017, 1, 13)),
        ("1/13/2017", None, datetime.date(2017, 1, 13)),
        ("3/1/2017", "dmy", datetime.date(2017, 1, 3)),
        ("3/1/2017", "mdy", datetime.date(2017, 3, 1)),
        ("31.12.2024", None, datetime.date(2024, 12, 31)),
        ("05/05/2020", None, datetime.date(2020, 5, 5)),
    ],
)
def test_dates(text, fmt, day):
    assert parse_date(text, fmt) == day


def test_ambiguous_and_impossible_dates_are_refused():
    with pytest.raises(ValueError, match="ambiguous.*--date-format"):
        parse_date("3/1/2017")
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2/30/2020")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("yesterday")


def test_booleans():
    assert parse_bool("Yes") is True and parse_bool("0") is False
    with pytest.raises(ValueError, match="not yes/no"):
        parse_bool("perhaps")

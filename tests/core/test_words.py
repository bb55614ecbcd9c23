"""Values in words: amounts with thousands separators and the currency, dates in the
installation's one format, people as a list of full names, "—" for nothing."""

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.test import override_settings

from keyplan.core import words


def test_an_amount_has_thousands_separators_and_the_currency():
    assert words.amount(Decimal("4230000")) == "4,230,000 USD"
    assert words.amount("130586.04") == "130,586.04 USD"
    assert words.amount("1000000.00") == "1,000,000 USD"
    with override_settings(KEYPLAN_CURRENCY="EUR"):
        assert words.amount("950") == "950 EUR"


def test_a_date_is_written_the_installation_s_way_whether_a_date_or_recorded_text():
    assert words.day(datetime.date(2027, 3, 1)) == "2027-03-01"
    assert words.day("2027-03-01") == "2027-03-01"
    # the same format a template's |date and django-tables2's date columns use
    rendered = Template("{{ d|date }} {{ d|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"d": datetime.date(2027, 3, 1)})
    )
    assert rendered == "2027-03-01 2027-03-01"


def test_a_list_of_people_reads_as_names_and_nothing_as_a_dash():
    assert words.names(["Amir Becker", "Jana Castro"]) == "Amir Becker, Jana Castro"
    assert words.names([]) == "—"
    assert words.amount(None) == "—" and words.day("") == "—" and words.number(None) == "—"


def test_counts_are_singular_or_plural():
    assert words.plural(1, "case") == "1 case"
    assert words.plural(3, "case") == "3 cases"
    assert words.plural(2, "person", "people") == "2 people"
    assert words.number(1234567.5) == "1,234,567.5"


def test_a_shortened_text_ends_after_a_whole_word_with_an_ellipsis():
    assert words.shortened("Short enough", 80) == "Short enough"
    cut = words.shortened("Win the proof of value, then expand it", 24)
    assert cut == "Win the proof of value…"
    assert words.shortened("Win the proof", 13) == "Win the proof"


def test_a_lean_says_under_or_over_in_words_not_a_sign():
    # A forecast total 16% below what was sold read "-16.0%", like a fall in sales.
    assert words.lean(-0.16) == "16.0% under"
    assert words.lean(0.1234) == "12.3% over"
    assert words.lean(-0.0004) == "0.0% under"
    assert words.lean(None) == "—"

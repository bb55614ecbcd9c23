"""The rule every export follows for text a spreadsheet would run as a formula."""

import pytest

from keyplan.core.cells import csv_cell, csv_unescape


@pytest.mark.parametrize(
    "text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tTAB", "\rCR", "-", "'=x", "''@x"]
)
def test_formula_like_text_gets_an_apostrophe_and_reads_back_as_it_was(text):
    written = csv_cell(text)
    assert written == "'" + text
    assert csv_unescape(written) == text


@pytest.mark.parametrize("value", ["-1200.50", "+3", "-1e3", "Acme", "'quoted", "", 12, None])
def test_numbers_and_plain_text_are_written_as_they_are(value):
    assert csv_cell(value) == value
    if isinstance(value, str):
        assert csv_unescape(value) == value

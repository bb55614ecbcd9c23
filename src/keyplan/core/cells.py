"""Cells written to files that people open in a spreadsheet (exports, rejects files).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(and some treat a leading tab or carriage return the same way), so an account named
``=HYPERLINK("http://evil…")`` would become a live link, or worse, in the reader's Excel.
keyplan writes such text so that it stays text:

- in CSV, with a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets show as the
  text that follows; the importer removes that apostrophe again (``csv_unescape``), so an
  export imports back unchanged;
- in .xlsx, as a string cell (never a formula) marked "quote prefix", with the text as it is.

A number is not text: ``-1200.50`` (a credit note) stays a number. A value that already
starts with apostrophes before such a character gets one more, so that the importer's
single removal gives back exactly what was stored.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# Text openpyxl would otherwise store as an error value instead of a string.
_XLSX_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


def needs_quote(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula (or is it an escaped one)?"""
    return bool(_NEEDS_QUOTE.match(text)) and not _NUMBER.fullmatch(text)


def csv_cell(value):
    """``value`` as it is safe to write into a CSV cell."""
    if isinstance(value, str) and value and needs_quote(value):
        return "'" + value
    return value


def csv_row(row) -> list:
    return [csv_cell(v) for v in row]


def csv_unescape(text: str) -> str:
    """The value ``csv_cell`` escaped, from the cell read back; anything else as it is."""
    if text[:1] == "'" and needs_quote(text[1:]):
        return text[1:]
    return text


def xlsx_row(sheet, row) -> list:
    """``row`` for ``sheet.append`` on a write-only sheet: text that looks like a formula
    (or an error value) becomes a string cell that Excel keeps as text when edited."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in row:
        if isinstance(value, str) and value and (needs_quote(value) or value in _XLSX_ERRORS):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            cell.quotePrefix = True
            out.append(cell)
        else:
            out.append(value)
    return out

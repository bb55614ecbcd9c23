"""The plan as an Excel workbook: one sheet per part, with real numbers (amounts,
percentages, ratios, hours) and real dates in their number formats, so a finance
colleague can add up and filter; text that a spreadsheet would run as a formula (an
account named ``=HYPERLINK(…)``) stays text, as in keyplan's other exports
(``keyplan.core.cells``)."""

import datetime
import io
from decimal import Decimal

from django.conf import settings

from keyplan.core.cells import needs_quote
from keyplan.outputs import tables
from keyplan.outputs.content import PlanDocument, plain

# Text openpyxl would otherwise store as an error value instead of a string.
_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


def number_formats() -> dict:
    currency = settings.KEYPLAN_CURRENCY
    return {
        tables.AMOUNT: f'#,##0.00 "{currency}"',
        tables.ESTIMATE: f'#,##0 "{currency}"',  # the exact value, shown to the unit
        tables.DATE: "yyyy-mm-dd",  # the installation's one date format (formats/en)
        tables.PERCENT: "0%",
        tables.RATIO: '0.00"x"',
        tables.NUMBER: "#,##0.00",
        tables.HOURS: '#,##0.0 "h"',
    }


def _put(sheet, row: int, col: int, value, kind: str, formats: dict):
    if isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None)
    elif isinstance(value, str):
        value = plain(value)
        # Excel's limit for one cell; longer text would make the file unreadable.
        value = value[:32_000]
    cell = sheet.cell(row=row, column=col, value=value if value != "" else None)
    if isinstance(value, str) and value and (needs_quote(value) or value in _ERRORS):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    if kind in formats and value is not None and not isinstance(value, str):
        whole = kind == tables.NUMBER and float(value).is_integer()
        # "#,##0.##" leaves a dangling point on whole numbers ("3."): counts get "#,##0".
        cell.number_format = "#,##0" if whole else formats[kind]
    if isinstance(value, str) and ("\n" in value or len(value) > 60):
        from openpyxl.styles import Alignment

        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _sheet(book, t: tables.Table, formats: dict):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(t.key[:31])
    cols = [c for c in t.columns if c.name != "kind"]
    per_row_kind = len(cols) < len(t.columns)
    for j, col in enumerate(cols, start=1):
        cell = sheet.cell(row=1, column=j, value=col.name)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(j)].width = col.width
    for i, row in enumerate(t.rows, start=2):
        if per_row_kind:
            _put(sheet, i, 1, row[0], tables.TEXT, formats)
            _put(sheet, i, 2, row[1], row[2] or tables.TEXT, formats)
        else:
            for j, (value, col) in enumerate(zip(row, cols, strict=True), start=1):
                _put(sheet, i, j, value, col.kind, formats)
    sheet.freeze_panes = "A2"
    if t.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(t.rows) + 1}"
    return sheet


def workbook_of(parts: list[tables.Table], *, title: str, creator: str) -> bytes:
    """A workbook of one sheet per table (any document's: a plan's, a territory plan's)."""
    import openpyxl

    formats = number_formats()
    book = openpyxl.Workbook()
    book.remove(book.active)
    for t in parts:
        _sheet(book, t, formats)
    book.properties.title = title[:255]
    book.properties.creator = str(creator)[:255]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(doc: PlanDocument) -> bytes:
    return workbook_of(tables.all_tables(doc), title=doc.title, creator=doc.generated_by)

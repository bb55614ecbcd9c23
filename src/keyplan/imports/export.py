"""Export any kind in its canonical import columns (CSV, Excel or JSON), so that
exporting and importing again reports everything unchanged. Exports go through the same
visibility rule as pages: a user exports only what they may see.

Text that a spreadsheet would run as a formula is written as text (see
``keyplan.core.cells``); in .xlsx, numeric and date columns are number and date cells.
JSON is data for programs and is written as it is."""

import csv
import datetime
import json
from decimal import Decimal, InvalidOperation

from keyplan.core.cells import csv_row, xlsx_row
from keyplan.imports.kinds import KINDS


def export_queryset(kind: str, user=None):
    model = KINDS[kind].model
    if kind in ("products", "users"):
        return model.objects.all()
    if user is None:  # the command line: the operator of the installation
        return model.objects.all()
    return model.objects.visible_to(user)


def export_rows(kind: str, user=None):
    handler = KINDS[kind].__new__(KINDS[kind])  # export needs no import state
    return KINDS[kind].export_fields, handler.export_rows(export_queryset(kind, user))


def write_csv(kind: str, stream, user=None) -> int:
    header, rows = export_rows(kind, user)
    writer = csv.writer(stream)
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow(csv_row(row))
        n += 1
    return n


def write_json(kind: str, stream, user=None) -> int:
    header, rows = export_rows(kind, user)
    stream.write("[")
    n = 0
    for row in rows:
        stream.write(("," if n else "") + "\n" + json.dumps(dict(zip(header, row, strict=True))))
        n += 1
    stream.write("\n]\n")
    return n


# Columns a spreadsheet should add up or sort by date: written to .xlsx as numbers and
# dates, not as text that looks like them (Excel flags those and will not sum them).
NUMBER_FIELDS = frozenset(
    {"employees", "annual_revenue", "list_price", "amount", "quantity", "probability"}
)
DATE_FIELDS = frozenset({"date", "created_date", "close_date"})


def _typed(field: str, value):
    if not isinstance(value, str) or not value:
        return value
    try:
        if field in NUMBER_FIELDS:
            number = Decimal(value)
            return number if number.is_finite() else value
        if field in DATE_FIELDS and len(value) == 10:
            return datetime.date.fromisoformat(value)
    except (InvalidOperation, ValueError):
        pass
    return value


def write_xlsx(kind: str, path, user=None) -> int:
    import openpyxl

    header, rows = export_rows(kind, user)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind)
    sheet.append(list(header))
    n = 0
    for row in rows:
        typed = [_typed(field, value) for field, value in zip(header, row, strict=True)]
        sheet.append(xlsx_row(sheet, typed))
        n += 1
    book.save(path)
    return n

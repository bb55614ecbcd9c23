"""Reading rows from files as they come out of CRMs, ERPs and spreadsheets.

A source yields ``(row_number, values)`` where ``row_number`` is the line a user sees in
a spreadsheet (the header is row 1) and ``values`` a list of strings, streaming: a file is
never held in memory whole. ``progress()`` says how much of the file has been read (0-1).
"""

import codecs
import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from keyplan.imports.wording import advice

SAMPLE = 64 * 1024
DELIMITERS = ",;\t|"


class SourceError(Exception):
    """The file is not something keyplan can read; the message is one sentence for the user."""


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and counts the bytes read, for progress on streamed text."""

    def __init__(self, raw):
        self.raw = raw
        self.count = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        # UTF-16 without a BOM shows as every other byte being zero in ASCII text.
        zeros_even = sample[0::2].count(0)
        zeros_odd = sample[1::2].count(0)
        if zeros_odd > len(sample) // 4 and zeros_even == 0:
            return "utf-16-le"
        if zeros_even > len(sample) // 4 and zeros_odd == 0:
            return "utf-16-be"
        raise SourceError("The file is binary, not a CSV or Excel file.")
    try:
        # A multi-byte character may be cut at the end of the sample: ignore a tail.
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return "utf-8"
        return "cp1252"


class CsvSource:
    def __init__(self, path: Path, *, encoding: str | None = None, delimiter: str | None = None):
        self.path = Path(path)
        self.size = max(os.path.getsize(self.path), 1)
        with open(self.path, "rb") as fh:
            sample = fh.read(SAMPLE)
        if not sample.strip():
            raise SourceError(f"{self.path.name} is empty.")
        if sample.startswith(b"PK\x03\x04"):
            raise SourceError(f"{self.path.name} is an Excel/zip file, not a CSV; name it .xlsx.")
        self.encoding = encoding or detect_encoding(sample)
        try:
            text = sample.decode(self.encoding, errors="strict" if encoding else "replace")
        except (LookupError, UnicodeDecodeError) as exc:
            raise SourceError(
                f"{self.path.name} cannot be read as {self.encoding}: {exc}."
            ) from None
        first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
        self.delimiter = delimiter or self._sniff(text, first_line)
        self._counter = None

    @staticmethod
    def _sniff(text: str, first_line: str) -> str:
        try:
            return csv.Sniffer().sniff(text[: SAMPLE // 2], delimiters=DELIMITERS).delimiter
        except csv.Error:
            counts = {d: first_line.count(d) for d in DELIMITERS}
            best = max(counts, key=counts.get)
            return best if counts[best] else ","

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        raw = open(self.path, "rb")  # noqa: SIM115 - closed in finally
        try:
            self._counter = _CountingReader(raw)
            buffered = io.BufferedReader(self._counter, buffer_size=1 << 20)
            text = io.TextIOWrapper(buffered, encoding=self.encoding, newline="", errors="strict")
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                # Rows are numbered as a spreadsheet shows them (header = 1), which is
                # not the line number when a quoted cell spans several lines.
                yield from enumerate(reader, start=1)
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"{self.path.name} is not valid {self.encoding} near byte "
                    f"{self._counter.count}: " + advice("encoding")
                ) from exc
            except csv.Error as exc:
                raise SourceError(f"{self.path.name}, line {reader.line_num}: {exc}.") from exc
        finally:
            raw.close()

    def progress(self) -> float:
        return min(self._counter.count / self.size, 1.0) if self._counter else 0.0


class XlsxSource:
    """The first sheet (or a named one) of an .xlsx workbook, read in streaming mode."""

    # Its numbers are numbers, written with a decimal point whatever the workbook's
    # locale: a text cell's decimal comma says nothing about them.
    typed_numbers = True

    def __init__(self, path: Path, *, sheet: str | None = None):
        self.path = Path(path)
        self.sheet_name = sheet
        book = self._open()
        try:
            sheet_obj = self._sheet(book)
            self.total = max(sheet_obj.max_row or 1, 1)
        finally:
            book.close()
        self._done = 0

    def _open(self):
        import openpyxl

        try:
            return openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError, ...
            raise SourceError(
                f"{self.path.name} is not a readable .xlsx workbook ({exc})."
            ) from None

    def _sheet(self, book):
        if self.sheet_name:
            if self.sheet_name not in book.sheetnames:
                raise SourceError(
                    f"{self.path.name} has no sheet “{self.sheet_name}”; it has: "
                    + ", ".join(book.sheetnames)
                )
            return book[self.sheet_name]
        return book.worksheets[0]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        book = self._open()
        try:
            for number, values in enumerate(self._sheet(book).iter_rows(values_only=True), 1):
                self._done = number
                yield number, [_cell_text(v) for v in values]
        finally:
            book.close()

    def progress(self) -> float:
        return min(self._done / self.total, 1.0)


def _cell_text(value) -> str:
    import datetime

    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def open_source(path, *, encoding: str | None = None, sheet: str | None = None):
    path = Path(path)
    if not path.exists():
        raise SourceError(f"There is no file {path}.")
    if path.is_dir():
        raise SourceError(f"{path} is a folder, not a file.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return XlsxSource(path, sheet=sheet)
    if path.suffix.lower() == ".xls":
        raise SourceError(f"{path.name} is an old .xls workbook: save it as .xlsx or CSV.")
    return CsvSource(path, encoding=encoding)

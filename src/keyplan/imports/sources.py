"""Reading rows from files as they come out of CRMs, ERPs and spreadsheets.

A source yields ``(row_number, values)`` where ``row_number`` is the line a user sees in
a spreadsheet (the header is row 1) and ``values`` a list of strings, streaming: a file is
never held in memory whole. ``progress()`` says how much of the file has been read (0-1).
"""

import csv
import io
import itertools
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

from keyplan.imports.decoding import EncodingError, VerifiedReader, detect_encoding
from keyplan.imports.limits import Limits, import_limits, shorten_middle, size_words
from keyplan.imports.wording import advice

SAMPLE = 64 * 1024
DELIMITERS = ",;\t|"


class SourceError(Exception):
    """The file is not something keyplan can read; the message is one sentence for the user."""

    def __init__(self, message: str):
        super().__init__(shorten_middle(message))


class CsvSource:
    def __init__(
        self,
        path: Path,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        name: str | None = None,
    ):
        self.path = Path(path)
        self.name = name or self.path.name
        self.size = max(os.path.getsize(self.path), 1)
        self.limits = import_limits()
        with open(self.path, "rb") as fh:
            sample = fh.read(SAMPLE)
        if not sample.strip():
            raise SourceError(f"{self.name} is empty.")
        if sample.startswith(b"PK\x03\x04"):
            raise SourceError(f"{self.name} is an Excel/zip file, not a CSV; name it .xlsx.")
        try:
            self.encoding = encoding or detect_encoding(sample)
        except EncodingError as exc:
            raise SourceError(str(exc)) from None
        # A Windows-1252 guess is refused where the file turns out to hold UTF-8; an
        # encoding the user named is taken at their word.
        self._refuse_utf8 = not encoding and self.encoding == "cp1252"
        try:
            text = sample.decode(self.encoding, errors="strict" if encoding else "replace")
        except (LookupError, UnicodeDecodeError) as exc:
            raise SourceError(f"{self.name} cannot be read as {self.encoding}: {exc}.") from None
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
        # The csv module stops a cell at its own limit (131,072 characters by default)
        # before holding it whole; raise that limit if keyplan's is higher, never lower it
        # (it is shared by the whole process).
        if csv.field_size_limit() < self.limits.cell_chars:
            csv.field_size_limit(self.limits.cell_chars)
        raw = open(self.path, "rb")  # noqa: SIM115 - closed in finally
        try:
            self._counter = VerifiedReader(
                raw,
                encoding=self.encoding,
                file_name=self.name,
                refuse_utf8=self._refuse_utf8,
            )
            buffered = io.BufferedReader(self._counter, buffer_size=1 << 20)
            text = io.TextIOWrapper(buffered, encoding=self.encoding, newline="", errors="strict")
            reader = csv.reader(text, delimiter=self.delimiter)
            # Rows are numbered as a spreadsheet shows them (header = 1), which is not the
            # line number when a quoted cell spans several lines. zip() takes a number
            # before it reads the row, so the row that fails to read is the last number.
            numbers = itertools.count(1)
            try:
                yield from zip(numbers, reader, strict=False)
            except EncodingError as exc:
                raise SourceError(str(exc)) from None
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"{self.name} is not valid {self.encoding} near byte "
                    f"{self._counter.count:,}: " + advice("encoding")
                ) from exc
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise SourceError(
                        _cell_too_long(self.name, next(numbers) - 1, self.limits)
                    ) from None
                raise SourceError(f"{self.name}, line {reader.line_num:,}: {exc}.") from exc
        finally:
            raw.close()

    def progress(self) -> float:
        return min(self._counter.count / self.size, 1.0) if self._counter else 0.0


class XlsxSource:
    """The first sheet (or a named one) of an .xlsx workbook, read in streaming mode.

    The sheet's stated size (its ``<dimension>``) is not trusted: a workbook written by
    another program may understate it, and every row is read to the end of the sheet."""

    # Its numbers are numbers, written with a decimal point whatever the workbook's
    # locale: a text cell's decimal comma says nothing about them.
    typed_numbers = True
    # Its text cells hold text as it is: a leading apostrophe is part of the text (Excel
    # keeps a formula-like text cell as text with its quote prefix, not an apostrophe).
    typed_text = True

    def __init__(self, path: Path, *, sheet: str | None = None, name: str | None = None):
        self.path = Path(path)
        self.name = name or self.path.name
        self.sheet_name = sheet
        self.limits = import_limits()
        self._check_zip()
        book = self._open()
        try:
            sheet_obj = self._sheet(book)
            # For progress only: the stated size may be wrong either way.
            self.total = max(sheet_obj.max_row or 1, 1)
        finally:
            book.close()
        self._done = 0

    def _check_zip(self) -> None:
        """Refuse a zip bomb from the zip's directory, before anything is inflated. The
        sizes it states can be trusted as a ceiling: Python's zipfile never inflates an
        entry past its stated size (it fails the entry's checksum instead)."""
        try:
            with zipfile.ZipFile(self.path) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise SourceError(f"{self.name} is not a readable .xlsx workbook ({exc}).") from None
        name = self.name
        if len(infos) > self.limits.zip_entries:
            raise SourceError(
                f"{name} holds {len(infos):,} files inside, more than the limit of "
                f"{self.limits.zip_entries:,} (setting KEYPLAN_IMPORT_MAX_ZIP_ENTRIES)."
            )
        unzipped = sum(info.file_size for info in infos)
        if unzipped > self.limits.unzipped_bytes:
            raise SourceError(
                f"{name} unpacks to {size_words(unzipped)}, more than the limit of "
                f"{size_words(self.limits.unzipped_bytes)} "
                "(setting KEYPLAN_IMPORT_MAX_UNZIPPED_BYTES)."
            )

    def _open(self):
        import openpyxl

        try:
            return openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError, ...
            raise SourceError(f"{self.name} is not a readable .xlsx workbook ({exc}).") from None

    def _sheet(self, book):
        if self.sheet_name:
            if self.sheet_name not in book.sheetnames:
                raise SourceError(
                    f"{self.name} has no sheet “{self.sheet_name}”; it has: "
                    + ", ".join(book.sheetnames)
                )
            return book[self.sheet_name]
        return book.worksheets[0]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        book = self._open()
        try:
            sheet = self._sheet(book)
            sheet.reset_dimensions()
            try:
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                    self._done = number
                    yield number, [_cell_text(v) for v in values]
            except Exception as exc:  # BadZipFile (an entry past its stated size), XML errors
                raise SourceError(
                    f"{self.name} is not a readable .xlsx workbook, after row "
                    f"{self._done:,} ({exc})."
                ) from None
        finally:
            book.close()

    def progress(self) -> float:
        return min(self._done / self.total, 0.99 if self._done > self.total else 1.0)


class Limited:
    """A source whose rows are checked against the limits of an import as they stream:
    rows, columns and cell length (the size of the file is checked on opening)."""

    def __init__(self, source):
        self.source = source
        self.limits = source.limits
        self.name = source.name

    def __getattr__(self, name):
        return getattr(self.source, name)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        limits = self.limits
        max_rows, max_columns, max_chars = limits.rows, limits.columns, limits.cell_chars
        for number, values in self.source.rows():
            # One cheap test per row (a million rows pass through here); the reason after.
            if (
                number > max_rows
                or len(values) > max_columns
                or (values and max(map(len, values)) > max_chars)
            ):
                values = self._check(number, values)
            yield number, values

    def _check(self, number: int, values: list[str]) -> list[str]:
        limits = self.limits
        if number > limits.rows:
            raise SourceError(
                f"{self.name} has more than {limits.rows:,} rows, the limit "
                "(setting KEYPLAN_IMPORT_MAX_ROWS)."
            )
        if len(values) > limits.columns:
            while values and values[-1] == "":
                values.pop()  # empty cells at the end of a row are not columns
            if len(values) > limits.columns:
                raise SourceError(
                    f"{self.name}, row {number:,}: {len(values):,} columns, more than the "
                    f"limit of {limits.columns:,} (setting KEYPLAN_IMPORT_MAX_COLUMNS)."
                )
        if values and max(map(len, values)) > limits.cell_chars:
            raise SourceError(_cell_too_long(self.name, number, limits))
        return values


def _cell_too_long(name: str, number: int, limits: Limits) -> str:
    return (
        f"{name}, row {number:,}: a cell is longer than {limits.cell_chars:,} characters, "
        "the limit (setting KEYPLAN_IMPORT_MAX_CELL_CHARS)."
    )


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


def open_source(
    path, *, encoding: str | None = None, sheet: str | None = None, name: str | None = None
):
    """The rows of the file at ``path``; ``name`` is the file's name in messages (an
    upload is stored under another name than the user's)."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"There is no file {path}.")
    if path.is_dir():
        raise SourceError(f"{path} is a folder, not a file.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return Limited(XlsxSource(path, sheet=sheet, name=name))
    if path.suffix.lower() == ".xls":
        raise SourceError(f"{name or path.name} is an old .xls workbook: save it as .xlsx or CSV.")
    return Limited(CsvSource(path, encoding=encoding, name=name))

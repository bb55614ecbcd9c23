"""Advice in import messages names what the reader can act on where they are: a flag on
the command line, a setting of the page on the web, a field of the request in the API.

Messages are built deep in the engine (a date parser, a CSV reader), so the audience is
set once around a run — ``with audience(WEB): ...`` — rather than passed down. The
command line is the default, so ``keyplan import`` needs nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

COMMAND_LINE = "command line"
WEB = "web"
API = "api"

_audience: ContextVar[str] = ContextVar("keyplan_import_audience", default=COMMAND_LINE)

ADVICE = {
    # After "it has no column for FIELD, ... (its columns are: ...)."
    "map": {
        COMMAND_LINE: "Map those fields to columns of the file (on the command line: "
        "--map FIELD=COLUMN).",
        WEB: "Choose the column that holds each of them in the mapping table.",
        API: "Name the column that holds each of them in the request's mapping "
        '(e.g. {"name": "Company"}).',
    },
    # After "“3/1/2017” is ambiguous (day/month or month/day?); "
    "date_format": {
        COMMAND_LINE: "say which with --date-format dmy or mdy",
        WEB: "say which under “Dates” when you map the columns",
        API: "say which with the request's date_format (dmy or mdy)",
    },
    # After "FILE is not valid ENCODING near byte N: "
    "encoding": {
        COMMAND_LINE: "give the right one with --encoding.",
        WEB: "save it as a UTF-8 CSV or an Excel workbook (.xlsx) and upload it again.",
        API: "save it as a UTF-8 CSV or an Excel workbook (.xlsx) and send it again.",
    },
    # After "FILE mixes encodings: at byte N (line L) ...; "
    "mixed_encoding": {
        COMMAND_LINE: "no single --encoding reads it: fix that line, or save the whole file "
        "again as UTF-8.",
        WEB: "fix that line, or save the whole file again as a UTF-8 CSV, and upload it again.",
        API: "fix that line, or save the whole file again as a UTF-8 CSV, and send it again.",
    },
}


def advice(name: str) -> str:
    return ADVICE[name][_audience.get()]


@contextmanager
def audience(who: str):
    """Word the messages of what runs inside for ``who`` (WEB, API or COMMAND_LINE)."""
    if who not in (COMMAND_LINE, WEB, API):
        raise ValueError(f"unknown audience {who!r}")
    token = _audience.set(who)
    try:
        yield
    finally:
        _audience.reset(token)

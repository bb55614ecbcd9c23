"""Limits that keep a hostile or broken file from hurting the server, and the short words
that name them.

Every limit is a setting read from the environment (``KEYPLAN_IMPORT_*``, see README,
"Limits of an import"); a refusal is one sentence naming the limit and its setting, so an
administrator who must import a bigger file knows what to change. Limits are read when a
file is opened, not at import time, so tests and a settings change take effect at once.
"""

from dataclasses import dataclass

from django.conf import settings

# A value quoted in a message is cut here; a whole message (a list of columns, say) too.
VALUE_SHOWN = 200
MESSAGE_SHOWN = 1000
COLUMNS_NAMED = 50  # columns of a file listed in a message


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    unzipped_bytes: int
    zip_entries: int
    cell_chars: int
    columns: int
    rows: int
    invalid_first_rows: int


def import_limits() -> Limits:
    return Limits(
        upload_bytes=settings.KEYPLAN_IMPORT_MAX_UPLOAD_BYTES,
        unzipped_bytes=settings.KEYPLAN_IMPORT_MAX_UNZIPPED_BYTES,
        zip_entries=settings.KEYPLAN_IMPORT_MAX_ZIP_ENTRIES,
        cell_chars=settings.KEYPLAN_IMPORT_MAX_CELL_CHARS,
        columns=settings.KEYPLAN_IMPORT_MAX_COLUMNS,
        rows=settings.KEYPLAN_IMPORT_MAX_ROWS,
        invalid_first_rows=settings.KEYPLAN_IMPORT_STOP_AFTER_INVALID_ROWS,
    )


def shorten(text: str, limit: int = VALUE_SHOWN) -> str:
    """``text`` cut to ``limit`` characters with "…" (a value quoted in a message)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten_middle(text: str, limit: int = MESSAGE_SHOWN) -> str:
    """A whole message cut in its middle, so that its start (what is wrong) and its end
    (what to do) both stay."""
    text = str(text)
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return text[:half] + " … " + text[-half:]


def column_list(headers: list[str]) -> str:
    """The columns of a file for a message: the first few, each cut, and how many more."""
    named = [h for h in headers if h]
    shown = ", ".join(shorten(h, 60) for h in named[:COLUMNS_NAMED])
    if len(named) > COLUMNS_NAMED:
        shown += f" and {len(named) - COLUMNS_NAMED:,} more"
    return shown


def size_words(n: int) -> str:
    """A number of bytes as a person says it: 512 bytes, 3.2 KB, 256 MB, 1 GB."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            value = n / factor
            if value >= 10 or value.is_integer():
                return f"{value:,.0f} {unit}"
            return f"{value:.1f} {unit}"
    return f"{n:,} bytes"

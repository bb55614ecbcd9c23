"""Lenient, never silently wrong, parsing of the values found in CRM and ERP exports.

Each parser takes the raw text of one cell and returns a Python value, or raises
``ValueError`` with a sentence that says what is wrong with *that* value. Empty text
means "no value" and is handled by the caller (required or not).
"""

import datetime
import re
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

from keyplan.imports.limits import shorten
from keyplan.imports.wording import advice

_CURRENCY = re.compile(r"[\s\u00a0'’$€£¥₹]|USD|EUR|GBP|CHF|JPY", re.IGNORECASE)
_TRUE = {"true", "yes", "y", "1", "x", "t", "wahr", "oui", "ja"}
_FALSE = {"false", "no", "n", "0", "f", "", "falsch", "non", "nein"}

DATE_FORMATS = {
    "iso": "%Y-%m-%d",
    "dmy": "%d/%m/%Y",
    "mdy": "%m/%d/%Y",
    "d.m.y": "%d.%m.%Y",
}


# The decimal mark of the file being imported, when its numbers show it ("," in
# ``1.234,56`` or ``999,90``; "." in ``1,234.56`` or ``12.50``): set by the import engine
# for one file, so that a lone ``5.000`` in a file of ``1.234,56`` amounts is five
# thousand, not five.
decimal_mark: ContextVar[str | None] = ContextVar("decimal_mark", default=None)


def decimal_evidence(text: str) -> str | None:
    """The decimal mark a number shows beyond doubt (``,`` or ``.``), or None: both
    separators (the last one is the decimal mark), or one separator followed by other than
    three digits."""
    s = _CURRENCY.sub("", text.strip()).strip("()-+")
    if not s or not s[0].isdigit() or not s[-1].isdigit():
        return None
    if not all(ch.isdigit() or ch in ".," for ch in s):
        return None
    if "." in s and "," in s:
        return "," if s.rfind(",") > s.rfind(".") else "."
    for mark in ",.":
        if s.count(mark) == 1 and len(s.split(mark)[1]) != 3:
            return mark
    return None


def parse_decimal(text: str) -> Decimal:
    """``1234.56``, ``1,234.56``, ``$1,234.56``, ``1.234,56``, ``1 234,56``, ``(12.50)``,
    ``-12``, ``1e3``. A lone separator followed by exactly three digits (``1,234`` or
    ``5.000``) is read by the file's decimal mark (``decimal_mark``) when its other
    numbers show it; otherwise ``1,234`` is a thousands separator and ``1.234`` a decimal
    point."""
    raw = text
    mark = decimal_mark.get()
    s = _CURRENCY.sub("", text.strip())
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.endswith("-"):
        negative, s = True, s[:-1]
    if not s:
        raise ValueError(f"“{shorten(raw)}” is not a number")
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        # The separator that comes last is the decimal one.
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif has_comma:
        parts = s.split(",")
        thousands = len(parts[-1]) == 3 and parts[0].lstrip("-") and mark != ","
        if len(parts) > 2 or (len(parts) == 2 and thousands):
            # 1,234 or 1,234,567: thousands separators.
            if not all(len(p) == 3 for p in parts[1:]):
                raise ValueError(f"“{shorten(raw)}” is not a number")
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif has_dot and mark == "," and len(s.split(".")[-1]) == 3 and s[0] != ".":
        # 5.000 in a file that writes 1.234,56: five thousand.
        parts = s.split(".")
        if not all(len(p) == 3 for p in parts[1:]):
            raise ValueError(f"“{raw}” is not a number")
        s = s.replace(".", "")
    elif has_dot and s.count(".") > 1:
        parts = s.split(".")
        if not all(len(p) == 3 for p in parts[1:]):
            raise ValueError(f"“{shorten(raw)}” is not a number")
        s = s.replace(".", "")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"“{shorten(raw)}” is not a number") from None
    if not value.is_finite():
        raise ValueError(f"“{shorten(raw)}” is not a number")
    return -value if negative else value


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValueError(f"“{shorten(text)}” is not a whole number")
    return int(value)


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"“{shorten(text)}” is not yes/no (use true/false, yes/no or 1/0)")


# The order of day and month in the file being imported, when one of its dates shows it
# ("dmy" for 31/12/2025, "mdy" for 12/31/2025): set by the import engine for one file,
# so that 03/05/2025 in a file that also has 11/30/2025 is read month first.
date_order: ContextVar[str | None] = ContextVar("date_order", default=None)

_NUMERIC_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def date_evidence(text: str) -> str | None:
    """ "dmy" or "mdy" when a date shows the order beyond doubt (a part above 12)."""
    m = _NUMERIC_DATE.fullmatch(text.strip().split(" ")[0])
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    return None


def parse_date(text: str, date_format: str | None = None) -> datetime.date:
    """ISO dates (``2024-03-01``, also with a time part) always; ``3/1/2017`` only when
    unambiguous (a part above 12), when ``date_format`` (``dmy``, ``mdy``, ``d.m.y`` or a
    strftime pattern) says how to read it, or when another date of the file shows the
    order (``date_order``)."""
    s = text.strip()
    if date_format:
        pattern = DATE_FORMATS.get(date_format, date_format)
        try:
            return datetime.datetime.strptime(s, pattern).date()
        except ValueError:
            pass
    try:
        return datetime.date.fromisoformat(s[:10])
    except ValueError:
        pass
    m = _NUMERIC_DATE.fullmatch(s.split(" ")[0])
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 and b <= 12:
            day, month = a, b
        elif b > 12 and a <= 12:
            day, month = b, a
        elif a == b:
            day = month = a
        elif date_order.get() == "dmy":
            day, month = a, b
        elif date_order.get() == "mdy":
            day, month = b, a
        else:
            raise ValueError(
                f"“{shorten(text)}” is ambiguous (day/month or month/day?); "
                + advice("date_format")
            )
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValueError(f"“{shorten(text)}” is not a real date") from None
    raise ValueError(f"“{shorten(text)}” is not a date (expected YYYY-MM-DD)")


def normalise_key(text: str) -> str:
    """How names are matched: case- and whitespace-insensitive."""
    return " ".join(text.split()).casefold()

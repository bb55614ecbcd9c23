"""Numbers typed into a query string or a URL, checked before they reach the database
or date arithmetic: out of range is a 400 naming the parameter (or a 404 for an id that
cannot exist), never an overflow deep inside a query."""

import math

from rest_framework import exceptions

from keyplan.core.filters import MAX_ID


def whole_number(
    text: str | None, *, name: str, default: int, low: int, high: int, message: str
) -> int:
    """``text`` as a whole number from ``low`` to ``high``; ``default`` when absent.
    Anything else is a 400 with ``message`` on ``name``."""
    if text is None or text == "":
        return default
    text = text.strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isdigit() or len(digits) > 19 or not low <= int(text) <= high:
        raise exceptions.ValidationError({name: [message]})
    return int(text)


def record_id(text: str | None, *, name: str, what: str, default: int = 0) -> int:
    """A record id (1 to the largest a database column holds) given as ``name``."""
    return whole_number(
        text,
        name=name,
        default=default,
        low=1,
        high=MAX_ID,
        message=f"“{text}” is not a {what} (a whole number from 1).",
    )


def finite_number(text: str | None, *, name: str, default: float) -> float:
    """A decimal number that is a number: not nan, not infinite."""
    if text is None or text == "":
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise exceptions.ValidationError({name: [f"“{text}” is not a number."]})
    return value


def id_or_404(pk) -> int:
    """A URL's id that can name a record, else 404 (as for any unknown id)."""
    text = str(pk)
    if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise exceptions.NotFound("There is nothing here, or it is not visible to you.")
    return int(text)

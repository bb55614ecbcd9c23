"""Values as a person reads them: amounts with thousands separators and the currency,
dates in the installation's one format, lists of names as a sentence, counts with the
right singular or plural, and "—" for nothing. Used wherever text is built outside a
template (activity feed, version comparison, notifications, messages)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats, timezone

EMPTY = "—"


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value) -> str:
    """1234567.5 → "1,234,567.5"; whole numbers without decimals."""
    d = _decimal(value)
    if d is None:
        return EMPTY if value in (None, "") else str(value)
    if d == d.to_integral():
        return f"{d.quantize(Decimal(1)):,}"
    return f"{d.normalize():,f}"


def amount(value) -> str:
    """An amount of money: "4,230,000 USD"; cents only when there are some
    ("130,586.04 USD")."""
    d = _decimal(value)
    if d is None:
        return EMPTY if value in (None, "") else str(value)
    text = f"{d.quantize(Decimal(1)):,}" if d == d.to_integral() else f"{d:,.2f}"
    return f"{text} {settings.KEYPLAN_CURRENCY}"


def estimate(value) -> str:
    """An amount that is computed or predicted (a forecast, white space, what one might
    expect): to the unit, so it reads beside quotas and goals, which are whole."""
    d = _decimal(value)
    if d is None:
        return amount(value)
    return amount(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(value) -> str:
    d = _decimal(value)
    return EMPTY if d is None else f"{number(d)}%"


def lean(share) -> str:
    """How far a total came out from the figure it is checked against, as a share of that
    figure, in words: -0.16 → "16.0% under", 0.123 → "12.3% over" (never "-16.0%", which
    reads as a fall)."""
    d = _decimal(share)
    if d is None:
        return EMPTY
    return f"{abs(d) * 100:.1f}% {'under' if d < 0 else 'over'}"


def ratio(value) -> str:
    """How many times: 2.5 → "2.50x"."""
    d = _decimal(value)
    if d is None:
        return EMPTY if value in (None, "") else str(value)
    return f"{d:,.2f}x"


def day(value) -> str:
    """A date (or an ISO date as recorded: "2027-03-01") in the installation's format."""
    if value in (None, ""):
        return EMPTY
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        return moment(value)
    return formats.date_format(value)


def moment(value) -> str:
    """A date and time in the installation's format, in its time zone."""
    if value in (None, ""):
        return EMPTY
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def names(values) -> str:
    """["Amir Becker", "Jana Castro"] → "Amir Becker, Jana Castro"; nothing → "—"."""
    items = [str(v) for v in values or () if v not in (None, "")]
    return ", ".join(items) if items else EMPTY


def yes_no(value) -> str:
    return "yes" if value else "no"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """1 → "1 case", 3 → "3 cases" (give ``plural_form`` when it is not just an s)."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"


def shortened(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole word and ending in "…"
    when it had to be cut, so a reader sees that more was written."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.—-") + "…"

"""Every page's ``|date`` and ``|truncatechars`` (keyplan.core.fast_filters) write what
Django's own filters write: the same dates in the installation's formats, in the time zone
in force, and the same shortened text, for every kind of value a page may hold."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Engine, engines
from django.utils import timezone

UTC = datetime.UTC
VALUES = [
    datetime.date(2027, 3, 1),
    datetime.date(987, 12, 31),  # a year of three digits: Django pads it to four
    datetime.datetime(2026, 12, 6, 23, 59, 30, tzinfo=UTC),  # another day in Kolkata
    datetime.datetime(2026, 3, 29, 1, 30),  # naive
    datetime.datetime(2026, 7, 4, 8, 5, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    datetime.time(9, 15),
    None,
    "",
    "2027-01-01",
    0,
]
FORMATS = [
    None,
    "Y-m-d",
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "Y-m-d H:i",
    "M Y",
    "N j, Y",
    "H:i",
]
TEXTS = [
    "",
    "short",
    "x" * 80,
    "x" * 81,
    "A long problem statement " * 10,
    "e\u0301" * 50,  # decomposed accents: 100 code points, 50 characters once composed
    "\u0958" * 40,  # longer once composed (NFC decomposes it)
    "<b>tags & ampersands</b> stay escaped",
    None,
    12345,
]


def _django_engine() -> Engine:
    """The project's template engine without keyplan's builtins: Django's own filters."""
    ours = engines["django"].engine
    return Engine(
        dirs=ours.dirs,
        app_dirs=False,
        libraries=ours.libraries,
        builtins=[b for b in ours.builtins if b != "keyplan.core.fast_filters"],
    )


def _render(engine, source: str, context: dict) -> str:
    try:
        return engine.from_string(source).render(Context(context))
    except Exception as exc:  # a time format for a date is refused by both alike
        return f"{type(exc).__name__}: {exc}"


def _both(source: str, **context) -> tuple[str, str]:
    return (
        _render(engines["django"].engine, source, context),
        _render(_django_engine(), source, context),
    )


def test_pages_use_the_fast_filters():
    from keyplan.core import fast_filters

    filters = engines["django"].engine.from_string("").engine.template_builtins[-1].filters
    assert filters["date"] is fast_filters.date
    assert filters["truncatechars"] is fast_filters.truncatechars


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
def test_dates_read_as_django_writes_them(zone):
    with timezone.override(zone):
        for value in VALUES:
            for fmt in FORMATS:
                source = "{{ v|date }}" if fmt is None else f'{{{{ v|date:"{fmt}" }}}}'
                ours, theirs = _both(source + "|{{ v|date:'Y-m-d'|default:'—' }}", v=value)
                assert ours == theirs, (value, fmt)


def test_truncated_text_reads_as_django_writes_it():
    for text in TEXTS:
        for length in ("80", "1", "0", "-3", "many"):
            number = length if length.lstrip("-").isdigit() else 40
            source = f'{{{{ t|truncatechars:"{length}" }}}}|{{{{ t|truncatechars:{number} }}}}'
            ours, theirs = _both(source, t=text)
            assert ours == theirs, (text, length)
    # What is safe stays unescaped, what is not is escaped, as before.
    ours, theirs = _both("{{ t|safe|truncatechars:10 }}{{ t|truncatechars:10 }}", t="<i>é</i>")
    assert ours == theirs == "<i>é</i>&lt;i&gt;é&lt;/i&gt;"

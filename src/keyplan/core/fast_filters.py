"""Django's ``date`` and ``truncatechars`` filters, with the same output, without their
cost in the cases keyplan's pages are made of.

A plan page formats about 120 dates and truncates about 200 texts (its activity feed's
before → after); Django spends ≈ 35 µs on each date (it parses the format string every
time) and ≈ 28 µs on each truncation (a lazy object and a translated ellipsis, even for
text that fits): about a sixth of the page's CPU. These filters answer the common cases
directly — an ISO date or date and time (the installation's formats, keyplan.formats),
text no longer than the limit — and hand everything else to Django's own filter, so the
HTML is the same byte for byte (``tests/core/test_fast_filters.py`` compares them).

They are template *builtins* (settings.TEMPLATES ``builtins``): loaded after Django's
own, they take the names ``date`` and ``truncatechars`` in every template."""

import datetime
import unicodedata

from django import template
from django.template import defaultfilters
from django.template.defaultfilters import stringfilter
from django.utils.formats import get_format

register = template.Library()

_DATE, _DATETIME = datetime.date, datetime.datetime


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date``: "Y-m-d" and "Y-m-d H:i" (by name or spelled out) of a date or
    datetime written directly; any other format or value by Django."""
    if value is None or value == "":
        return ""
    kind = type(value)
    if kind is _DATE or kind is _DATETIME:
        # The same lookup as Django's (a format's name → the installation's format).
        fmt = get_format(arg or "DATE_FORMAT")
        if fmt == "Y-m-d":
            return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        if fmt == "Y-m-d H:i" and kind is _DATETIME:
            return (
                f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
                f"{value.hour:02d}:{value.minute:02d}"
            )
    return defaultfilters.date(value, arg)


@register.filter(is_safe=True)
@stringfilter
def truncatechars(value, arg):
    """Django's ``truncatechars``: text that fits is returned as Django returns it (in
    its composed Unicode form); text that does not fit is truncated by Django."""
    try:
        length = int(arg)
    except ValueError:  # Django fails silently too
        return value
    if length > 0:
        text = unicodedata.normalize("NFC", value)
        # Combining characters do not count, so a text of at most ``length`` code points
        # is never cut.
        if len(text) <= length:
            return text
    return defaultfilters.truncatechars(value, arg)

from django import template

register = template.Library()


@register.filter
def percent(value, digits=1):
    """0.1234 → "12.3%"."""
    try:
        return f"{float(value) * 100:.{int(digits)}f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def compact(value):
    """An amount the way people say it: 1.2M, 350k, 900."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    sign = "-" if number < 0 else ""
    number = abs(number)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if number >= limit:
            text = f"{number / limit:.2f}".rstrip("0").rstrip(".")
            if number / limit >= 100:
                text = f"{number / limit:.0f}"
            return f"{sign}{text}{suffix}"
    return f"{sign}{number:.0f}"


@register.filter
def ratio_of(value, base):
    """How many times ``base`` the value is: 1.25x."""
    try:
        return f"{float(value) / float(base):.2f}x"
    except (TypeError, ValueError, ZeroDivisionError):
        return "—"


@register.filter
def slot(kind, pk):
    """The id of the place an item's form opens in: slot-goal-12."""
    return f"slot-{kind}-{pk}"


@register.filter
def money(value):
    """An amount of money as every page writes it: "4,230,000 USD", cents only when
    there are some."""
    from keyplan.core import words

    return words.amount(value)

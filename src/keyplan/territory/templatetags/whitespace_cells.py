"""The white-space table's cells, written by a tag rather than a template loop.

The table has up to 50 accounts × every product (1,400 cells on the demo), and each cell
in the template cost a ``floatformat``, a ``widthratio`` and an ``{% include %}`` of its
state's words: about three quarters of the page's CPU. The tag writes the same HTML."""

from decimal import ROUND_HALF_UP, Decimal
from html import escape  # what django.utils.html.escape does, without its lazy wrapper

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

STATE_WORDS = {"owned": "Owned: bought in the window", "white_space": "White space"}


def _whole(value) -> str:
    """As ``floatformat:"0g"``: rounded half up to the unit, thousands grouped; "—" for
    nothing."""
    if value is None or value == "":
        return "—"
    exact = Decimal(repr(value) if isinstance(value, float) else str(value))
    return f"{exact.quantize(Decimal(1), ROUND_HALF_UP):,}"


def _field(cell, name):
    """A cell of the white-space matrix (an object) or of the account page's row (a dict)."""
    return cell.get(name) if isinstance(cell, dict) else getattr(cell, name, None)


def _title(cell, horizon) -> str:
    why, state = _field(cell, "why"), _field(cell, "state")
    if why:
        return f"{round(_field(cell, 'probability') * 100)}% within {horizon} months. {why}"
    if state == "pipeline":
        stage = _field(cell, "stage")
        return f"In pipeline ({stage})" if stage else "In pipeline"
    return STATE_WORDS.get(state, "White space")


@register.simple_tag
def whitespace_cells(row, horizon):
    """Every ``<td>`` of one account's row: its state as a class, its probability and why
    (or its state in words) as a title, its value to the unit."""
    return mark_safe(
        "".join(
            f'<td class="num ws-{escape(_field(cell, "state"))}" '
            f'title="{escape(_title(cell, horizon))}">{_whole(_field(cell, "value"))}</td>'
            for cell in _field(row, "cells")
        )
    )

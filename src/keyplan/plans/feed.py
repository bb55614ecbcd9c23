"""The activity feed's before → after rows of one recorded change, as HTML, written once
per change and process.

A recorded change (PlanChange) is written once and never edited, and its rows are a pure
function of what it recorded (its subject and its fields' values before and after, put
into words by ``wording``: nothing else is read). The plan page shows the latest 40
changes with their rows — about 90 before → after pairs and word differences of long
texts, a tenth of the page's CPU — and shows the same ones at every visit, so each
process keeps the HTML of the changes it has shown, checked against what the change
holds (a row id used again, as after a rolled-back transaction, is never mistaken)."""

import threading
from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from keyplan.plans import wording

# Changes whose rows each process keeps (a few KB each): the feeds of the plans people
# open, many times over.
KEPT = 2000

_kept: OrderedDict = OrderedDict()  # pk → (subject, changes, html)
_lock = threading.Lock()


def rows_html(change) -> SafeString:
    """``plans/_change_rows.html`` for ``change``: its changed fields in words."""
    with _lock:
        held = _kept.get(change.pk)
        if held is not None and held[0] == change.subject and held[1] == change.changes:
            _kept.move_to_end(change.pk)
            return held[2]
    html = render_to_string("plans/_change_rows.html", {"rows": wording.change_rows(change)})
    with _lock:
        _kept[change.pk] = (change.subject, change.changes, html)
        if len(_kept) > KEPT:
            _kept.popitem(last=False)
    return html

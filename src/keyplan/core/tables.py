"""django-tables2, made cheaper per cell.

django-tables2 asks ``inspect.signature`` which arguments a column's ``render`` (or a
``render_<column>`` method, or a linkify callable) takes, again for every cell: 500 times
for a page of 50 rows × 10 columns, about a tenth of the page's time. The answer never
changes for a given function, so it is remembered here, keyed by the function itself (a
bound method is a new object at every attribute access; its function is not).
"""

import types
from functools import lru_cache

from django_tables2 import utils


def remember_cell_signatures() -> None:
    original = getattr(utils, "signature", None)
    if original is None or getattr(original, "remembered", False):
        return

    @lru_cache(maxsize=2048)
    def signature_of(function, bound: bool):
        # A bound method's signature leaves out its first argument (self).
        target = types.MethodType(function, object()) if bound else function
        return original(target)

    def signature(fn):
        if isinstance(fn, types.MethodType) and isinstance(fn.__func__, types.FunctionType):
            return signature_of(fn.__func__, True)
        if isinstance(fn, types.FunctionType):
            return signature_of(fn, False)
        return original(fn)  # anything else (a callable object): asked every time

    signature.remembered = True
    utils.signature = signature

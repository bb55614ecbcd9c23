"""Facts as columns: hundreds of thousands of rows read into int64 arrays (numpy), and
ids found among them by binary search — so the work and the memory follow how many rows
there are, not how large their ids are."""

from itertools import chain

import numpy as np


def int_columns(rows, width: int) -> np.ndarray:
    """Rows of ``width`` ints (e.g. from ``facts.raw_rows``) as a (rows × width) int64
    array, without keeping a Python object per row."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64)
    return flat.reshape(-1, width)


class Index:
    """Where each id sits among ``keys`` (distinct ids, in any order): sorted once, then
    searched for as many ids as asked."""

    def __init__(self, keys):
        self._keys = np.asarray(keys, dtype=np.int64)
        self._order = np.argsort(self._keys, kind="stable")
        self._sorted = self._keys[self._order]

    def positions(self, wanted: np.ndarray) -> np.ndarray:
        """The position in ``keys`` of each of ``wanted``, or -1 where it is not there."""
        if not len(self._keys):
            return np.full(len(wanted), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._sorted, wanted), len(self._keys) - 1)
        return np.where(self._sorted[at] == wanted, self._order[at], -1)

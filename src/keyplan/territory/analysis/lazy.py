"""Results that list every account (100,000 of them) while a page shows fifty: each row
is built when it is read, from the plain numbers the analysis kept."""

from collections.abc import Sequence


class BuiltOnRead(Sequence):
    """A read-only list whose items are made on reading. Subclasses say how many there
    are (``__len__``) and how to make the one at a position (``_item``); slices, negative
    positions and the end of the list behave as a list's do."""

    def _item(self, position: int):
        raise NotImplementedError

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._item(index)

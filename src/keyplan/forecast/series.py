"""The monthly sales of every account × product line, as one matrix.

The sales roll-up (``SalesMonth``, amounts in whole cents computed by the database) read
straight from the driver into numpy columns, summed per account, product line and month;
these become a dense ``float64`` matrix (one row per account × line that ever
bought, one column per month from the first month with sales to the last month of the
history).

The history ends at the last *complete* month, and at the last month that looks loaded:

* the current calendar month (``timezone.localdate()``) is never part of it, nor any month
  after it: a month under way holds a few days of sales, and the models would learn it as
  a whole month of (almost) nothing. The forecast covers it instead — the whole month —
  and what is booked in it so far counts once, as the forecast's (``booked_until``);
* a trailing month holding less than ``NOT_LOADED`` (a fifth) of a usual month — the
  median month of the ``USUAL`` months before it, across the territory — is taken as not
  loaded yet (a mid-month import, sales booked late) and left out the same way; then the
  month before it is checked, up to ``MAX_NOT_LOADED`` months. Each is kept in
  ``Panel.left_out`` so that the forecast says so in words (``history_sentences``)."""

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from keyplan.territory.analysis.facts import monthly_sales, product_lines, sum_cells


def month_add(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


NOT_LOADED = 0.2  # a trailing month below this share of a usual month: not loaded yet
USUAL = 12  # a usual month: the median of this many months before it
MIN_USUAL = 3  # fewer months before it: no usual month to compare with, kept
MAX_NOT_LOADED = 3  # trailing months that may be taken as not loaded, at most


@dataclass(frozen=True)
class LeftOut:
    """A month left out of the history: ``share`` of a usual month's sales when it was
    taken as not loaded yet; None for the current month (not over yet)."""

    month: datetime.date
    share: float | None = None


@dataclass
class Panel:
    """``values[i, t]``: cents account ``accounts[i]`` spent on line ``lines[i]`` in month
    ``first + t``."""

    accounts: np.ndarray  # int64, one per series
    lines: np.ndarray  # int64 product line id, one per series
    values: np.ndarray  # float64 [series, months]
    first: datetime.date | None  # the first month (None: no sales at all)
    left_out: list = field(default_factory=list)  # LeftOut, in month order

    @property
    def months(self) -> int:
        return self.values.shape[1]

    @property
    def last(self) -> datetime.date | None:
        return None if self.first is None else month_add(self.first, self.months - 1)

    def month_of_year(self, t: int) -> int:
        """1..12 of column ``t`` (may be past the end: a forecast month)."""
        return (self.first.month - 1 + t) % 12 + 1


def _month_no(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _date(month_no: int) -> datetime.date:
    return datetime.date(month_no // 12, month_no % 12 + 1, 1)


def read_panel(today: datetime.date | None = None) -> Panel:
    """The monthly sales up to the last complete, loaded month (see the module's words);
    ``today``: the date the current month is read from (``timezone.localdate()``)."""
    current = _month_no(today or timezone.localdate())
    # The monthly roll-up as numpy columns (facts.monthly_sales, shared with white space),
    # summed per account, line and month in numpy through a small product → line map:
    # no join or GROUP BY in SQL, no Python object per row.
    sales = monthly_sales()
    if not len(sales):
        return _empty([])
    products, product_line = product_lines()
    line_ids, line_of_product = np.unique(product_line, return_inverse=True)
    line = line_of_product.ravel()[np.searchsorted(products, sales.product)]
    n_lines = len(line_ids)
    pair = np.multiply(sales.account, n_lines, dtype=np.int64)
    pair += line
    pair, month_no, cents = sum_cells(pair, sales.month, sales.cents)
    start, end = int(month_no.min()), int(month_no.max())
    left_out = []
    if end >= current:  # sales in the month under way (or dated after it)
        left_out.append(LeftOut(_date(current)))
        end = current - 1
    if end < start:  # nothing before the current month: no history yet
        return _empty(left_out)
    keep = month_no <= end
    unique, series = np.unique(pair[keep], return_inverse=True)
    values = np.zeros((len(unique), end - start + 1))
    values[series.ravel(), month_no[keep] - start] = cents[keep].astype(np.float64)
    values, not_loaded = _cut_not_loaded(values, start)
    first = _date(start)
    return Panel(
        unique // n_lines, line_ids[unique % n_lines], values, first, not_loaded + left_out
    )


def _cut_not_loaded(values: np.ndarray, start: int) -> tuple[np.ndarray, list]:
    """``values`` without its trailing months that hold less than ``NOT_LOADED`` of a usual
    month's sales across the territory, and those months (in month order)."""
    totals = values.sum(axis=0)
    months = len(totals)
    dropped = []
    while len(dropped) < MAX_NOT_LOADED and months - 1 >= MIN_USUAL:
        usual = float(np.median(totals[max(0, months - 1 - USUAL) : months - 1]))
        last = float(totals[months - 1])
        if usual <= 0 or last >= NOT_LOADED * usual:
            break
        dropped.append(LeftOut(_date(start + months - 1), max(last, 0.0) / usual))
        months -= 1
    return values[:, :months], dropped[::-1]


def _empty(left_out: list) -> Panel:
    return Panel(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 0)), None, left_out)


def history_sentences(left_out) -> list[str]:
    """What was left out of the history, in words (the forecast page and command)."""
    sentences = []
    loaded = [m for m in left_out if m.share is not None]
    if loaded:
        clauses = [f"{m.month:%B %Y} holds {m.share:.0%} of a usual month's sales" for m in loaded]
        words = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
        where = "there" if len(loaded) == 1 else f"at {loaded[0].month:%B %Y}"
        sentences.append(f"{words}: taken as not loaded yet; the forecast starts {where}.")
    for m in left_out:
        if m.share is None:
            sentences.append(
                f"{m.month:%B %Y} is not over yet: its sales so far are left out of the "
                "history the forecast learns from, and the forecast covers the whole month."
            )
    return sentences

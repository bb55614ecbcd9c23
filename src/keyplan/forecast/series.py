"""The monthly sales of every account × product line, as one matrix.

The sales roll-up (``SalesMonth``, amounts in whole cents computed by the database) read
straight from the driver into numpy columns, summed per account, product line and month;
these become a dense ``float64`` matrix (one row per account × line that ever
bought, one column per month from the first month with sales to the last)."""

import datetime
from dataclasses import dataclass

import numpy as np

from keyplan.territory.analysis.facts import monthly_sales, product_lines, sum_cells


def month_add(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


@dataclass
class Panel:
    """``values[i, t]``: cents account ``accounts[i]`` spent on line ``lines[i]`` in month
    ``first + t``."""

    accounts: np.ndarray  # int64, one per series
    lines: np.ndarray  # int64 product line id, one per series
    values: np.ndarray  # float64 [series, months]
    first: datetime.date | None  # the first month (None: no sales at all)

    @property
    def months(self) -> int:
        return self.values.shape[1]

    @property
    def last(self) -> datetime.date | None:
        return None if self.first is None else month_add(self.first, self.months - 1)

    def month_of_year(self, t: int) -> int:
        """1..12 of column ``t`` (may be past the end: a forecast month)."""
        return (self.first.month - 1 + t) % 12 + 1


def read_panel() -> Panel:
    # The monthly roll-up as numpy columns (facts.monthly_sales, shared with white space),
    # summed per account, line and month in numpy through a small product → line map:
    # no join or GROUP BY in SQL, no Python object per row.
    sales = monthly_sales()
    if not len(sales):
        return Panel(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 0)), None)
    products, product_line = product_lines()
    line_ids, line_of_product = np.unique(product_line, return_inverse=True)
    line = line_of_product.ravel()[np.searchsorted(products, sales.product)]
    n_lines = len(line_ids)
    pair = np.multiply(sales.account, n_lines, dtype=np.int64)
    pair += line
    pair, month_no, cents = sum_cells(pair, sales.month, sales.cents)
    start, end = int(month_no.min()), int(month_no.max())
    unique, series = np.unique(pair, return_inverse=True)
    values = np.zeros((len(unique), end - start + 1))
    values[series.ravel(), month_no - start] = cents.astype(np.float64)
    first = datetime.date(start // 12, start % 12 + 1, 1)
    return Panel(unique // n_lines, line_ids[unique % n_lines], values, first)

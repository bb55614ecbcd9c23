"""The sales period: a fiscal year (starting in the month of
``KEYPLAN_FISCAL_YEAR_START_MONTH``) or one of its quarters.

A fiscal year is named by the calendar year it ends in: with an April start, FY 2027 runs
from April 2026 to March 2027; with January (the default) the fiscal year is the calendar
year. ``quarter`` 0 means the whole year, 1-4 its quarters."""

import datetime
from dataclasses import dataclass

from django.conf import settings

YEAR = 0
QUARTERS = (1, 2, 3, 4)


def start_month() -> int:
    return settings.KEYPLAN_FISCAL_YEAR_START_MONTH


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def fiscal_year_of(day: datetime.date) -> int:
    first = start_month()
    if first == 1:
        return day.year
    return day.year + 1 if day.month >= first else day.year


@dataclass(frozen=True, order=True)
class Period:
    """A fiscal year (``quarter`` 0) or one of its quarters."""

    fiscal_year: int
    quarter: int = YEAR

    def __post_init__(self):
        if self.quarter not in (YEAR, *QUARTERS):
            raise ValueError(f"Quarter {self.quarter} does not exist: a year has quarters 1 to 4.")
        if not 1900 < self.fiscal_year < 3000:
            raise ValueError(f"Fiscal year {self.fiscal_year} is not plausible.")

    @classmethod
    def containing(cls, day: datetime.date, *, quarter: bool = False) -> "Period":
        year = cls(fiscal_year_of(day))
        if not quarter:
            return year
        months = (day.year * 12 + day.month) - (year.start.year * 12 + year.start.month)
        return cls(year.fiscal_year, months // 3 + 1)

    @property
    def start(self) -> datetime.date:
        first = start_month()
        year_start = datetime.date(
            self.fiscal_year if first == 1 else self.fiscal_year - 1, first, 1
        )
        return _add_months(year_start, 3 * (self.quarter - 1)) if self.quarter else year_start

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        months = 3 if self.quarter else 12
        return _add_months(self.start, months) - datetime.timedelta(days=1)

    @property
    def year(self) -> "Period":
        return Period(self.fiscal_year)

    @property
    def quarters(self) -> list["Period"]:
        return [Period(self.fiscal_year, q) for q in QUARTERS]

    @property
    def previous(self) -> "Period":
        """The period before, of the same length: last year, or the quarter before."""
        if not self.quarter:
            return Period(self.fiscal_year - 1)
        if self.quarter == 1:
            return Period(self.fiscal_year - 1, 4)
        return Period(self.fiscal_year, self.quarter - 1)

    @property
    def name(self) -> str:
        """ "FY 2026" or "Q3 FY 2026"."""
        return (
            f"Q{self.quarter} FY {self.fiscal_year}" if self.quarter else f"FY {self.fiscal_year}"
        )

    @property
    def months(self) -> str:
        """ "January – December 2026", "April 2026 – March 2027"."""
        start, end = self.start, self.end
        if start.year == end.year:
            return f"{start:%B} – {end:%B %Y}"
        return f"{start:%B %Y} – {end:%B %Y}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.months})"

    def __str__(self) -> str:
        return self.name


def parse_period(text: str) -> Period:
    """ "FY 2026", "2026", "Q3 FY 2026", "2026 Q3", "2026-Q3" → a Period; anything else is
    a ValueError saying what is expected."""
    import re

    raw = " ".join(str(text or "").upper().replace("-", " ").replace("/", " ").split())
    match = re.fullmatch(r"(?:Q([1-4]) )?(?:FY ?)?(\d{4})(?: Q([1-4]))?", raw)
    if not match or (match.group(1) and match.group(3)):
        raise ValueError(
            f"“{text}” is not a period: write a fiscal year (“FY 2026” or “2026”) or a quarter "
            "(“Q3 FY 2026” or “2026 Q3”)."
        )
    quarter = int(match.group(1) or match.group(3) or 0)
    return Period(int(match.group(2)), quarter)


def current_year(today: datetime.date | None = None) -> Period:
    from django.utils import timezone

    return Period.containing(today or timezone.localdate())


def planning_year(today: datetime.date | None = None) -> Period:
    """The fiscal year the sales plan's pages open on: the current one, except in its
    last month, when next year's quotas, territory plans and account plans are the work
    at hand (the year still running stays one click away on the period picker)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    year = Period.containing(today)
    last_month = year.end.replace(day=1)
    if today >= last_month:
        return Period(year.fiscal_year + 1, 0)
    return year

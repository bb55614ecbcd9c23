"""What every analysis takes: a window of months and a scope of accounts."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q

from keyplan.accounts.models import Account
from keyplan.people.scope import scope_for
from keyplan.sales.models import SalesMonth
from keyplan.sales.rollup import year_start

SCOPES = ("territory", "team", "rep", "industry")


class ParameterError(ValueError):
    """A window or scope a user gave that cannot be used; the message says why."""


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """Whole months from ``start`` (first day) to ``end`` (last day), inclusive."""

    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m} to {self.end:%Y-%m}"

    @property
    def annualise(self) -> Decimal:
        """What turns the window's sales into a year's: 12 / its number of months."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return Decimal(12) / Decimal(max(1, months))

    @classmethod
    def year_to(cls, last_month: datetime.date) -> "Window":
        """The 12 months ending with ``last_month`` (the kept default window's shape)."""
        return cls(year_start(last_month), _add_months(last_month, 1) - datetime.timedelta(days=1))

    @classmethod
    def default(cls) -> "Window":
        """The 12 months ending with the latest month that has sales."""
        latest = SalesMonth.objects.aggregate(m=Max("month"))["m"]
        return cls.year_to(latest or _month_start(datetime.date.today()))

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> "Window":
        if not start and not end:
            return cls.default()
        default = cls.default()
        first = _parse_day(start, "from") if start else None
        last = _parse_day(end, "to", end_of_month=True) if end else None
        try:
            if first and not last:
                last = _add_months(first, 12) - datetime.timedelta(days=1)
            if last and not first:
                first = _add_months(_month_start(last), -11)
        except (ValueError, OverflowError):
            # A year's window around the first or last day of the calendar.
            raise ParameterError(
                f"A window of 12 months from {start or '…'} to {end or '…'} runs past the "
                "calendar (years 1 to 9999); give both --from and --to."
            ) from None
        first = _month_start(first or default.start)
        if last < first:
            raise ParameterError(f"The window ends ({last}) before it starts ({first}).")
        return cls(first, last)


def _parse_day(text: str, name: str, end_of_month: bool = False) -> datetime.date:
    text = text.strip()
    try:
        if len(text) == 7:
            day = datetime.datetime.strptime(text, "%Y-%m").date()
            if end_of_month:
                return _add_months(day, 1) - datetime.timedelta(days=1)
            return day
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ParameterError(
            f"--{name} “{text}” is not a date (YYYY-MM-DD) or month (YYYY-MM)."
        ) from None


@dataclass(frozen=True)
class Scope:
    """Which accounts: the whole territory, a team's, a rep's, or an industry's."""

    kind: str = "territory"
    value: str = ""

    @classmethod
    def parse(cls, text: str | None) -> "Scope":
        if not text or text == "territory":
            return cls()
        kind, _, value = text.partition(":")
        if kind not in SCOPES or not value.strip():
            raise ParameterError(
                f"Scope “{text}” is not one of: territory, team:NAME, rep:USERNAME, industry:NAME."
            )
        return cls(kind, value.strip())

    @property
    def label(self) -> str:
        return "the whole territory" if self.kind == "territory" else f"{self.kind} {self.value}"

    def everything(self, user) -> bool:
        """Whether the scope is every account there is — the territory, for the command
        line or for someone who sees everything: then queries need no filter by account."""
        if self.kind != "territory":
            return False
        return user is None or scope_for(user).everything

    def accounts(self, user) -> "Account.objects":
        """Accounts in scope that ``user`` may see (the scope never widens visibility)."""
        qs = Account.objects.visible_to(user) if user is not None else Account.objects.all()
        if self.kind == "team":
            qs = qs.filter(Q(owner__team__name__iexact=self.value))
        elif self.kind == "rep":
            qs = qs.filter(owner__username=self.value)
        elif self.kind == "industry":
            qs = qs.filter(industry__iexact=self.value)
        return qs

    def __str__(self) -> str:
        return "territory" if self.kind == "territory" else f"{self.kind}:{self.value}"

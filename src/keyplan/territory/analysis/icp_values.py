"""Values typed into an ideal-customer-profile criterion that no account has, and the
closest value some account does have: a criterion on "Helthcare" would silently match
nothing, since criteria compare the account's column exactly."""

import difflib
from dataclasses import dataclass

from keyplan.accounts.models import Account
from keyplan.territory.choices import Criterion

# The criteria on a free-text column of the account, and the column's name in words.
COLUMNS = {
    Criterion.INDUSTRY_IN: ("industry", "industry", "industries"),
    Criterion.COUNTRY_IN: ("country", "country", "countries"),
    Criterion.REGION_IN: ("region", "region", "regions"),
}
# How alike a typed value and an existing one must be (difflib's ratio, compared without
# case) to be offered as "did you mean": "Helthcare"/"Healthcare" is 0.95, "Germny"/
# "Germany" 0.92, "EMAE"/"EMEA" 0.75; "India"/"Indonesia" 0.71 and "Energy"/
# "Manufacturing" 0.32 are different values, not typos. A close value that is meant
# ("Austria" where only "Australia" exists) is kept by ticking the form's box.
CLOSE = 0.75


@dataclass(frozen=True)
class UnknownValue:
    typed: str
    suggestion: str | None  # the closest value an account has, when one is close


def unknown_values(*, kind: str, values: list, user) -> list[UnknownValue]:
    """The ``values`` of a criterion of ``kind`` that no account ``user`` sees has, each
    with the closest existing value (or None). Empty for criteria not on a text column."""
    if kind not in COLUMNS:
        return []
    column = COLUMNS[kind][0]
    known = set(
        Account.objects.visible_to(user)
        .exclude(**{column: ""})
        .order_by()
        .values_list(column, flat=True)
        .distinct()
    )
    by_fold: dict[str, str] = {}
    for value in sorted(known):
        by_fold.setdefault(value.casefold(), value)
    unknown = []
    for typed in values:
        if typed in known:
            continue
        close = difflib.get_close_matches(typed.casefold(), list(by_fold), n=1, cutoff=CLOSE)
        unknown.append(UnknownValue(typed, by_fold[close[0]] if close else None))
    return unknown


def column_words(kind: str, count: int) -> str:
    """ "industry" or "industries", as the criterion's column reads in a sentence."""
    _, one, many = COLUMNS[kind]
    return one if count == 1 else many

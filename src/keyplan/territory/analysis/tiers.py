"""ICP fit and A/B/C tiers: each account's score 0–100 from the weighted criteria of the
ideal customer profile, with the criteria it met and missed.

Each criterion is one set-based query (the ids of the accounts that meet it); a score is
the sum of the weights met over the sum of all weights.
"""

from dataclasses import dataclass, field

from django.db.models import Sum

from keyplan.catalog.models import Product
from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity, SalesYear
from keyplan.territory.analysis.facts import in_window, raw_rows
from keyplan.territory.analysis.params import ParameterError, Scope, Window
from keyplan.territory.choices import Criterion, Tier, TierMethod


@dataclass(slots=True)
class TierScore:
    account_id: int
    name: str
    external_id: str
    score: int
    tier: str
    met: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> dict:
        return {"met": self.met, "missed": self.missed}


def criterion_label(c: dict) -> str:
    if c.get("label"):
        return c["label"]
    kind, values = c["kind"], c.get("values") or []
    name = Criterion(kind).label
    if kind in (Criterion.EMPLOYEES_BETWEEN, Criterion.REVENUE_BETWEEN):
        low, high = (list(values) + [None, None])[:2]
        if high is not None:
            return f"{name} {low or 0:,} and {high:,}"
        return f"{name[:-8]} at least {low or 0:,}"
    if kind == Criterion.OPEN_OPPORTUNITY:
        return name
    return f"{name} {', '.join(map(str, values))}"


def validate_criterion(c: dict) -> dict:
    """A criterion as a user entered it, checked: kind known, values fit the kind, weight
    1–100. Raises ParameterError with the reason."""
    kind = c.get("kind")
    if kind not in Criterion.values:
        raise ParameterError(f"“{kind}” is not a kind of criterion.")
    weight = c.get("weight")
    if not isinstance(weight, int) or not 1 <= weight <= 100:
        raise ParameterError("A weight is a whole number from 1 to 100.")
    values = c.get("values") or []
    if kind in (Criterion.EMPLOYEES_BETWEEN, Criterion.REVENUE_BETWEEN):
        if len(values) != 2 or not all(v is None or isinstance(v, int | float) for v in values):
            raise ParameterError("A range needs a lower and an upper bound (either may be empty).")
        low, high = values
        if low is None and high is None:
            raise ParameterError("A range needs at least one bound (a lower, an upper or both).")
        if low is not None and high is not None and low > high:
            raise ParameterError("The lower bound is above the upper bound.")
        if kind == Criterion.EMPLOYEES_BETWEEN and not all(map(_whole_count, values)):
            raise ParameterError(
                f"An employee count is a whole number from 0 to {MAX_EMPLOYEES:,}."
            )
    elif kind != Criterion.OPEN_OPPORTUNITY and not values:
        raise ParameterError("List at least one value.")
    return {"kind": kind, "values": values, "weight": weight, "label": c.get("label", "")}


MAX_EMPLOYEES = 2_147_483_647  # the largest employee count every database stores


def _whole_count(bound) -> bool:
    """An employee bound that is empty or a whole number the column can hold."""
    return bound is None or (
        isinstance(bound, int) and not isinstance(bound, bool) and 0 <= bound <= MAX_EMPLOYEES
    )


# Criteria on an account's own columns that Python decides exactly as the database would
# (strings equal, whole numbers compared): they are checked on the one read of the accounts
# every score needs instead of a query each. Company revenue, a decimal, stays a query, and
# so does an employee range saved before bounds had to be whole counts (the database's
# filter drops a bound outside its integer range and truncates a fraction: such a
# criterion keeps meaning what it meant).
_ON_ROW = {
    Criterion.INDUSTRY_IN: "industry",
    Criterion.COUNTRY_IN: "country",
    Criterion.REGION_IN: "region",
    Criterion.EMPLOYEES_BETWEEN: "employees",
}


def _on_row(c: dict) -> str | None:
    """The account column criterion ``c`` is decided on, or None: it needs a query."""
    if c["kind"] == Criterion.EMPLOYEES_BETWEEN and not all(map(_whole_count, c["values"])):
        return None
    return _ON_ROW.get(c["kind"])


def _meets_on_row(c: dict):
    """A test of one account column's value for criterion ``c`` (``_on_row`` says which)."""
    values = c.get("values") or []
    if c["kind"] != Criterion.EMPLOYEES_BETWEEN:
        allowed = set(values)
        return lambda value: value in allowed
    low, high = values
    return lambda value: (
        value is not None and (low is None or value >= low) and (high is None or value <= high)
    )


def _meeting(c: dict, accounts, window: Window, everything: bool = False) -> set[int]:
    """The ids of the accounts of ``accounts`` that meet criterion ``c`` (one ``_on_row``
    does not decide), one query; ``everything``:
    ``accounts`` is every account (no filter needed on facts read by account)."""
    kind, values = c["kind"], c.get("values") or []
    ids = accounts.values("pk")
    if kind in (Criterion.EMPLOYEES_BETWEEN, Criterion.REVENUE_BETWEEN):
        column = "employees" if kind == Criterion.EMPLOYEES_BETWEEN else "annual_revenue"
        low, high = values
        qs = accounts
        if low is not None:
            qs = qs.filter(**{f"{column}__gte": low})
        if high is not None:
            qs = qs.filter(**{f"{column}__lte": high})
    elif kind == Criterion.OWNS_LINE:
        # Bought in the window: net sales of a product in one of the lines above zero.
        products = list(
            Product.objects.filter(product_line__name__in=values).values_list("pk", flat=True)
        )
        rows = in_window(window).filter(product_id__in=products)
        if not everything:
            rows = rows.filter(account_id__in=ids)
        if rows.model is SalesYear:  # already one row per account and product
            rows = rows.filter(amount__gt=0)
        else:
            rows = rows.values("account_id", "product_id").annotate(net=Sum("amount"))
            rows = rows.filter(net__gt=0)
        return {pk for (pk,) in raw_rows(rows.order_by().values_list("account_id"))}
    else:  # open opportunity
        rows = Opportunity.objects.filter(status=OpportunityStatus.OPEN)
        if not everything:
            rows = rows.filter(account_id__in=ids)
        # No ordering: else the default ordering's columns join the DISTINCT.
        return {pk for (pk,) in raw_rows(rows.order_by().values_list("account_id").distinct())}
    return set(qs.values_list("pk", flat=True))


def score_accounts(*, user, version, window: Window, scope: Scope | None = None) -> list[TierScore]:
    scope = scope or Scope()
    accounts = scope.accounts(user)
    criteria = version.criteria if version else []
    total_weight = sum(c["weight"] for c in criteria) or 0
    everything = scope.everything(user)
    # Which criteria each account meets, as the bits of one int; accounts that meet the
    # same criteria share one score and one pair of reason lists (five criteria: at most
    # 32 combinations for 100,000 accounts).
    on_row = [_on_row(c) for c in criteria]
    columns = list(dict.fromkeys(column for column in on_row if column))
    rows = list(
        raw_rows(accounts.values_list("pk", "name", "external_id", *columns).order_by("pk"))
    )
    met_bits = dict.fromkeys((row[0] for row in rows), 0)
    meets = []
    for i, c in enumerate(criteria):
        meets.append((c, criterion_label(c)))
        if on_row[i]:
            at, test = 3 + columns.index(on_row[i]), _meets_on_row(c)
            for row in rows:
                if test(row[at]):
                    met_bits[row[0]] |= 1 << i
            continue
        for pk in _meeting(c, accounts, window, everything):
            if pk in met_bits:
                met_bits[pk] |= 1 << i
    outcomes: dict[int, tuple] = {}
    for bits in set(met_bits.values()):
        hits = [bool(bits & 1 << i) for i in range(len(meets))]
        met = [label for (_c, label), hit in zip(meets, hits, strict=True) if hit]
        missed = [label for (_c, label), hit in zip(meets, hits, strict=True) if not hit]
        points = sum(c["weight"] for (c, _l), hit in zip(meets, hits, strict=True) if hit)
        score = round(100 * points / total_weight) if total_weight else 0
        outcomes[bits] = (score, met, missed)
    scores = []
    for row in rows:
        score, met, missed = outcomes[met_bits[row[0]]]
        scores.append(TierScore(row[0], row[1], row[2] or "", score, Tier.C, met, missed))
    _assign_tiers(scores, version)
    return scores


def _assign_tiers(scores: list[TierScore], version) -> None:
    if version is None:
        return
    if version.method == TierMethod.QUANTILES:
        ranked = sorted(scores, key=lambda s: (-s.score, s.name.casefold(), s.account_id))
        n = len(ranked)
        a_count = round(n * version.a_share / 100)
        b_count = round(n * version.b_share / 100)
        for i, s in enumerate(ranked):
            s.tier = Tier.A if i < a_count else (Tier.B if i < a_count + b_count else Tier.C)
        return
    for s in scores:
        if s.score >= version.a_threshold:
            s.tier = Tier.A
        elif s.score >= version.b_threshold:
            s.tier = Tier.B
        else:
            s.tier = Tier.C


def current_version():
    from keyplan.territory.models import IcpVersion

    return IcpVersion.objects.order_by("-number").first()

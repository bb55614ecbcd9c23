"""The territory plan's realism check: are the revenue objectives reachable, and do the
strategies hold together? Each check is OK or names its shortfall in words.

The plan's revenue total is its revenue objectives **by tier** summed (the split every
territory plan makes); the other splits (by product line, channel, customer base vs
prospects) are each checked to add up to it.

1. **Quota** — the total is at least ``KEYPLAN_OBJECTIVE_OVER_QUOTA`` (1.2: Conti's teams
   never set objectives lower than 20% over quota) times the rep's quota for the year.
2. **Facts** — the total is within what the facts expect: the forecast of the year plus
   the white-space expected value of the rep's accounts (``facts.territory_facts``).
3. **Pipeline** — the open pipeline holds the opportunities the total needs (Brock's
   math, ``pipeline.territory_need``).
4. **Capacity** — no one the plan asks time of is over their capacity in any month,
   counting every plan they work on (``plans.capacity.territory_capacity``).
5. **Strategies** — every strategy serves at least one objective.
6. **Splits** — each other split given adds up to the tier total within 1%."""

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.conf import settings

from keyplan.salesplan.choices import ObjectiveKind
from keyplan.salesplan.facts import short

SPLIT_TOLERANCE = Decimal("0.01")
ZERO = Decimal(0)
SPLITS = (
    (ObjectiveKind.REVENUE_LINE, "product line"),
    (ObjectiveKind.REVENUE_CHANNEL, "channel"),
    (ObjectiveKind.REVENUE_SEGMENT, "customer base and prospects"),
)


def over_quota() -> Decimal:
    """How many times the quota the revenue objectives should reach (1.2 by default)."""
    return Decimal(str(getattr(settings, "KEYPLAN_OBJECTIVE_OVER_QUOTA", "1.2")))


@dataclass
class Check:
    name: str  # quota, facts, pipeline, capacity, strategies, split_line, …
    ok: bool
    sentence: str


@dataclass
class Realism:
    checks: list[Check] = field(default_factory=list)
    revenue: Decimal = ZERO  # the revenue objectives by tier, summed

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def shortfalls(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def get(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    """Whole percent, rounded down: 119.6% reads 119%, not a passing 120%."""
    return (part * 100 / whole).quantize(Decimal(1), rounding=ROUND_FLOOR)


def realism(territory_plan, *, facts=None, need=None, capacity=None, who: str = "") -> Realism:
    """Every check of ``territory_plan``. ``facts`` (territory_facts), ``need``
    (territory_need) and ``capacity`` ((months, rows) of territory_capacity): what the
    page has read already, else read here. ``who``: the rep's name when someone else
    (their manager) reads the plan: "Amir Bianchi's revenue objectives … of their quota",
    not "Your … of your quota"."""
    objectives = list(territory_plan.objectives.all().select_related("product_line"))
    by_tier = sum((o.target for o in objectives if o.kind == ObjectiveKind.REVENUE_TIER), ZERO)
    result = Realism(revenue=by_tier)
    has_tiers = any(o.kind == ObjectiveKind.REVENUE_TIER for o in objectives)
    result.checks.append(_quota_check(territory_plan, by_tier, has_tiers, who))
    result.checks.append(_facts_check(territory_plan, by_tier, has_tiers, facts, who))
    result.checks.append(_pipeline_check(territory_plan, has_tiers, need, who))
    result.checks.append(_capacity_check(territory_plan, capacity))
    result.checks.append(_strategies_check(territory_plan))
    result.checks.extend(_split_checks(objectives, by_tier))
    return result


NO_TIER_OBJECTIVES = (
    "No revenue objective by tier yet: set what you expect from A, B and C accounts."
)


def _whose(who: str) -> tuple[str, str]:
    """("Your", "your") to the rep; ("Amir Bianchi's", "their") to anyone else."""
    return (f"{who}'s", "their") if who else ("Your", "your")


def _quota_check(plan, total: Decimal, has_tiers: bool, who: str = "") -> Check:
    from keyplan.salesplan.choices import QuotaLevel
    from keyplan.salesplan.models import Quota

    quota = (
        Quota.objects.filter(
            level=QuotaLevel.REP, rep_id=plan.rep_id, fiscal_year=plan.fiscal_year, quarter=0
        )
        .values_list("amount", flat=True)
        .first()
    )
    factor = over_quota()
    asked = f"{_percent(factor, Decimal(1))}%"
    if quota is None:
        return Check(
            "quota",
            False,
            f"No quota is set for {plan.period.name}: the objectives cannot be set against it.",
        )
    if not has_tiers:
        return Check("quota", False, NO_TIER_OBJECTIVES)
    target = quota * factor
    whose, their = _whose(who)
    if not quota:
        return Check("quota", True, f"{whose} quota for {plan.period.name} is 0.")
    share = _percent(total, quota)
    if total >= target:
        return Check(
            "quota",
            True,
            f"{whose} revenue objectives add up to {short(total)}, {share}% of {their} "
            f"{short(quota)} quota: at least the {asked} the method asks for.",
        )
    return Check(
        "quota",
        False,
        f"{whose} revenue objectives add up to {short(total)}, {share}% of {their} "
        f"{short(quota)} quota; the method asks for at least {asked} ({short(target)}).",
    )


def _facts_check(plan, total: Decimal, has_tiers: bool, facts, who: str = "") -> Check:
    from keyplan.salesplan.facts import territory_facts

    if not has_tiers:
        return Check("facts", False, NO_TIER_OBJECTIVES)
    if facts is None:
        facts = territory_facts(rep=plan.rep, fiscal_year=plan.fiscal_year)
    expected = facts.expected
    basis = f"the forecast {short(facts.forecast)} + white space {short(facts.white_space)}"
    if facts.white_space_note and not facts.white_space:
        basis = f"the forecast {short(facts.forecast)}; white space not learned yet"
    whose, _their = _whose(who)
    if total <= expected:
        return Check(
            "facts",
            True,
            f"{whose} revenue objectives of {short(total)} are within what the facts expect, "
            f"{short(expected)} ({basis}).",
        )
    return Check(
        "facts",
        False,
        f"{whose} revenue objectives of {short(total)} need {short(total - expected)} beyond "
        f"what the facts expect, {short(expected)} ({basis}): new logos, or deals the "
        "forecast does not see yet.",
    )


def _pipeline_check(plan, has_tiers: bool, need, who: str = "") -> Check:
    from keyplan.salesplan.pipeline import territory_need

    if need is None:
        need = territory_need(plan, third_person=bool(who))
    if need is None:
        return Check(
            "pipeline",
            False,
            f"Neither revenue objectives nor a quota for {plan.period.name}: no goal to size "
            "the pipeline for.",
        )
    their = _whose(who)[1]
    goal = "the revenue objectives" if has_tiers else f"{their} quota (no revenue objective yet)"
    if need.needed is None:
        return Check("pipeline", False, need.sentence)
    # "You need …" reads "you need …" after "For …:"; a rep's name keeps its capital.
    said = "you" + need.sentence[3:] if need.sentence.startswith("You ") else need.sentence
    if need.met:
        return Check("pipeline", True, f"For {goal}: {said}")
    return Check("pipeline", False, f"For {goal}: {said} {need.shortfall:,} still to find.")


def _capacity_check(plan, capacity) -> Check:
    from keyplan.core import words

    if capacity is None:
        from keyplan.plans.capacity import territory_capacity

        capacity = territory_capacity(plan)
    _months, rows = capacity
    over = []
    for row in rows:
        months = [load for load in row if load.over]
        if months:
            worst = max(months, key=lambda load: (load.planned - load.available, load.month))
            over.append(
                f"{worst.person} in {words.plural(len(months), 'month')} (worst "
                f"{worst.month:%B %Y}: {words.number(worst.planned)} hours of "
                # whole hours available, as the capacity table shows them (106, not 106.3)
                f"{words.number(Decimal(worst.available).quantize(Decimal(1)))})"
            )
    if not rows:
        return Check(
            "capacity",
            True,
            "The plan asks no one's time yet: name the people each strategy needs.",
        )
    if not over:
        return Check(
            "capacity",
            True,
            f"Everyone the plan asks time of has it, every month "
            f"({words.plural(len(rows), 'person', 'people')}).",
        )
    return Check("capacity", False, "Over capacity: " + "; ".join(over) + ".")


def _strategies_check(plan) -> Check:
    from django.db.models import Count

    from keyplan.core import words

    strategies = list(
        plan.strategies.annotate(n=Count("objectives")).order_by("pk").values_list("title", "n")
    )
    if not strategies:
        return Check("strategies", False, "No strategy yet: the method asks for one to five.")
    without = [title for title, n in strategies if not n]
    if not without:
        return Check("strategies", True, "Every strategy has at least one objective.")
    return Check(
        "strategies",
        False,
        f"{words.plural(len(without), 'strategy has', 'strategies have')} no objective: "
        f"{words.names(without)}.",
    )


def _split_checks(objectives, by_tier: Decimal) -> list[Check]:
    checks = []
    for kind, label in SPLITS:
        parts = [o.target for o in objectives if o.kind == kind]
        if not parts:
            continue
        total = sum(parts, ZERO)
        name = f"split_{kind.removeprefix('revenue_')}"
        difference = total - by_tier
        if by_tier and abs(difference) <= by_tier * SPLIT_TOLERANCE:
            checks.append(
                Check(
                    name,
                    True,
                    f"By {label} the revenue objectives add up to the tier total ({short(total)}).",
                )
            )
            continue
        more = "more" if difference > 0 else "less"
        percent = f" ({_percent(abs(difference), by_tier)}%)" if by_tier else ""
        checks.append(
            Check(
                name,
                False,
                f"By {label} the revenue objectives add up to {short(total)}, "
                f"{short(abs(difference))}{percent} {more} than the {short(by_tier)} by tier.",
            )
        )
    return checks

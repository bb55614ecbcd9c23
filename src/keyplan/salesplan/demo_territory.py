"""The demo's territory plans: every rep has one for the latest fiscal year with quotas,
built through the same services a rep uses, in Conti's order (facts read, strategies
with people's hours, activities, objectives, goals). The prose is in
``demo_territory.toml``; the accounts, people, dates and numbers come from the rep's own
territory: revenue objectives by tier are the quota × 1.25 shared by what each tier
brought in the last twelve months. Most plans are active; one rep's is still a draft at
the objectives step, as on a real team board in December."""

import datetime
import random
import tomllib
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from django.db.models import Count, Sum

from keyplan.people.choices import Role
from keyplan.plans.choices import ActionStatus
from keyplan.salesplan.choices import Channel, ObjectiveKind, Segment
from keyplan.salesplan.models import Quota, TerritoryPlan
from keyplan.salesplan.periods import Period
from keyplan.salesplan.territory import services

TEXTS = Path(__file__).with_name("demo_territory.toml")
OVER_QUOTA = Decimal("1.25")  # Conti's teams never came out lower than 20% over quota
ROUND = Decimal(10_000)


def _round(value: Decimal) -> Decimal:
    return (value / ROUND).quantize(Decimal(1)) * ROUND


def _share(value: Decimal) -> Decimal:
    """A share of a total, rounded down so that the last share (the rest) is never
    negative."""
    return (value / ROUND).quantize(Decimal(1), rounding=ROUND_DOWN) * ROUND


def _month(period: Period, n: int) -> datetime.date:
    """The first day of the period's ``n``-th month (1-based)."""
    start = period.start
    index = start.month - 1 + n - 1
    return datetime.date(start.year + index // 12, index % 12 + 1, 1)


def demo_territory_plans(*, seed: int) -> list[TerritoryPlan]:
    """A territory plan for every active rep with a quota in the latest fiscal year that
    has quotas (idempotent: a rep who has one keeps it)."""
    from keyplan.people.models import User

    year = (
        Quota.objects.filter(level="rep", quarter=0)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
    if year is None:
        return []
    period = Period(year, 0)
    texts = tomllib.loads(TEXTS.read_text(encoding="utf-8"))
    reps = list(
        User.objects.filter(
            role=Role.REP, is_active=True, quotas__fiscal_year=year, quotas__quarter=0
        ).order_by("pk")
    )
    if not reps:
        return []
    quotas = dict(
        Quota.objects.filter(level="rep", fiscal_year=year, quarter=0).values_list(
            "rep_id", "amount"
        )
    )
    facts = _facts(reps, period)
    made = []
    for index, rep in enumerate(reps):
        if TerritoryPlan.objects.filter(rep=rep, fiscal_year=year).exists():
            continue
        r = random.Random(f"{seed}-{rep.pk}")
        # The last rep of the first team is still at the objectives step.
        finished = index != min(len(reps) - 1, 1)
        made.append(_plan(rep, period, quotas[rep.pk], facts[rep.pk], texts, r, finished=finished))
    return made


def _facts(reps, period: Period) -> dict:
    """Per rep: revenue of the last twelve months by tier and by account, the product
    line they sell most, the line with the most room, their largest industry — three
    grouped queries for all reps."""
    from keyplan.accounts.models import Account
    from keyplan.catalog.models import ProductLine
    from keyplan.sales.models import SalesMonth

    ids = [rep.pk for rep in reps]
    last = SalesMonth.objects.filter(month__lt=period.start).order_by("-month")
    last = last.values_list("month", flat=True).first() or period.start
    first = datetime.date(last.year - 1, last.month, 1)
    rows = (
        SalesMonth.objects.filter(account__owner_id__in=ids, month__gt=first, month__lte=last)
        .order_by()
        .values_list(
            "account__owner_id",
            "account_id",
            "account__name",
            "account__tier__tier",
            "product__product_line_id",
        )
        .annotate(total=Sum("amount"))
    )
    out = {
        rep.pk: {
            "tiers": defaultdict(Decimal),
            "accounts": defaultdict(Decimal),
            "names": {},
            "account_tier": {},
            "lines": defaultdict(Decimal),
        }
        for rep in reps
    }
    for owner, account, name, tier, line, total in rows:
        f = out[owner]
        f["tiers"][tier or "C"] += total
        f["accounts"][account] += total
        f["names"][account] = name
        f["account_tier"][account] = tier or "C"
        f["lines"][line] += total
    line_names = dict(ProductLine.objects.values_list("pk", "name"))
    industries = (
        Account.objects.filter(owner_id__in=ids)
        .exclude(industry="")
        .values_list("owner_id", "industry")
        .annotate(n=Count("pk"))
        .order_by("owner_id", "-n", "industry")
    )
    industry = {}
    for owner, name, _n in industries:
        industry.setdefault(owner, name)
    for rep in reps:
        f = out[rep.pk]
        ranked = sorted(f["lines"], key=lambda k: (-f["lines"][k], k))
        f["line"] = ranked[0] if ranked else None
        # The line they sell least of among those the territory sells: the most room.
        others = [pk for pk in sorted(line_names) if pk not in ranked[:1]]
        f["line2"] = min(others, key=lambda k: (f["lines"].get(k, 0), k)) if others else None
        f["line_names"] = line_names
        f["industry"] = industry.get(rep.pk, "our largest industry")
    return out


NO_PLAN_REASONS = (
    "Served through our partner this year; we plan it with them at the renewal.",
    "Reorganising after an acquisition: a plan once the new buying centre is known.",
)


def _no_plan_reasons(rep, period) -> dict[int, str]:
    """A accounts are worked proactively: the rep gives a reason for the two smallest A
    accounts without an account plan (when there are more than two; the others stay
    flagged, as on a real territory)."""
    from keyplan.salesplan.facts import territory_facts

    facts = territory_facts(rep=rep, fiscal_year=period.fiscal_year)
    missing = sorted(facts.a_without_plan, key=lambda f: (f.run_rate, f.account_id))
    if len(missing) <= 2:
        return {}
    return {f.account_id: reason for f, reason in zip(missing, NO_PLAN_REASONS, strict=False)}


def _pick(f, tier: str, n: int) -> list[int]:
    accounts = [a for a in f["accounts"] if f["account_tier"][a] == tier]
    accounts.sort(key=lambda a: (-f["accounts"][a], a))
    return accounts[:n]


def _plan(rep, period, quota, f, texts, r, *, finished: bool) -> TerritoryPlan:
    from keyplan.people.models import User

    names = f["line_names"]
    a = _pick(f, "A", 2) or _pick(f, "B", 2)
    b = _pick(f, "B", 1) or a[-1:]
    words = {
        "a1": f["names"].get(a[0], "our largest account") if a else "our largest account",
        "a2": f["names"].get(a[-1], "our second account") if a else "our second account",
        "b1": f["names"].get(b[0], "our largest B account") if b else "our largest B account",
        "line": names.get(f["line"], "our core line"),
        "line2": names.get(f["line2"], "our newest line"),
        "industry": f["industry"],
    }
    refs = {"a1": a[:1], "a2": a[1:2], "b1": b[:1]}
    # Our executives share the A accounts' sponsorship between them, rep by rep.
    executives = list(User.objects.filter(role=Role.EXECUTIVE, is_active=True).order_by("pk"))
    people = {
        "rep": rep,
        "manager": rep.manager or rep,
        "exec": executives[rep.pk % len(executives)] if executives else rep,
    }
    plan = services.territory_plan_create(user=rep, rep=rep, fiscal_year=period.fiscal_year)
    tiers = f["tiers"]
    total = sum(tiers.values(), Decimal(0))
    plan = services.facts_review(
        user=rep,
        plan=plan,
        reasons=_no_plan_reasons(rep, period),
        note=(
            f"{words['a1']} and {words['a2']} carry the year; {words['line2']} is where the "
            f"room is. {words['industry']} is the industry to grow in."
        ),
    )
    strategies = []
    for template in texts["strategy"]:
        first, last = template["months"]
        strategy = services.strategy_save(
            user=rep,
            plan=plan,
            data={
                "title": template["title"].format(**words),
                "description": template["description"].format(**words),
                "leverages": template["leverages"],
                "target_tiers": template["tiers"],
                "target_account_ids": [pk for key in template["accounts"] for pk in refs[key]],
                "first_month": _month(period, first),
                "last_month": _month(period, last),
            },
        )
        added = set()
        for person in template["people"]:
            if people[person["who"]].pk in added:  # a rep without a manager, say
                continue
            added.add(people[person["who"]].pk)
            services.resource_save(
                user=rep,
                strategy=strategy,
                data={
                    "person": people[person["who"]],
                    "hours_per_month": Decimal(person["hours"]),
                    "role": person["role"],
                },
            )
        strategies.append((template, strategy))
    today = datetime.date.today()
    for template, strategy in strategies:
        for item in template["activities"]:
            due = _month(period, item["month"]) + datetime.timedelta(days=r.randint(3, 24))
            services.activity_save(
                user=rep,
                plan=plan,
                data={
                    "strategy": strategy,
                    "title": item["title"].format(**words),
                    "owner": rep,
                    "due_date": due,
                    "effort_hours": Decimal(item["effort"]),
                    "status": ActionStatus.DONE if due < today else ActionStatus.PLANNED,
                },
            )
    by_key = {template["key"]: strategy for template, strategy in strategies}
    target = quota * OVER_QUOTA
    every = [s.pk for s in by_key.values()]
    shares = {t: (tiers.get(t, Decimal(0)) / total if total else Decimal(1) / 3) for t in "ABC"}
    a_target = _share(target * shares["A"])
    b_target = _share(target * shares["B"])
    objectives = [
        (ObjectiveKind.REVENUE_TIER, "A", None, "Revenue from A accounts", a_target, "executive"),
        (ObjectiveKind.REVENUE_TIER, "B", None, "Revenue from B accounts", b_target, "partners"),
        (
            ObjectiveKind.REVENUE_TIER,
            "C",
            None,
            "Revenue from C accounts",
            _round(target) - a_target - b_target,
            "base",
        ),
        (
            ObjectiveKind.REVENUE_CHANNEL,
            Channel.PARTNERS,
            None,
            "Revenue through the partner",
            _round(target * Decimal("0.15")),
            "partners",
        ),
        (
            ObjectiveKind.REVENUE_CHANNEL,
            Channel.OWN,
            None,
            "Revenue through our own sales",
            _round(target) - _round(target * Decimal("0.15")),
            None,
        ),
        (
            ObjectiveKind.REVENUE_SEGMENT,
            Segment.BASE,
            None,
            "Revenue from the customer base",
            _round(target) - _round(target * Decimal("0.1")),
            None,
        ),
        (
            ObjectiveKind.REVENUE_SEGMENT,
            Segment.PROSPECTS,
            None,
            "Revenue from prospects",
            _round(target * Decimal("0.1")),
            "partners",
        ),
        (ObjectiveKind.NEW_LOGOS, "", None, "New logos", Decimal(r.randint(2, 6)), "partners"),
        (
            ObjectiveKind.ACTIVITY,
            "",
            None,
            "Meetings with A accounts' key stakeholders",
            Decimal(2),
            "executive",
        ),
        (ObjectiveKind.ACTIVITY, "", None, "Campaigns", Decimal(1), "base"),
    ]
    # By product line: the same total shared by what each line brought in the last
    # twelve months (the split adds up to the tier total, as the realism check asks).
    lines = sorted(
        (pk for pk in f["lines"] if pk is not None and f["lines"][pk] > 0),
        key=lambda k: (-f["lines"][k], k),
    )
    line_total = sum((f["lines"][pk] for pk in lines), Decimal(0))
    given = Decimal(0)
    for i, pk in enumerate(lines):
        share = (
            _round(target) - given
            if i == len(lines) - 1
            else _share(target * f["lines"][pk] / line_total)
        )
        given += share
        serves = "base" if pk == f["line2"] else None
        title = f"Revenue from {names.get(pk, 'a product line')}"
        objectives.append((ObjectiveKind.REVENUE_LINE, "", pk, title, share, serves))
    if not finished:
        objectives = objectives[:2]  # still writing them: the C split and the rest to come
    for kind, dimension, line, title, amount, serves in objectives:
        services.objective_save(
            user=rep,
            plan=plan,
            data={
                "kind": kind,
                "dimension": dimension,
                "product_line": line,
                "title": title,
                "target": amount,
                "cadence": (
                    ("month" if "Meetings" in title else "quarter")
                    if kind == ObjectiveKind.ACTIVITY
                    else "period"
                ),
                "strategies": [by_key[serves].pk] if serves else every,
            },
        )
    if not finished:
        return plan
    for goal in r.sample(texts["goal"], 2):
        services.goal_save(user=rep, plan=plan, data={"text": goal["text"].format(**words)})
    plan.refresh_from_db()
    return services.territory_plan_activate(user=rep, plan=plan)


def territory_plans_flush() -> int:
    """Delete every territory plan (with its strategies, activities, objectives, goals,
    trail and versions), before the territory they plan is flushed: their objectives name
    product lines and their strategies accounts that are about to go."""
    count = TerritoryPlan.objects.count()
    TerritoryPlan.objects.all().delete()
    return count

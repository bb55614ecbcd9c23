"""Brock's pipeline math: how many qualified opportunities a goal still needs.

    opportunities needed = (goal − what the period is expected to bring)
                           ÷ (win rate × average deal size)

What the period is expected to bring (``forecasting.period_forecast``) already holds the
sales booked in it, so the wins of the period so far count toward the goal.

The **win rate** (won ÷ (won + lost)) and the **deal size** (the mean amount of the deals
won) are learned from closed opportunities of the last ``LOOKBACK_DAYS``, the closest
that has enough history, in this order:

1. the rep's own deals in the product line, when they closed at least ``MIN_CLOSED``
   there (and won at least one: a deal size needs a won deal);
2. the rep's own deals, all lines;
3. the territory's deals in the product line, then all of the territory's.

A deal is the rep's when they own it, or — when the CRM names no owner — when they own
its account. Its product line is that of its product (a deal without a product counts
only in the overall rates). Without any closed deal anywhere there is no rate and the
math says so instead of giving a number."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

MIN_CLOSED = 10  # closed deals a rep needs (in a line, or overall) for rates of their own
LOOKBACK_DAYS = 730

ZERO = Decimal(0)


@dataclass(frozen=True)
class Rates:
    """The win rate and deal size the math uses, and whose history they come from."""

    win_rate: float | None  # 0..1; None: no closed deal to learn from
    deal_size: Decimal | None
    closed: int  # closed deals they were learned from
    won: int = 0
    source: str = "none"  # rep_line, rep, territory_line, territory, none
    line_name: str = ""
    team: bool = False  # learned from several reps: "the team's", not "your"

    @property
    def known(self) -> bool:
        return bool(self.win_rate) and bool(self.deal_size)

    @property
    def whose(self) -> str:
        if self.source.startswith("territory"):
            return "the territory's"
        return "the team's" if self.team else "your"

    @property
    def words(self) -> str:
        """ "your win rate in Cloud, 40% (4 of 10 deals closed in the last 24 months),
        and average deal of 48,000 USD"."""
        from keyplan.core import words

        if self.win_rate is None:
            return "no closed deal in the last 24 months to learn a win rate from"
        if not self.won:
            return (
                f"none of {self.whose} {words.plural(self.closed, 'deal')} closed in the "
                "last 24 months was won"
            )
        line = f" in {self.line_name}" if self.source.endswith("_line") else ""
        return (
            f"{self.whose} win rate{line}, {self.win_rate:.0%} ({self.won:,} of "
            f"{words.plural(self.closed, 'deal')} closed in the last 24 months), and "
            f"{self.whose} average deal won{line}, {words.estimate(self.deal_size)}"
        )


def _closed_rows(since: datetime.date, until: datetime.date):
    """One grouped query: per (rep, product line), closed, won and the amount won."""
    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity

    won = Q(status=OpportunityStatus.WON)
    return (
        Opportunity.objects.filter(
            status__in=(OpportunityStatus.WON, OpportunityStatus.LOST),
            close_date__gte=since,
            close_date__lte=until,
        )
        .order_by()
        .annotate(rep_id=Coalesce("owner_id", "account__owner_id"))
        .values("rep_id", "product__product_line_id")
        .annotate(
            closed=Count("pk"),
            won=Count("pk", filter=won),
            won_amount=Sum("amount", filter=won),
        )
        .values_list("rep_id", "product__product_line_id", "closed", "won", "won_amount")
    )


def rates(
    *,
    rep_ids,
    product_line_id: int | None = None,
    today: datetime.date | None = None,
    rows=None,
    line_name: str | None = None,
) -> Rates:
    """The rates for ``rep_ids`` (one rep, or a team's), by the order in the module's
    docstring. ``rows``: ``closed_history()`` when the caller asks for many reps or lines
    (one query for all of them); ``line_name`` when the caller knows it (else one query)."""
    from django.utils import timezone

    rep_ids = set(rep_ids)
    if rows is None:
        rows = closed_history(today=today or timezone.localdate())
    # [closed, won, amount won] per level
    levels = defaultdict(lambda: [0, 0, ZERO])
    for rep_id, line_id, closed, won, amount in rows:
        keys = ["territory"]
        if line_id is not None and line_id == product_line_id:
            keys.append("territory_line")
        if rep_id in rep_ids:
            keys.append("rep")
            if line_id is not None and line_id == product_line_id:
                keys.append("rep_line")
        for key in keys:
            level = levels[key]
            level[0] += closed
            level[1] += won
            level[2] += amount or ZERO
    if line_name is None:
        line_name = _line_name(product_line_id) if product_line_id else ""
    return _pick(levels, team=len(rep_ids) > 1, line_name=line_name)


def rates_by_rep(rep_ids, rows) -> dict[int, Rates]:
    """``rates(rep_ids=[pk], rows=rows)`` for each rep, in one pass over the rows: the
    executive's board of 500 reps asked ``rates`` once per rep, each reading every row of
    the territory's history (1.4 s of its 2.4 s at 100,000 accounts)."""
    wanted = set(rep_ids)
    territory = [0, 0, ZERO]
    per_rep = defaultdict(lambda: [0, 0, ZERO])
    for rep_id, _line_id, closed, won, amount in rows:
        for level in (territory, per_rep[rep_id]) if rep_id in wanted else (territory,):
            level[0] += closed
            level[1] += won
            level[2] += amount or ZERO
    return {
        pk: _pick(
            {"territory": territory, "rep": per_rep[pk]}
            if pk in per_rep
            else {"territory": territory},
            team=False,
        )
        for pk in rep_ids
    }


def _pick(levels, *, team: bool, line_name: str = "") -> Rates:
    """The first level with enough history ([closed, won, amount won] per level)."""
    for source in ("rep_line", "rep", "territory_line", "territory"):
        closed, won, amount = levels.get(source, (0, 0, ZERO))
        enough = closed >= MIN_CLOSED if source.startswith("rep") else closed > 0
        if enough and won:
            return Rates(
                win_rate=won / closed,
                deal_size=(Decimal(amount) / won).quantize(Decimal("0.01")),
                closed=closed,
                won=won,
                source=source,
                line_name=line_name,
                team=team,
            )
    closed, won, _amount = levels.get("territory", (0, 0, ZERO))
    # Deals closed but none won: a rate of 0 and no deal size; the math says so.
    return Rates(
        win_rate=0.0 if closed else None,
        deal_size=None,
        closed=closed,
        won=won,
        source="territory" if closed else "none",
        team=team,
    )


def closed_history(*, today: datetime.date) -> list[tuple]:
    """The closed deals of the last ``LOOKBACK_DAYS`` grouped per rep and product line.

    Territory-wide, whoever looks (a rep's rates fall back on the territory's), so cached
    like the analyses per day and version of the sales roll-up, which every write to an
    opportunity moves on: on 100,000 accounts it reads ~160,000 closed deals, and each
    territory plan page and team board asked for it."""
    from keyplan.territory.analysis.cache import cached

    since = today - datetime.timedelta(days=LOOKBACK_DAYS)
    return cached(
        "closed_history",
        None,
        {"since": since.isoformat(), "until": today.isoformat()},
        lambda: list(_closed_rows(since, today)),
    )


def _line_name(pk: int) -> str:
    from keyplan.catalog.models import ProductLine

    return ProductLine.objects.filter(pk=pk).values_list("name", flat=True).first() or ""


def approximately(value: Decimal) -> Decimal:
    """Two significant figures: 47,850 → 48,000; 1,234 → 1,200 (the "~" in the sentence)."""
    if not value:
        return ZERO
    digits = int(math.floor(math.log10(abs(float(value)))))
    step = Decimal(10) ** max(digits - 1, 0)
    return (Decimal(value) / step).quantize(Decimal(1)) * step


@dataclass
class PipelineNeed:
    """How many qualified opportunities the goal still needs, against what is open."""

    goal: Decimal
    forecast: Decimal
    rates: Rates
    needed: int | None  # None: no rate to compute it from
    have: int  # open opportunities closing by ``by``
    have_amount: Decimal
    ideas: int
    by: datetime.date
    sentence: str
    note: str = ""  # what the forecast leaves out (not computed yet, months past its horizon)

    @property
    def gap(self) -> Decimal:
        return max(self.goal - self.forecast, ZERO)

    @property
    def shortfall(self) -> int:
        """Opportunities still to find beyond the open ones (0 when enough are open)."""
        return max((self.needed or 0) - self.have, 0)

    @property
    def met(self) -> bool:
        return self.needed is not None and self.shortfall == 0


def need(
    *,
    goal: Decimal,
    forecast: Decimal,
    rates: Rates,
    open_pipeline: tuple[int, Decimal],
    ideas_count: int = 0,
    ideas_where: str = "in plans",
    by: datetime.date,
    who: str = "",
) -> PipelineNeed:
    """The math and its sentence ("You need 14 more qualified opportunities of ~48,000
    USD by June 2027; you have 6."). ``who``: the rep's name when someone else reads
    about them (the manager's team board): "Amir Bianchi needs 14 more …; they have 6."."""
    from keyplan.core import words

    goal, forecast = Decimal(goal or 0), Decimal(forecast or 0)
    have, have_amount = open_pipeline
    have_amount = Decimal(have_amount or 0)
    gap = goal - forecast
    when = f"{by:%B %Y}"
    you_have = (
        ("they have" if who else "you have")
        + f" {have:,}"
        + (f" open, and {words.plural(ideas_count, 'idea')} {ideas_where}" if ideas_count else "")
    )
    the_goal = f"{who}'s goal" if who else "the goal"
    needed = None
    if gap <= 0:
        needed = 0
        sentence = f"The forecast already reaches {the_goal}: no new pipeline needed."
    elif rates.win_rate is None:
        sentence = (
            f"{the_goal[:1].upper()}{the_goal[1:]} needs "
            f"{words.amount(gap.quantize(Decimal(1)))} beyond the forecast, but "
            "no deal closed in the last 24 months, here or anywhere in the territory, to "
            "learn a win rate and deal size from: no number of opportunities can be given."
        )
    elif not rates.known:
        sentence = (
            f"{the_goal[:1].upper()}{the_goal[1:]} needs "
            f"{words.amount(gap.quantize(Decimal(1)))} beyond the forecast, but "
            f"none of the {words.plural(rates.closed, 'deal')} closed in the last 24 months "
            "was won: there is no win rate or deal size to size the pipeline with."
        )
    else:
        per_opportunity = Decimal(rates.win_rate) * rates.deal_size
        needed = math.ceil(gap / per_opportunity)
        size = words.amount(approximately(rates.deal_size))
        count = words.plural(needed, "more qualified opportunity", "more qualified opportunities")
        subject = f"{who} needs" if who else "You need"
        sentence = f"{subject} {count} of ~{size} by {when}; {you_have}."
    return PipelineNeed(
        goal=goal,
        forecast=forecast,
        rates=rates,
        needed=needed,
        have=have,
        have_amount=have_amount,
        ideas=ideas_count,
        by=by,
        sentence=sentence,
    )


# -- where the math is asked: an account plan, a territory plan, a rep, a team ----------


def _window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=LOOKBACK_DAYS), today


def plan_need(plan, *, account_ids=None, ideas=None, today=None) -> PipelineNeed:
    """The account plan's math: its revenue goal against what its accounts are expected to
    bring over the plan's months, the rates of the plan's owner (else the territory's),
    the open deals of its accounts closing by the plan's end, and its open ideas.

    One query when the page has read the plan's accounts (``account_ids``) and ideas
    (``ideas``): the booked sales, the open deals and the closed history are one UNION
    of three grouped reads (the plan page's query bound allows one)."""
    from django.db.models import Case, CharField, DecimalField, IntegerField, Value, When
    from django.utils import timezone

    from keyplan.plans.choices import IDEA_PIPELINE_STAGES
    from keyplan.plans.selectors import plan_account_ids
    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity, SalesMonth
    from keyplan.salesplan.forecasting import Span, booked_until, period_forecast

    today = today or timezone.localdate()
    ids = list(account_ids) if account_ids is not None else plan_account_ids(plan)
    span = Span(plan.period_start, plan.period_end)
    # The forecast's months from the cache (no query); the booked ones in the union below.
    months = period_forecast(ids, span, booked={})
    money = DecimalField(max_digits=20, decimal_places=2)
    whole = IntegerField()
    booked = (
        SalesMonth.objects.filter(
            account_id__in=ids,
            month__gte=span.start.replace(day=1),
            month__lte=booked_until(span, months.result),
        )
        .order_by()
        .annotate(kind=Value("booked", CharField()))
        .values("kind")
        .annotate(n=Value(0, whole), won=Value(0, whole), amount=Sum("amount", output_field=money))
    )
    open_deals = (
        Opportunity.objects.filter(
            account_id__in=ids,
            status=OpportunityStatus.OPEN,
            close_date__lte=span.end,
            amount__isnull=False,
        )
        .order_by()
        .annotate(kind=Value("open", CharField()))
        .values("kind")
        .annotate(n=Count("pk"), won=Value(0, whole), amount=Sum("amount", output_field=money))
    )
    since, until = _window(today)
    won = Q(status=OpportunityStatus.WON)
    closed = (
        Opportunity.objects.filter(
            status__in=(OpportunityStatus.WON, OpportunityStatus.LOST),
            close_date__gte=since,
            close_date__lte=until,
        )
        .order_by()
        .annotate(
            rep_id=Coalesce("owner_id", "account__owner_id"),
            kind=Case(
                When(rep_id=plan.owner_id or -1, then=Value("rep")),
                default=Value("others"),
                output_field=CharField(),
            ),
        )
        .values("kind")
        .annotate(
            n=Count("pk"),
            won=Count("pk", filter=won),
            amount=Sum("amount", filter=won, output_field=money),
        )
    )
    rows = {
        kind: (n, w, a or ZERO)
        for kind, n, w, a in booked.union(open_deals, closed, all=True).values_list(
            "kind", "n", "won", "amount"
        )
    }
    rep = rows.get("rep", (0, 0, ZERO))
    others = rows.get("others", (0, 0, ZERO))
    levels = {"rep": list(rep), "territory": [a + b for a, b in zip(rep, others, strict=True)]}
    if ideas is None:
        ideas_count = plan.ideas.filter(stage__in=IDEA_PIPELINE_STAGES).count()
    else:
        ideas_count = sum(1 for i in ideas if i.stage in IDEA_PIPELINE_STAGES)
    n_open, open_amount = rows.get("open", (0, 0, ZERO))[::2]
    result = need(
        goal=plan.revenue_goal or ZERO,
        forecast=rows.get("booked", (0, 0, ZERO))[2] + months.forecast_total,
        rates=_pick(levels, team=False),
        open_pipeline=(n_open, open_amount),
        ideas_count=ideas_count,
        ideas_where="in this plan",
        by=plan.period_end,
    )
    result.note = months.sentence
    return result


def _open_by_owner(rep_ids, end: datetime.date) -> dict[int, tuple[int, Decimal]]:
    """Per rep, the open deals with an amount on the accounts they own closing by ``end``
    (a deal overdue is still open: it counts). One grouped query, led by the reps'
    accounts (a subquery) so that SQLite reads their deals through the (account, status,
    close date) index instead of every open deal of the territory (0.15 s at 100,000
    accounts)."""
    from keyplan.accounts.models import Account
    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity

    owned = Account.objects.filter(owner_id__in=rep_ids).order_by().values("pk")
    rows = (
        Opportunity.objects.filter(
            account_id__in=owned,
            status=OpportunityStatus.OPEN,
            close_date__lte=end,
            amount__isnull=False,
        )
        .order_by()
        .values_list("account__owner_id")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .values_list("account__owner_id", "n", "total")
    )
    return {rep: (n, total or ZERO) for rep, n, total in rows}


def _ideas_by_owner(rep_ids) -> dict[int, int]:
    """Per rep, the open ideas (idea, qualified) of the account plans, not archived, of
    the accounts they own. One grouped query."""
    from keyplan.plans.choices import IDEA_PIPELINE_STAGES, PlanStatus
    from keyplan.plans.models import Idea

    rows = (
        Idea.objects.filter(plan__account__owner_id__in=rep_ids, stage__in=IDEA_PIPELINE_STAGES)
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .order_by()
        .values_list("plan__account__owner_id")
        .annotate(n=Count("pk"))
        .values_list("plan__account__owner_id", "n")
    )
    return dict(rows)


def _quotas(rep_ids, period) -> dict[int, Decimal]:
    from keyplan.salesplan.choices import QuotaLevel
    from keyplan.salesplan.models import Quota

    return dict(
        Quota.objects.filter(
            level=QuotaLevel.REP,
            rep_id__in=rep_ids,
            fiscal_year=period.fiscal_year,
            quarter=period.quarter,
        ).values_list("rep_id", "amount")
    )


def _expected_from_arrays(owned: dict[int, int], period, today) -> dict[int, Decimal] | None:
    """Each owner's period forecast summed from the period's per-account arrays
    (``salesplan.period_arrays``: the same ``period_forecast`` of each account, to the
    cent) when the worker has computed them, else None. The executive's board of 500 reps
    otherwise read every account's booked sales of the period on each visit (1 s of its
    2 s at 100,000 accounts)."""
    import numpy as np

    from keyplan.salesplan.period_arrays import cached_arrays

    arrays = cached_arrays(period, today)
    if arrays is None or arrays.forecast is None:
        return None
    if not owned or not len(arrays.accounts):
        return {}
    ids = np.fromiter(owned.keys(), np.int64, len(owned))
    owners = np.fromiter(owned.values(), np.int64, len(owned))
    pos = np.minimum(np.searchsorted(arrays.accounts, ids), len(arrays.accounts) - 1)
    found = (arrays.accounts[pos] == ids) & arrays.forecast_has[pos]
    keys, inverse = np.unique(owners[found], return_inverse=True)
    cents = np.zeros(len(keys), np.int64)
    np.add.at(cents, inverse, arrays.forecast[pos[found]])
    return {
        int(owner): Decimal(int(c)).scaleb(-2)
        for owner, c in zip(keys.tolist(), cents.tolist(), strict=True)
    }


def rep_needs(
    reps, period, *, goals=None, today=None, third_person: bool = False
) -> dict[int, PipelineNeed]:
    """Per rep (users or ids), the math for ``period``: the goal (``goals[rep_id]`` when
    given, else the rep's quota for the period; no goal → the rep is left out), the
    period forecast of the accounts they own, their own rates (else the territory's),
    the open deals of their accounts closing by the period's end and the open ideas of
    their plans. A fixed number of queries, whatever the number of reps.

    ``third_person`` (``reps`` as users): each sentence names its rep ("Amir Bianchi
    needs …"), for a manager or an executive reading about them; else it speaks to the
    rep ("You need …")."""
    from django.utils import timezone

    from keyplan.accounts.models import Account
    from keyplan.salesplan.forecasting import period_forecast

    today = today or timezone.localdate()
    rep_ids = [getattr(r, "pk", r) for r in reps]
    names = {r.pk: str(r) for r in reps} if third_person else {}
    goals = dict(goals) if goals is not None else _quotas(rep_ids, period)
    rep_ids = [pk for pk in rep_ids if goals.get(pk) is not None]
    if not rep_ids:
        return {}
    accounts = Account.objects.filter(owner_id__in=rep_ids).order_by()
    owned = dict(accounts.values_list("pk", "owner_id"))
    expected = _expected_from_arrays(owned, period, today)
    if expected is not None:
        # Only the sentence (computed or not, months beyond the horizon): no account's sales.
        forecast = period_forecast([], period, booked={})
    else:
        # The accounts as a subquery for the roll-up (a team may own 20,000 of them).
        forecast = period_forecast(accounts.values("pk"), period)
        expected = {}
        for account_id, value in forecast.by_account.items():
            owner = owned[account_id]
            expected[owner] = expected.get(owner, ZERO) + value
    history = closed_history(today=today)
    open_deals = _open_by_owner(rep_ids, period.end)
    ideas = _ideas_by_owner(rep_ids)
    rep_rates = rates_by_rep(rep_ids, history)
    out = {}
    for pk in rep_ids:
        result = need(
            goal=goals[pk],
            forecast=expected.get(pk, ZERO),
            rates=rep_rates[pk],
            open_pipeline=open_deals.get(pk, (0, ZERO)),
            ideas_count=ideas.get(pk, 0),
            by=period.end,
            who=names.get(pk, ""),
        )
        result.note = forecast.sentence
        out[pk] = result
    return out


def rep_need(rep, period, *, today=None) -> PipelineNeed | None:
    """The rep's math against their quota for ``period`` (None: no quota set)."""
    return rep_needs([rep], period, today=today).get(getattr(rep, "pk", rep))


def territory_need(
    territory_plan, *, today=None, third_person: bool = False
) -> PipelineNeed | None:
    """The territory plan's math: the goal is its revenue objectives by tier summed, or
    the rep's quota for the year when it has none yet (None: neither). ``third_person``:
    the sentence names the rep ("Amir Bianchi needs …"), for their manager reading it."""
    from keyplan.salesplan.choices import ObjectiveKind

    period = territory_plan.period
    by_tier = [
        o.target for o in _objectives(territory_plan) if o.kind == ObjectiveKind.REVENUE_TIER
    ]
    goals = {territory_plan.rep_id: sum(by_tier, ZERO)} if by_tier else None
    rep = territory_plan.rep if third_person else territory_plan.rep_id
    return rep_needs([rep], period, goals=goals, today=today, third_person=third_person).get(
        territory_plan.rep_id
    )


def _objectives(territory_plan) -> list:
    """The plan's objectives, from a prefetch when the page made one."""
    cached = getattr(territory_plan, "_prefetched_objects_cache", {}).get("objectives")
    return list(cached) if cached is not None else list(territory_plan.objectives.all())


@dataclass
class TeamNeed:
    """The team's math: its reps' needs summed (each rep against their own quota)."""

    reps: dict[int, PipelineNeed]
    needed: int  # summed over the reps with a number
    have: int
    without_rates: int  # reps with no rate to compute a number from
    sentence: str

    @property
    def shortfall(self) -> int:
        return sum(n.shortfall for n in self.reps.values())


def team_need(team, period, *, today=None) -> TeamNeed:
    """Every rep of ``team`` against their quota for ``period``, summed."""
    from keyplan.people.models import User

    reps = list(User.objects.filter(team=team, is_active=True).values_list("pk", flat=True))
    return needs_summed(rep_needs(reps, period, today=today), period)


def needs_summed(needs: dict[int, PipelineNeed], period) -> TeamNeed:
    """Reps' needs (``rep_needs``) summed as a team's: the team board sums its people's."""
    from keyplan.core import words

    needed = sum(n.needed or 0 for n in needs.values())
    have = sum(n.have for n in needs.values())
    unknown = sum(1 for n in needs.values() if n.needed is None)
    short = sum(n.shortfall for n in needs.values())
    if not needs:
        sentence = f"No rep of the team has a quota for {period.name}."
    elif not needed and not unknown:
        sentence = "The forecast already reaches every rep's quota: no new pipeline needed."
    else:
        count = words.plural(needed, "more qualified opportunity", "more qualified opportunities")
        # Short rep by rep: one rep's surplus of open deals does not fill another's gap.
        sentence = (
            f"The team's reps need {count} by {period.end:%B %Y}; they have {have:,} open"
            + (f", {short:,} short counted rep by rep." if short else ".")
        )
        if unknown:
            sentence += (
                f" {words.plural(unknown, 'rep has', 'reps have')} no closed history to "
                "size a pipeline from."
            )
    return TeamNeed(needs, needed, have, unknown, sentence)


@dataclass
class LineNeed:
    line_id: int
    line: str
    need: PipelineNeed


def line_needs(territory_plan, *, today=None) -> list[LineNeed]:
    """Per product line the territory plan sets a revenue objective for, the math with the
    rep's rates in that line (else the rep's overall, else the territory's in the line,
    else the territory's): the line's objectives against what the rep's accounts are
    expected to bring in that line, the open deals of the line (by their product) and the
    open ideas of the line in the rep's account plans. A fixed number of queries."""
    from django.db.models.functions import Coalesce as Either
    from django.utils import timezone

    from keyplan.accounts.models import Account
    from keyplan.catalog.models import ProductLine
    from keyplan.plans.choices import IDEA_PIPELINE_STAGES, PlanStatus
    from keyplan.plans.models import Idea
    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity
    from keyplan.salesplan.choices import ObjectiveKind
    from keyplan.salesplan.forecasting import line_forecast

    goals: dict[int, Decimal] = {}
    for o in _objectives(territory_plan):
        if o.kind == ObjectiveKind.REVENUE_LINE and o.product_line_id:
            goals[o.product_line_id] = goals.get(o.product_line_id, ZERO) + o.target
    if not goals:
        return []
    today = today or timezone.localdate()
    period = territory_plan.period
    rep_id = territory_plan.rep_id
    accounts = Account.objects.filter(owner_id=rep_id).values("pk")
    expected = line_forecast(accounts, period)
    history = closed_history(today=today)
    open_deals = {
        line: (n, total or ZERO)
        for line, n, total in Opportunity.objects.filter(
            account__owner_id=rep_id,
            status=OpportunityStatus.OPEN,
            close_date__lte=period.end,
            amount__isnull=False,
            product__product_line_id__in=list(goals),
        )
        .order_by()
        .values_list("product__product_line_id")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .values_list("product__product_line_id", "n", "total")
    }
    ideas = dict(
        Idea.objects.filter(plan__account__owner_id=rep_id, stage__in=IDEA_PIPELINE_STAGES)
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .annotate(line=Either("product_line_id", "product__product_line_id"))
        .filter(line__in=list(goals))
        .order_by()
        .values_list("line")
        .annotate(n=Count("pk"))
        .values_list("line", "n")
    )
    names = dict(ProductLine.objects.filter(pk__in=list(goals)).values_list("pk", "name"))
    out = []
    for line_id in sorted(goals, key=lambda pk: (names.get(pk, ""), pk)):
        found = need(
            goal=goals[line_id],
            forecast=expected.get(line_id),
            rates=rates(
                rep_ids=[rep_id],
                product_line_id=line_id,
                rows=history,
                line_name=names.get(line_id, ""),
            ),
            open_pipeline=open_deals.get(line_id, (0, ZERO)),
            ideas_count=ideas.get(line_id, 0),
            by=period.end,
        )
        found.note = expected.sentence
        out.append(LineNeed(line_id, names.get(line_id, ""), found))
    return out

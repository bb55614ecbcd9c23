"""Win rates by stage learned from the deals' stage history, and their back-test.

A deal's stage history (``OpportunityStageChange``: every stage it entered, recorded from
the web, the API, imports and a CRM's own history such as Salesforce's
``OpportunityHistory``) says which stages each closed deal **reached** before it was won
or lost. A stage's win rate is the share won among the closed deals that reached it,
shrunk toward the territory's overall rate — ``(won + K × overall) ÷ (reached + K)`` —
so a stage few deals reached stays near the overall rate. Closing stages ("Closed Won")
are not stages a deal is forecast from and are left out.

**Back-test**: for each deal closed in the 12 months before the forecast starts, at each
stage it reached, the rate keyplan would have used (learned only from deals closed in the
two years before those 12 months) against the CRM's stated probability at that stage:
the Brier score (mean squared miss, 0 is perfect; always saying 50% scores 0.25) and, per
stage, how many of the deals that reached it each expected to be won against how many
were.
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Lower, Trim

from keyplan.sales.choices import STAGE_PROBABILITY, OpportunityStatus
from keyplan.sales.models import OpportunityStageChange

HOLDOUT_DAYS = 365


def reached_by_stage(since: datetime.date, until: datetime.date) -> dict[str, tuple[int, int]]:
    """Stage → (won, closed) among the deals closed in [since, until] that reached it
    (one aggregate query over the stage history)."""
    rows = (
        OpportunityStageChange.objects.filter(
            opportunity__status__in=(OpportunityStatus.WON, OpportunityStatus.LOST),
            opportunity__close_date__gte=since,
            opportunity__close_date__lte=until,
        )
        .order_by()
        .values("to_stage")
        .annotate(
            won=Count(
                "opportunity_id",
                distinct=True,
                filter=Q(opportunity__status=OpportunityStatus.WON),
            ),
            closed=Count("opportunity_id", distinct=True),
        )
    )
    return {r["to_stage"]: (r["won"], r["closed"]) for r in rows}


def closed_with_history(since: datetime.date, until: datetime.date) -> int:
    """Closed deals in [since, until] whose history shows a stage before the closing one
    (a deal imported already closed has only its closing stage: no history to learn)."""
    from keyplan.forecast.pipeline import closing_stage_names

    return (
        OpportunityStageChange.objects.filter(
            opportunity__status__in=(OpportunityStatus.WON, OpportunityStatus.LOST),
            opportunity__close_date__gte=since,
            opportunity__close_date__lte=until,
        )
        .annotate(stage_key=Lower(Trim("to_stage")))
        .exclude(stage_key__in=closing_stage_names())
        .order_by()
        .values("opportunity_id")
        .distinct()
        .count()
    )


def period_words(since: datetime.date, until: datetime.date) -> str:
    days = (until - since).days + 1
    if 725 <= days <= 735:
        return "in the last two years"
    if 360 <= days <= 370:
        return "in the last year"
    return f"closed {since:%Y-%m-%d} to {until:%Y-%m-%d}"


@dataclass
class StageScore:
    stage: str
    deals: int  # closed deals in the held-out year that reached the stage
    won: int
    learned: float  # wins expected by keyplan's learned rate
    stated: float  # wins expected by the CRM's probability
    learned_rate: float
    stated_rate: float  # average CRM probability at the stage, 0..1
    basis: str = ""


@dataclass
class StageBacktest:
    """The learned stage rates against the CRM's probabilities on the last 12 months."""

    held_out: str = ""  # "2025-12-01 to 2026-11-30"
    learned_on: str = ""
    deals: int = 0  # closed deals held out that have a stage history
    deals_without_history: int = 0
    points: int = 0  # (deal, stage reached) pairs scored
    brier_learned: float | None = None
    brier_stated: float | None = None
    stages: list[StageScore] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def stage_backtest(until: datetime.date) -> StageBacktest:
    """Deals closed in the 12 months to ``until``: each stage they reached, scored with the
    rate learned from the two years before against the CRM's stated probability."""
    from keyplan.forecast.pipeline import LOOKBACK_DAYS, closing_stage_names, win_rates
    from keyplan.sales.models import Opportunity

    start = until - datetime.timedelta(days=HOLDOUT_DAYS - 1)
    learn_until = start - datetime.timedelta(days=1)
    learn_since = learn_until - datetime.timedelta(days=LOOKBACK_DAYS - 1)
    bt = StageBacktest(
        held_out=f"{start:%Y-%m-%d} to {until:%Y-%m-%d}",
        learned_on=f"{learn_since:%Y-%m-%d} to {learn_until:%Y-%m-%d}",
    )
    closed = Opportunity.objects.filter(
        status__in=(OpportunityStatus.WON, OpportunityStatus.LOST),
        close_date__gte=start,
        close_date__lte=until,
    )
    total = closed.count()
    if not total:
        bt.note = "No deal closed in the last 12 months: nothing to check the rates on."
        return bt
    rates = win_rates(learn_since, learn_until)
    closing = closing_stage_names()
    # (deal, stage) → (won, stated probability at the stage); the latest entry wins.
    pairs: dict[tuple[int, str], tuple[bool, int | None]] = {}
    for deal, stage, probability, status in (
        OpportunityStageChange.objects.filter(opportunity__in=closed)
        .order_by("opportunity_id", "changed_at", "pk")
        .values_list("opportunity_id", "to_stage", "probability", "opportunity__status")
        .iterator(chunk_size=20000)
    ):
        if stage.strip().lower() in closing:
            continue
        pairs[(deal, stage)] = (status == OpportunityStatus.WON, probability)
    bt.deals = len({d for d, _s in pairs})  # with a stage recorded before closing
    bt.deals_without_history = total - bt.deals
    if rates.overall is None:
        bt.note = (
            "No deal closed in the two years before the last 12 months: there was nothing "
            "to learn the rates from."
        )
        return bt
    # stage → [deals that reached it, won, wins the learned rate expected, the CRM's]
    per_stage: dict[str, list] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    sq_learned = sq_stated = 0.0
    for (_deal, stage), (won, probability) in pairs.items():
        if probability is None:
            probability = _default_probability(stage)
        learned, _basis = rates.rate(stage, probability)
        stated = probability / 100
        sq_learned += (learned - won) ** 2
        sq_stated += (stated - won) ** 2
        s = per_stage[stage]
        s[0] += 1
        s[1] += won
        s[2] += learned
        s[3] += stated
    bt.points = sum(s[0] for s in per_stage.values())
    if not bt.points:
        bt.note = (
            "The deals closed in the last 12 months have no recorded stages before closing: "
            "nothing to score."
        )
        return bt
    bt.brier_learned = round(sq_learned / bt.points, 4)
    bt.brier_stated = round(sq_stated / bt.points, 4)
    for stage, (n, won, learned, stated) in per_stage.items():
        bt.stages.append(
            StageScore(
                stage,
                n,
                won,
                round(learned, 1),
                round(stated, 1),
                round(learned / n, 4),
                round(stated / n, 4),
                rates.rate(stage, round(stated / n * 100))[1],
            )
        )
    bt.stages.sort(key=lambda s: (s.stated_rate, s.stage))
    return bt


def _default_probability(stage: str) -> int:
    for name, probability in STAGE_PROBABILITY.items():
        if name.lower() == stage.strip().lower():
            return probability
    return 10


def backtest_sentences(bt: dict) -> list[str]:
    """The stage back-test in words, for the page and the command line."""
    if not bt or bt.get("brier_learned") is None:
        return [bt.get("note") or "No stage back-test."] if bt else []
    better = bt["brier_learned"] < bt["brier_stated"]
    out = [
        f"Trained on deals closed {bt['learned_on']}, keyplan's win rates by stage were "
        f"checked on the {bt['deals']:,} deals closed {bt['held_out']} that have a stage "
        f"history, at each of the {bt['points']:,} stages they reached: Brier score "
        f"{bt['brier_learned']:.3f} against {bt['brier_stated']:.3f} for the CRM's stated "
        f"probabilities (the mean squared miss; lower is better) — the learned rates "
        + ("predicted better." if better else "did not predict better here.")
    ]
    if bt.get("deals_without_history"):
        out.append(
            f"{bt['deals_without_history']:,} deals closed in those months have no stage "
            "history and are not scored."
        )
    return out


def stage_table(rates, open_stages: dict[str, float]) -> list[dict]:
    """Per stage of the open pipeline (stage → average stated probability, 0..100) and
    per learned stage: the rate used and how it was learned, in words."""
    rows = []
    for stage in sorted(set(open_stages) | set(rates.stages)):
        stated = open_stages.get(stage)
        if stated is None:
            stated = _default_probability(stage)
        rate, basis = rates.rate(stage, round(stated))
        rows.append(
            {
                "stage": stage,
                "rate": round(rate, 4),
                "stated": round(stated / 100, 4),
                "basis": basis,
                "open_deals": stage in open_stages,
            }
        )
    rows.sort(key=lambda r: (r["stated"], r["stage"]))
    return rows


def territory_stage_backtest(months: list[datetime.date]) -> dict:
    """The stage back-test up to the day before the forecast's first month (cached like
    the forecast: until the sales or the deals change)."""
    from keyplan.territory.analysis.cache import cached

    first = months[0] if months else datetime.date.today().replace(day=1)
    until = first - datetime.timedelta(days=1)
    return cached(
        "stage_backtest",
        None,
        {"until": until.isoformat()},
        lambda: stage_backtest(until).as_dict(),
    )


def open_stage_probabilities(deals) -> dict[str, float]:
    """Stage → average CRM probability (percent) of the open deals at it."""
    sums: dict[str, list] = defaultdict(lambda: [0, 0])
    for d in deals:
        sums[d.stage][0] += d.stated
        sums[d.stage][1] += 1
    return {stage: total / n for stage, (total, n) in sums.items()}

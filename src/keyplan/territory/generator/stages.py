"""Each generated deal's way through the stages, with a known structure the win rates by
stage must recover.

Every deal starts at Prospecting and moves up one stage at a time. A won deal went through
all four open stages; a lost deal was lost at one of them, drawn from ``LOST_AT`` (most
deals are lost early); an open deal has gone through the stages up to its current one.
So the true chance that a deal which reached a stage is won is
``won ÷ (won + lost × share lost at this stage or later)`` (``true_stage_rates``), which
differs from the CRM's stated probability (10%, 25%, 50%, 75%): a forecast that learns from
the history beats one that trusts the CRM.

The steps are drawn from a random stream of their own, seeded by the territory's seed
and the deal's number, so the rest of the territory is the same with or without them.
"""

import datetime
import random

from keyplan.sales.choices import STAGE_PROBABILITY, STAGE_STATUS, Stage

OPEN_STAGES = [s for s in Stage if STAGE_STATUS[s] == "open"]
# Of the lost deals, the share lost at each open stage.
LOST_AT = {
    Stage.PROSPECTING: 0.4,
    Stage.QUALIFICATION: 0.3,
    Stage.PROPOSAL: 0.2,
    Stage.NEGOTIATION: 0.1,
}
_NINE = datetime.time(9, 0, tzinfo=datetime.UTC)


def true_stage_rates(won_share: float) -> dict[str, float]:
    """Stage → the chance a closed deal that reached it was won, given the share of closed
    deals won (``won_share``)."""
    rates = {}
    for i, stage in enumerate(OPEN_STAGES):
        later = sum(LOST_AT[s] for s in OPEN_STAGES[i:])
        rates[stage.value] = won_share / (won_share + (1 - won_share) * later)
    return rates


def stage_history(
    seed: int, n: int, stage: str, created: datetime.date, until: datetime.date
) -> list:
    """The steps of deal ``n`` (now at ``stage``) from ``created`` to ``until`` (its close
    date, or the end of the history for an open deal)."""
    from keyplan.territory.generator.records import StageStepRec

    r = random.Random(seed * 1_000_003 + n)
    status = STAGE_STATUS[Stage(stage)]
    if status == "open":
        path = OPEN_STAGES[: OPEN_STAGES.index(Stage(stage)) + 1]
    elif status == "won":
        path = [*OPEN_STAGES, Stage.CLOSED_WON]
    else:
        lost_at = r.choices(list(LOST_AT), weights=list(LOST_AT.values()))[0]
        path = [*OPEN_STAGES[: OPEN_STAGES.index(lost_at) + 1], Stage.CLOSED_LOST]
    days = max(0, (until - created).days)
    steps = len(path) - 1 if status != "open" else len(path)
    # Moves spread over the deal's life, a little unevenly; a closing step on the close date.
    offsets = sorted(r.randint(0, days) for _ in range(max(0, steps - 1)))
    dates = [created, *(created + datetime.timedelta(days=o) for o in offsets)]
    if status != "open":
        dates.append(until)
    out, before = [], ""
    for step, day in zip(path, dates, strict=True):
        out.append(
            StageStepRec(
                before, step.value, STAGE_PROBABILITY[step], datetime.datetime.combine(day, _NINE)
            )
        )
        before = step.value
    return out

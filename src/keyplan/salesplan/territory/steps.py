"""Conti's order, from what the plan holds: which of the five steps of a territory plan
are done, which are open, and — for a locked one — why, in words. Nothing is stored: the
states follow from the facts being read, the strategies, their activities and
objectives, and the goals, so removing the last activity of a strategy closes the
objectives step again (the plan no longer holds what the step stands on).

* Facts: done once the rep has read them (``facts_reviewed_at``).
* Strategies: open after the facts; done with one to five strategies.
* Activities: open once there is a strategy; done when every strategy has an activity.
* Objectives: open when the activities are done; done when every strategy has an
  objective and there is at least one revenue objective.
* Goals: open when the objectives are done; done with at least one goal.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from keyplan.salesplan.choices import REVENUE_KINDS, TerritoryStep

MAX_STRATEGIES = 5
# Names listed in a sentence before the rest are counted ("and 3 more").
NAMED = 3


@dataclass(frozen=True)
class StepState:
    """One step of a territory plan as the page shows it."""

    step: TerritoryStep
    label: str
    open: bool
    done: bool
    why_locked: str  # "" when open
    missing: str  # what the step still needs, in words ("" when done)

    @property
    def locked(self) -> bool:
        return not self.open

    @property
    def number(self) -> int:
        return int(self.step)


def _quoted(names: list[str]) -> str:
    """["A", "B"] → "“A” and “B”"; more than NAMED → "“A”, “B”, “C” and 2 more"."""
    shown = [f"“{n}”" for n in names[:NAMED]]
    rest = len(names) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest} more"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def _has_none(names: list[str]) -> str:
    return f"{_quoted(names)} {'has' if len(names) == 1 else 'have'} none"


@dataclass
class _Holdings:
    """What one plan holds, as far as the steps care."""

    facts_read: bool
    strategies: list[tuple[str, int, int]]  # (title, activities, objectives) in order
    revenue_objectives: int = 0
    goals: int = 0


def _states(h: _Holdings) -> list[StepState]:
    titles = [t for t, _, _ in h.strategies]
    without_activity = [t for t, a, _ in h.strategies if not a]
    without_objective = [t for t, _, o in h.strategies if not o]
    count = len(titles)

    facts_done = h.facts_read
    strategies_open = facts_done
    strategies_done = strategies_open and 1 <= count <= MAX_STRATEGIES
    activities_open = strategies_open and count >= 1
    activities_done = activities_open and not without_activity
    objectives_open = activities_done
    objectives_done = objectives_open and not without_objective and h.revenue_objectives > 0
    goals_open = objectives_done
    goals_done = goals_open and h.goals > 0

    if not count:
        activities_missing = "Add a strategy first: activities belong to a strategy."
    elif without_activity:
        activities_missing = f"Every strategy needs an activity: {_has_none(without_activity)}."
    else:
        activities_missing = ""
    objective_gaps = []
    if without_objective:
        objective_gaps.append(f"every strategy needs an objective: {_has_none(without_objective)}")
    if not h.revenue_objectives:
        objective_gaps.append("the plan needs at least one revenue objective")
    objectives_missing = "; ".join(objective_gaps)
    objectives_missing = (
        objectives_missing[:1].upper() + objectives_missing[1:] + "." if objectives_missing else ""
    )

    if not count:
        activities_state = "there is no strategy yet"
    else:
        activities_state = _has_none(without_activity) if without_activity else ""

    out = [
        StepState(
            TerritoryStep.FACTS,
            TerritoryStep.FACTS.label,
            True,
            facts_done,
            "",
            "" if facts_done else "Read the facts of the territory and mark them read.",
        ),
        StepState(
            TerritoryStep.STRATEGIES,
            TerritoryStep.STRATEGIES.label,
            strategies_open,
            strategies_done,
            "" if strategies_open else "Strategies open once the facts have been read.",
            ""
            if strategies_done
            else (
                "Add at least one strategy (up to five)."
                if not count
                else f"Keep at most five strategies: there are {count}."
            ),
        ),
        StepState(
            TerritoryStep.ACTIVITIES,
            TerritoryStep.ACTIVITIES.label,
            activities_open,
            activities_done,
            ""
            if activities_open
            else (
                "Activities open once the plan has a strategy."
                if strategies_open
                else "Activities open once the facts have been read and the plan has a strategy."
            ),
            activities_missing,
        ),
        StepState(
            TerritoryStep.OBJECTIVES,
            TerritoryStep.OBJECTIVES.label,
            objectives_open,
            objectives_done,
            ""
            if objectives_open
            else (
                f"Objectives open once every strategy has an activity: {activities_state}."
                if strategies_open
                else "Objectives open once the facts have been read and every strategy has an "
                "activity."
            ),
            objectives_missing,
        ),
        StepState(
            TerritoryStep.GOALS,
            TerritoryStep.GOALS.label,
            goals_open,
            goals_done,
            ""
            if goals_open
            else (
                "Goals open once the objectives are done: "
                + (objectives_missing[:1].lower() + objectives_missing[1:])
                if objectives_open
                else "Goals open once the objectives are done, and objectives once every "
                "strategy has an activity."
            ),
            "" if goals_done else "Add at least one qualitative goal.",
        ),
    ]
    return out


def step_states(plans) -> dict[int, list[StepState]]:
    """The five steps of each plan (id → states), in three queries however many plans."""
    from keyplan.salesplan.models import TerritoryGoal, TerritoryObjective, TerritoryStrategy

    plans = list(plans)
    if not plans:
        return {}
    ids = [p.pk for p in plans]
    held = {
        p.pk: _Holdings(facts_read=p.facts_reviewed_at is not None, strategies=[]) for p in plans
    }
    strategies = (
        TerritoryStrategy.objects.filter(plan_id__in=ids)
        .annotate(
            n_activities=Count("activities", distinct=True),
            n_objectives=Count("objectives", distinct=True),
        )
        .order_by("plan_id", "pk")
        .values_list("plan_id", "title", "n_activities", "n_objectives")
    )
    for plan_id, title, activities, objectives in strategies:
        held[plan_id].strategies.append((title, activities, objectives))
    revenue = (
        TerritoryObjective.objects.filter(plan_id__in=ids)
        .values("plan_id")
        .annotate(n=Count("pk", filter=Q(kind__in=list(REVENUE_KINDS))))
        .values_list("plan_id", "n")
    )
    for plan_id, n in revenue:
        held[plan_id].revenue_objectives = n
    goals = (
        TerritoryGoal.objects.filter(plan_id__in=ids)
        .values("plan_id")
        .annotate(n=Count("pk"))
        .values_list("plan_id", "n")
    )
    for plan_id, n in goals:
        held[plan_id].goals = n
    return {pk: _states(h) for pk, h in held.items()}


def steps(plan) -> list[StepState]:
    """The five steps of ``plan`` in order (three queries)."""
    return step_states([plan])[plan.pk]


def state_of(states: list[StepState], step) -> StepState:
    return next(s for s in states if s.step == step)


def step_reached(states: list[StepState]) -> StepState | None:
    """The first step not done (where the rep is), or None when every step is done."""
    return next((s for s in states if not s.done), None)


def reached_words(states: list[StepState]) -> str:
    """ "Step 3 of 5: Activities", or "All five steps done"."""
    current = step_reached(states)
    if current is None:
        return "All five steps done"
    return f"Step {current.number} of {len(states)}: {current.label}"


def require_open(plan, step, *, states: list[StepState] | None = None) -> list[StepState]:
    """Refuse to work on a step that is not open yet, saying why in words (a
    ValidationError under the step's name). Returns the states it read."""
    states = states if states is not None else steps(plan)
    state = state_of(states, step)
    if not state.open:
        raise ValidationError({"step": [state.why_locked]}, code="step_locked")
    return states


def all_done_or_refusal(states: list[StepState]) -> str | None:
    """None when every step is done, else what is still missing, step by step."""
    missing = [f"{s.label}: {s.missing or s.why_locked}" for s in states if not s.done]
    if not missing:
        return None
    return "A territory plan is activated once every step is done. Still to do — " + " ".join(
        m if m.endswith(".") else m + "." for m in missing
    )


__all__ = [
    "MAX_STRATEGIES",
    "StepState",
    "all_done_or_refusal",
    "reached_words",
    "require_open",
    "state_of",
    "step_reached",
    "step_states",
    "steps",
]

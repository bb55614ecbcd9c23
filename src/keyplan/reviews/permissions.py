"""Who may do what with quarterly reviews. Who *sees* a sitting is decided where every
other visibility is: ``ReviewSitting.objects.visible_to`` (people.scope). This module
decides the rest, and every page, API endpoint and service asks it.

* A manager schedules, moves, cancels and runs the reviews of their people: the reps
  reporting to them (``User.manager``), members of the teams they manage, and anyone
  further down their chain. Administrators may too.
* The rep reads their own sittings: they present, the manager records.
* Everyone else who sees a sitting (executives, sales ops) reads it.
"""

from keyplan.people.scope import scope_for
from keyplan.reviews.choices import SittingStatus


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def manages(user, rep) -> bool:
    """``rep`` works for ``user``: directly, through a team ``user`` manages, or further
    down ``user``'s management chain."""
    if rep is None or rep.pk == user.pk:
        return False
    if rep.manager_id == user.pk:
        return True
    if rep.team_id is not None and rep.team.manager_id == user.pk:
        return True
    scope = scope_for(user)
    return not scope.everything and rep.pk in scope.user_ids


def schedule_refusal(user, rep) -> str | None:
    """Why ``user`` may not schedule a review of ``rep``, or None when they may."""
    if not _active(user):
        return "Sign in to schedule reviews."
    if rep is not None and rep.pk == user.pk:
        return "Your own plans are reviewed by your manager: they schedule that sitting."
    if user.is_superuser or manages(user, rep):
        return None
    return (
        f"Only {rep}'s managers schedule and run {rep}'s quarterly reviews; "
        "you can read the sittings you see."
    )


def run_refusal(user, sitting) -> str | None:
    """Why ``user`` may not change ``sitting`` (move it, record outcomes, close it)."""
    if not _active(user):
        return "Sign in to run reviews."
    if sitting.status == SittingStatus.HELD:
        return (
            "This review was held and closed: what it decided stays on record. "
            "Schedule the next quarter's sitting for new decisions."
        )
    if sitting.status == SittingStatus.CANCELLED:
        return "This sitting was cancelled: schedule a new one."
    if sitting.manager_id == user.pk:
        return None
    return schedule_refusal(user, sitting.rep)


def can_run(user, sitting) -> bool:
    return run_refusal(user, sitting) is None

"""Who may change a territory plan. Who may *see* one is decided where every other
visibility is: ``TerritoryPlan.objects.visible_to`` (people.scope).

* The rep themself, their managers (up the management chain, as people.scope reads it),
  sales operations and administrators build and change the plan.
* Executives and everyone else who sees it read it.
* Nobody changes an archived plan.
"""

from keyplan.people.choices import Role
from keyplan.people.scope import scope_for
from keyplan.salesplan.choices import TerritoryPlanStatus


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _refusal_for_rep(user, rep) -> str | None:
    if user.manages_settings or user.pk == rep.pk:
        return None
    if user.role == Role.MANAGER and rep.pk in scope_for(user).user_ids:
        return None
    return (
        f"Only {rep} and their managers (or sales operations) change {rep}'s territory "
        "plan; you can read it."
    )


def territory_edit_refusal(user, plan) -> str | None:
    """Why ``user`` may not change ``plan`` now, or None when they may."""
    if not _active(user):
        return "Sign in to change territory plans."
    if plan.status == TerritoryPlanStatus.ARCHIVED:
        return "This territory plan is archived: it can be read but no longer changed."
    return _refusal_for_rep(user, plan.rep)


def territory_create_refusal(user, rep) -> str | None:
    """Why ``user`` may not start a territory plan for ``rep``, or None when they may."""
    if not _active(user):
        return "Sign in to start a territory plan."
    if rep is None:
        return "Say whose territory plan it is."
    if not rep.is_active:
        return f"{rep} is no longer active: nobody starts a territory plan for them."
    if user.manages_settings or user.pk == rep.pk:
        return None
    if user.role == Role.MANAGER and rep.pk in scope_for(user).user_ids:
        return None
    return f"Only {rep} and their managers (or sales operations) start {rep}'s territory plan."


def can_edit_territory_plan(user, plan) -> bool:
    return territory_edit_refusal(user, plan) is None

"""Who may change quotas and account goals. Who may *see* them is decided where every
other visibility is: ``Quota.objects.visible_to`` (people.scope) and, for account goals,
the account's ``visible_to``.

* Sales operations and administrators set quotas (rep, team, company).
* A rep's quota is distributed over their accounts by the rep, by their managers (up the
  management chain, as people.scope reads it), or by sales ops and admins.
"""

from keyplan.people.choices import Role
from keyplan.people.scope import scope_for


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def quota_edit_refusal(user) -> str | None:
    if not _active(user):
        return "Sign in to change quotas."
    if user.manages_settings:
        return None
    return "Only sales operations and administrators set quotas; you can read the ones you see."


def can_edit_quotas(user) -> bool:
    return quota_edit_refusal(user) is None


def goals_edit_refusal(user, rep) -> str | None:
    """Why ``user`` may not distribute ``rep``'s quota over their accounts, or None."""
    if not _active(user):
        return "Sign in to set account goals."
    if rep is None:
        return "Only a rep's quota is distributed over accounts."
    if user.manages_settings or user.pk == rep.pk:
        return None
    if user.role == Role.MANAGER and rep.pk in scope_for(user).user_ids:
        return None
    return (
        f"Only {rep} and their managers (or sales operations) distribute {rep}'s quota; "
        "you can read it."
    )

"""Whose work a user may see: the people half of keyplan's one visibility rule.

The rule (see docs/architecture.md, "Who may see what"):

* executives, sales ops and admins see everything;
* a manager sees what their people see: direct reports, members of the teams they
  manage, and so on down the management chain;
* a rep sees what they own or are on the account team of, and everything under it.

``Account.objects.visible_to(user)`` turns this scope into accounts; every other
queryset that holds account data filters through it. Nothing else decides.
"""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    everything: bool
    user_ids: frozenset[int]


_NOBODY = Scope(everything=False, user_ids=frozenset())
_MAX_CHAIN = 20  # management chains deeper than this are a data error, not an org chart


def scope_for(user) -> Scope:
    """The scope of ``user``, computed once per user object (i.e. per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NOBODY
    cached = getattr(user, "_keyplan_scope", None)
    if cached is not None:
        return cached
    if user.sees_everything:
        scope = Scope(everything=True, user_ids=frozenset())
    else:
        scope = Scope(everything=False, user_ids=frozenset(_people_under(user)))
    user._keyplan_scope = scope
    return scope


def _people_under(user) -> set[int]:
    from keyplan.people.models import User

    seen = {user.pk}
    frontier = {user.pk}
    for _ in range(_MAX_CHAIN):
        found = set(
            User.objects.filter(
                Q(manager_id__in=frontier) | Q(team__manager_id__in=frontier)
            ).values_list("pk", flat=True)
        )
        frontier = found - seen
        if not frontier:
            break
        seen |= frontier
    return seen

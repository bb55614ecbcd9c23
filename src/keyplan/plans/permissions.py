"""Who may do what with a plan. Reading follows the account (``visible_to``); this
module decides the rest, and every page, API endpoint and service asks it.

* The plan's owner, its team, the owners of its account (and of the accounts above it),
  their account teams, and the managers of those owners edit the plan.
* Managers and executives decide investment cases, never their own.
* Everyone else who can see the account reads the plan. Nobody edits an archived plan.
"""

from keyplan.people.choices import Role

DECIDING_ROLES = frozenset({Role.MANAGER, Role.EXECUTIVE})


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _manages(user, person) -> bool:
    if person is None:
        return False
    if person.manager_id == user.pk:
        return True
    team = person.team
    return team is not None and team.manager_id == user.pk


def editors_of(plan) -> set[int]:
    """Ids of the people who may edit the plan (archived or not): its owner and team,
    the owners of its account and of the accounts above it, and their account teams."""
    from keyplan.accounts.models import AccountLineage, AccountTeamMember

    above = AccountLineage.objects.filter(descendant_id=plan.account_id).values("ancestor_id")
    ids = set(plan.team.values_list("pk", flat=True))
    ids |= set(
        AccountTeamMember.objects.filter(account_id__in=above).values_list("user_id", flat=True)
    )
    ids |= set(
        type(plan.account)
        .objects.filter(pk__in=above, owner__isnull=False)
        .values_list("owner_id", flat=True)
    )
    if plan.owner_id:
        ids.add(plan.owner_id)
    return ids


def _owners(plan):
    from keyplan.accounts.models import AccountLineage
    from keyplan.people.models import User

    above = AccountLineage.objects.filter(descendant_id=plan.account_id).values("ancestor_id")
    owners = set(User.objects.filter(owned_accounts__in=above).select_related("team"))
    if plan.owner is not None:
        owners.add(plan.owner)
    return owners


def edit_refusal(user, plan) -> str | None:
    """Why ``user`` may not change ``plan`` now, or None when they may."""
    if not _active(user):
        return "Sign in to change plans."
    if plan.is_archived:
        return "This plan is archived: it can be read but no longer changed."
    if user.is_superuser or user.pk in editors_of(plan):
        return None
    if any(_manages(user, owner) for owner in _owners(plan)):
        return None
    return (
        "Only the plan's owner, its account team and the owner's manager change this plan; "
        "you can read it."
    )


def can_edit_plan(user, plan) -> bool:
    return edit_refusal(user, plan) is None


def can_create_plan(user, account) -> bool:
    """Who may start a plan for an account: the owner of the account or of any account
    above it (a group's owner plans its divisions), their account teams, and the
    owners' managers."""
    from keyplan.accounts.models import AccountLineage, AccountTeamMember
    from keyplan.people.models import User

    if not _active(user):
        return False
    if user.is_superuser:
        return True
    above = AccountLineage.objects.filter(descendant=account).values("ancestor_id")
    owners = User.objects.filter(owned_accounts__in=above).select_related("team").distinct()
    if any(o.pk == user.pk or _manages(user, o) for o in owners):
        return True
    return AccountTeamMember.objects.filter(account_id__in=above, user=user).exists()


def _may_decide(person, submitter) -> bool:
    return (
        person is not None
        and person.is_active
        and person.pk != submitter.pk
        and (person.is_superuser or person.role in DECIDING_ROLES)
    )


def _managers_asked(plan, submitter) -> list:
    """The managers asked to decide a case ``submitter`` submits on ``plan`` (read from
    the people already loaded, no query); empty when the executives are asked instead."""
    people = []
    for person in (plan.owner, submitter):
        if person is None:
            continue
        for candidate in (person.manager, person.team.manager if person.team else None):
            if _may_decide(candidate, submitter) and candidate not in people:
                people.append(candidate)
        if people:
            return people
    return people


def deciders_for(plan, submitter) -> list:
    """Who is asked to decide a case ``submitter`` submits on ``plan``, by name: the plan
    owner's manager and their team's manager, else the submitter's; when neither has a
    manager who may decide, the executives. Never the submitter, and only people whom
    ``decide_refusal`` lets decide (a "manager" field pointing at a rep asks nobody)."""
    from keyplan.people.models import User

    people = _managers_asked(plan, submitter)
    if people:
        return people
    return list(
        User.objects.filter(is_active=True, role=Role.EXECUTIVE)
        .exclude(pk=submitter.pk)
        .order_by("last_name", "first_name", "username")
    )


def is_asked_to_decide(user, plan, submitter) -> bool:
    """Whether ``user`` is among ``deciders_for(plan, submitter)``, without a query when
    the plan's owner and the submitter come with their managers and teams loaded (the
    calendar feed checks every waiting case this way)."""
    if submitter is None:
        return False
    managers = _managers_asked(plan, submitter)
    if managers:
        return any(m.pk == user.pk for m in managers)
    return user.is_active and user.role == Role.EXECUTIVE and user.pk != submitter.pk


def decide_refusal(user, case) -> str | None:
    """Why ``user`` may not approve or decline the investment case, or None."""
    if not _active(user):
        return "Sign in to decide investment cases."
    if not (user.is_superuser or user.role in DECIDING_ROLES):
        return "Only managers and executives approve or decline investment cases."
    if case.submitted_by_id == user.pk:
        return "You submitted this investment case: someone else must decide it."
    return None


# Executive meetings (plans.services.meetings): sales operations and administrators ask
# on any plan they can see, as they run the executive program for everyone.
MEETING_ASKING_ROLES = frozenset({Role.SALES_OPS, Role.ADMIN})
# Who may be asked: the leaders the executive pairings pair (plans.services.execution).
MEETING_EXECUTIVE_ROLES = frozenset({Role.EXECUTIVE, Role.MANAGER})


def meeting_ask_refusal(user, plan) -> str | None:
    """Why ``user`` may not ask one of our executives for a meeting on ``plan`` (a plan
    they can see), or None: the plan's owner, the owner's manager (or their team's),
    sales operations and administrators may."""
    if not _active(user):
        return "Sign in to ask for an executive meeting."
    if plan.is_archived:
        return "This plan is archived: it can be read but no longer changed."
    if (
        user.is_superuser
        or user.role in MEETING_ASKING_ROLES
        or (plan.owner_id is not None and plan.owner_id == user.pk)
        or _manages(user, plan.owner)
    ):
        return None
    return (
        "Only the plan's owner, their manager and sales operations ask an executive for a "
        "meeting on this plan."
    )


def meeting_answer_refusal(user, meeting) -> str | None:
    """Why ``user`` may not accept or decline the meeting request: only the executive
    asked answers it (nobody answers for them)."""
    if not _active(user):
        return "Sign in to answer meeting requests."
    if user.pk != meeting.executive_id:
        return f"Only {meeting.executive} answers this request: it was asked of them."
    return None


def meeting_withdraw_refusal(user, meeting) -> str | None:
    """Why ``user`` may not withdraw the request (or record it held): whoever asked, and
    anyone who may ask on the plan, may."""
    if _active(user) and meeting.asked_by_id == user.pk:
        return None
    return meeting_ask_refusal(user, meeting.plan)

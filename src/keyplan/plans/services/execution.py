"""The parts of a plan that turn ambition into work: objectives, qualitative goals,
strategies (one to five per objective), actions with their effort, milestones, requests
for help from other people ("selling internally") and executive pairings. They are
saved through ``element_save`` like every other part; this module holds their rules."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.core import words
from keyplan.people.choices import Role
from keyplan.plans import audit
from keyplan.plans.choices import ActionStatus, ChangeAction, HelpKind, HelpStatus
from keyplan.plans.models import (
    Action,
    ExecutivePairing,
    HelpRequest,
    Milestone,
    Objective,
    QualitativeGoal,
    Strategy,
)
from keyplan.plans.services.common import check_amount, check_version, plan_subtree_ids
from keyplan.plans.services.elements import ElementKind, _check_contacts, register

MAX_STRATEGIES = 5
# An action bigger than a month of hours (31 x 24) is a typo or a project, not an action.
MAX_ACTION_HOURS = 744


def _sees_account(user, plan) -> bool:
    from keyplan.accounts.models import Account

    return Account.objects.visible_to(user).filter(pk=plan.account_id).exists()


def _check_date(errors, plan, field, day, *, confirmed, label, changed=None):
    if day is None or confirmed or (changed is not None and field not in changed):
        return
    if not plan.period_start <= day <= plan.period_end:
        errors.setdefault(field, []).append(
            f"{label} {day} is outside the plan period ({plan.period_start} – "
            f"{plan.period_end}); confirm it if that is intended."
        )


def _check_owner(errors, plan, field, person, what):
    if person is not None and not _sees_account(person, plan):
        errors.setdefault(field, []).append(
            f"{person} cannot see {plan.account}, so cannot {what}."
        )


def _validate_objective(
    plan, objective: Objective, m2m, errors, *, confirmed=False, changed=None, **_
):
    _check_date(
        errors,
        plan,
        "due_date",
        objective.due_date,
        confirmed=confirmed,
        label="Due date",
        changed=changed,
    )
    _check_owner(errors, plan, "owner", objective.owner, "own one of its objectives")
    for name in ("baseline", "target", "manual_value"):
        value = getattr(objective, name)
        if value is not None and abs(value) > 10**12:
            check_amount(errors, name, abs(value), label=name.replace("_", " ").capitalize())


def _objective_before_save(objective, *, user, before, values):
    if "manual_value" in values and before.get("manual_value") != audit._plain(
        objective.manual_value
    ):
        objective.manual_updated_by = user
        objective.manual_updated_at = timezone.now()


def _validate_strategy(plan, strategy: Strategy, m2m, errors, **_):
    if strategy.objective.plan_id != plan.pk:
        errors.setdefault("objective", []).append("That objective belongs to another plan.")
        return
    others = Strategy.objects.filter(objective_id=strategy.objective_id).exclude(pk=strategy.pk)
    if others.count() >= MAX_STRATEGIES:
        errors.setdefault("objective", []).append(
            f"“{strategy.objective}” already has {MAX_STRATEGIES} strategies: more would "
            "spread the team too thin. Sharpen or replace one instead."
        )


def _validate_action(plan, action: Action, m2m, errors, *, confirmed=False, changed=None, **_):
    _check_date(
        errors,
        plan,
        "due_date",
        action.due_date,
        confirmed=confirmed,
        label="Due date",
        changed=changed,
    )
    if action.owner_id:
        _check_owner(errors, plan, "owner", action.owner, "own one of its actions")
    hours = action.effort_hours
    if hours is not None:
        if hours <= 0:
            errors.setdefault("effort_hours", []).append(
                f"Effort must be more than 0 hours (got {hours})."
            )
        elif hours > MAX_ACTION_HOURS:
            errors.setdefault("effort_hours", []).append(
                f"{hours} hours is more than a month of hours ({MAX_ACTION_HOURS}); split it "
                "into actions people can schedule."
            )
    if action.strategy_id and action.strategy.objective.plan_id != plan.pk:
        errors.setdefault("strategy", []).append("That strategy belongs to another plan.")
    _check_contacts(errors, plan, "contacts", m2m.get("contacts") or [])


def _action_before_save(action, *, user, before, values):
    if action.status == ActionStatus.DONE and action.completed_at is None:
        action.completed_at = timezone.now()
    elif action.status != ActionStatus.DONE:
        action.completed_at = None


def _validate_milestone(
    plan, milestone: Milestone, m2m, errors, *, confirmed=False, changed=None, **_
):
    _check_date(
        errors,
        plan,
        "date",
        milestone.date,
        confirmed=confirmed,
        label="The date",
        changed=changed,
    )
    if milestone.objective_id and milestone.objective.plan_id != plan.pk:
        errors.setdefault("objective", []).append("That objective belongs to another plan.")


def _validate_help(plan, request: HelpRequest, m2m, errors, *, user=None, changed=None, **_):
    if request.pk and request.status != HelpStatus.REQUESTED:
        errors.setdefault("__all__", []).append(
            f"This request was {request.get_status_display().lower()} and stays as answered; "
            "ask again with a new request."
        )
    if request.asked_of_id and not request.asked_of.is_active:
        errors.setdefault("asked_of", []).append(f"{request.asked_of} no longer uses keyplan.")
    if request.pk is None:
        request.requested_by = user
    _validate_commitment(request, errors)


def _validate_commitment(request: HelpRequest, errors) -> None:
    """A cross-functional commitment names who commits (delivery, manufacturing,
    finance), the scope asked for and the dates it is to hold; a plain request for help
    carries none of these."""
    if request.help_kind != HelpKind.COMMITMENT:
        request.function, request.scope = "", ""
        request.committed_from = request.committed_to = None
        return
    if not request.function:
        errors.setdefault("function", []).append(
            "Say which part of the company commits: delivery, manufacturing or finance."
        )
    if not request.scope.strip():
        errors.setdefault("scope", []).append(
            "Describe the scope they are asked to commit to (what, how much)."
        )
    if request.committed_from is None or request.committed_to is None:
        errors.setdefault("committed_to", []).append(
            "Give the dates the commitment is to hold, from and until."
        )
    elif request.committed_to < request.committed_from:
        errors.setdefault("committed_to", []).append(
            f"It cannot hold until {words.day(request.committed_to)}, before it starts "
            f"({words.day(request.committed_from)})."
        )


def _help_before_save(request, *, user, before, values):
    from keyplan.rhythm.choices import EmailKind
    from keyplan.rhythm.mail import notify

    if not before or (
        "asked_of" in before and before["asked_of"] != audit._plain(request.asked_of)
    ):
        # a new request, or the same one asked of someone else: tell the person asked
        if request.help_kind == HelpKind.COMMITMENT:
            text = (
                f"{user} asks {request.get_function_display().lower()} to commit for "
                f"{request.plan.account}: {request.what}, from {words.day(request.committed_from)} "
                f"until {words.day(request.committed_to)} (answer by "
                f"{words.day(request.needed_by)})."
            )
        else:
            text = (
                f"{user} asks for your help with {request.plan.account}: {request.what} "
                f"(by {words.day(request.needed_by)})."
            )
        notify(
            recipients=[request.asked_of],
            text=text,
            url="/my-work/",
            kind=EmailKind.HELP,
            # No plan: the person asked may not see the account, yet the request itself
            # is theirs to read (My work lists it), and the text says no more than that.
        )


def _validate_pairing(plan, pairing: ExecutivePairing, m2m, errors, **_):
    person = pairing.our_executive
    if person is not None and not (
        person.is_superuser or person.role in (Role.EXECUTIVE, Role.MANAGER)
    ):
        errors.setdefault("our_executive", []).append(
            f"{person} is not an executive or manager: pair the customer's leaders with ours."
        )
    if (
        pairing.our_executive_id
        and pairing.their_executive_id
        and ExecutivePairing.objects.filter(
            plan=plan,
            our_executive_id=pairing.our_executive_id,
            their_executive_id=pairing.their_executive_id,
        )
        .exclude(pk=pairing.pk)
        .exists()
    ):
        errors.setdefault("their_executive", []).append(
            f"{pairing.our_executive} is already paired with {pairing.their_executive}."
        )
    if pairing.their_executive_id and pairing.their_executive.account_id not in plan_subtree_ids(
        plan
    ):
        errors.setdefault("their_executive", []).append(
            f"{pairing.their_executive} works at another account."
        )


for _kind in (
    ElementKind(
        "objective",
        "objective",
        Objective,
        (
            "category",
            "title",
            "metric",
            "baseline",
            "target",
            "due_date",
            "owner",
            "progress_source",
            "manual_value",
        ),
        _validate_objective,
        before_save=_objective_before_save,
    ),
    ElementKind(
        "qualitative", "qualitative goal", QualitativeGoal, ("text",), lambda *a, **k: None
    ),
    ElementKind(
        "strategy",
        "strategy",
        Strategy,
        ("objective", "description", "resources"),
        _validate_strategy,
        parent="objective",
    ),
    ElementKind(
        "action",
        "action",
        Action,
        ("title", "strategy", "owner", "due_date", "effort_hours", "status"),
        _validate_action,
        ("contacts",),
        before_save=_action_before_save,
    ),
    ElementKind(
        "milestone",
        "milestone",
        Milestone,
        ("title", "date", "objective", "reached"),
        _validate_milestone,
    ),
    ElementKind(
        "help",
        "request for help",
        HelpRequest,
        (
            "help_kind",
            "what",
            "asked_of",
            "needed_by",
            "hours",
            "function",
            "scope",
            "committed_from",
            "committed_to",
        ),
        _validate_help,
        before_save=_help_before_save,
    ),
    ElementKind(
        "pairing",
        "executive pairing",
        ExecutivePairing,
        ("our_executive", "their_executive", "cadence_days"),
        _validate_pairing,
    ),
):
    register(_kind)


@transaction.atomic
def help_respond(
    *,
    request: HelpRequest,
    user,
    commit: bool,
    response: str = "",
    version=None,
    hours: Decimal | None = None,
):
    """The person asked (or their manager) commits to the request or declines it. Whoever
    commits may say how many hours it takes (replacing the team's estimate); committed
    hours count in the person's capacity."""
    request = (
        HelpRequest.objects.select_for_update()
        .select_related("plan", "asked_of")
        .get(pk=request.pk)
    )
    asked = request.asked_of
    if user.pk != asked.pk and asked.manager_id != user.pk:
        raise PermissionDenied(f"Only {asked} or their manager answers this request.")
    if request.plan.is_archived:
        raise PermissionDenied("This plan is archived: it can be read but no longer changed.")
    check_version(request, version, subject="help")
    if request.status != HelpStatus.REQUESTED:
        raise ValidationError(
            {"status": [f"This request was already {request.get_status_display().lower()}."]}
        )
    response = (response or "").strip()
    if not commit and not response:
        raise ValidationError(
            {"response": ["Say why you decline, so the team can plan around it."]}
        )
    before_hours = request.hours
    if hours is not None and commit:
        if not hours.is_finite() or hours < 0 or hours >= 100000:
            raise ValidationError(
                {"hours": [f"“{hours}” is not a number of hours (0 to 99,999.9)."]}
            )
        request.hours = hours.quantize(Decimal("0.1"))
    request.status = HelpStatus.COMMITTED if commit else HelpStatus.DECLINED
    if commit:
        request.committed_by = user
    request.response = response[:255]
    request.responded_at = timezone.now()
    request.version += 1
    request.save()
    audit.record(
        plan=request.plan,
        user=user,
        action=ChangeAction.DECIDED,
        subject="help",
        obj=request,
        changes={"status": [HelpStatus.REQUESTED, request.status]}
        | ({"committed_by": [None, str(user)]} if commit else {})
        | (
            {"hours": [audit._plain(before_hours), audit._plain(request.hours)]}
            if request.hours != before_hours
            else {}
        ),
    )
    return request

"""The territory plan as a whole: started, the facts read, activated, archived, versions kept."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from keyplan.plans import audit
from keyplan.plans.choices import ChangeAction, VersionReason
from keyplan.plans.services.common import check_version
from keyplan.salesplan.choices import TerritoryPlanStatus
from keyplan.salesplan.models import TerritoryPlan
from keyplan.salesplan.periods import Period
from keyplan.salesplan.territory import versions
from keyplan.salesplan.territory.permissions import territory_create_refusal
from keyplan.salesplan.territory.services.common import (
    _locked,
    _require_edit,
    _snapshot_and_diff,
    _who,
)
from keyplan.salesplan.territory.steps import (
    all_done_or_refusal,
    steps,
)

# -- the plan --------------------------------------------------------------------------


def territory_plan_for(*, rep, fiscal_year: int) -> TerritoryPlan | None:
    """The rep's territory plan for the fiscal year, if they have one."""
    return TerritoryPlan.objects.filter(rep=rep, fiscal_year=fiscal_year).first()


@transaction.atomic
def territory_plan_create(*, user, rep, fiscal_year) -> TerritoryPlan:
    """Start ``rep``'s territory plan for ``fiscal_year`` (one per rep and year)."""
    refusal = territory_create_refusal(user, rep)
    if refusal:
        raise PermissionDenied(refusal)
    try:
        period = Period(int(fiscal_year))
    except (TypeError, ValueError):
        raise ValidationError(
            {"fiscal_year": [f"“{fiscal_year}” is not a fiscal year (write it like 2027)."]}
        ) from None
    # Lock the rep's row so that two starts at once cannot both pass the check below.
    type(rep).objects.select_for_update().filter(pk=rep.pk).first()
    existing = territory_plan_for(rep=rep, fiscal_year=period.fiscal_year)
    if existing is not None:
        raise ValidationError(
            {
                "fiscal_year": [
                    f"{rep} already has a territory plan for {period.name}; open it instead "
                    "of starting another."
                ]
            }
        )
    plan = TerritoryPlan.objects.create(
        rep=rep, fiscal_year=period.fiscal_year, updated_by=_who(user)
    )
    versions.record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED,
        subject="territory plan",
        obj=plan,
        label="started",
    )
    return plan


@transaction.atomic
def facts_review(
    *, user, plan, note: str = "", version=None, reasons: dict | None = None
) -> TerritoryPlan:
    """The rep has read the facts of their territory (with what they make of them): the
    strategies step opens. Reading them again updates the note and the moment.

    ``reasons``: {account id: why this A account has no account plan} — A accounts are
    worked proactively, each with an account plan or a reason. Given, it replaces the
    reasons held (a blank one removes it); None keeps them."""
    plan = _locked(plan)
    _require_edit(user, plan)
    check_version(plan, version, subject="territory plan", trail=versions.TRAIL)
    note = str(note or "").strip()
    if len(note) > 5000:
        raise ValidationError(
            {"facts_note": [f"The note is {len(note)} characters long; keep it to 5,000."]}
        )
    held = dict(plan.no_plan_reasons or {})
    if reasons is not None:
        held = _no_plan_reasons(plan, reasons)
    before = audit.snapshot(plan, ["facts_reviewed_at", "facts_note"])
    before_reasons = _reasons_in_words(plan, plan.no_plan_reasons or {})
    plan.facts_reviewed_at = timezone.now()
    plan.facts_note = note
    plan.no_plan_reasons = held
    plan.version += 1
    plan.updated_by = _who(user)
    plan.save()
    versions.record(
        plan=plan,
        user=user,
        action=ChangeAction.UPDATED,
        subject="territory plan",
        obj=plan,
        label="facts read",
        changes=_snapshot_and_diff(plan, ["facts_reviewed_at", "facts_note"], before)
        | _reasons_diff(before_reasons, _reasons_in_words(plan, held)),
    )
    return plan


def _no_plan_reasons(plan, reasons: dict) -> dict:
    """The reasons given, checked: each for an account of the plan's rep, at most 255
    characters; blank ones dropped."""
    from keyplan.accounts.models import Account

    bad = [str(k) for k in reasons if not str(k).strip().isdigit() or len(str(k).strip()) > 18]
    if bad:
        raise ValidationError(
            {"no_plan_reasons": [f"“{k}” is not an account id." for k in bad[:5]]}
        )
    given = {int(str(k).strip()): str(v or "").strip() for k, v in reasons.items()}
    given = {k: v for k, v in given.items() if v}
    names = dict(
        Account.objects.filter(pk__in=list(given), owner_id=plan.rep_id).values_list("pk", "name")
    )
    errors = []
    for pk, text in given.items():
        if pk not in names:
            errors.append(f"Account {pk} is not one of {plan.rep}'s accounts.")
        elif len(text) > 255:
            errors.append(
                f"The reason for {names[pk]} is {len(text)} characters long; keep it to 255."
            )
    if errors:
        raise ValidationError({"no_plan_reasons": errors})
    return {str(k): v for k, v in sorted(given.items())}


def _reasons_in_words(plan, reasons: dict) -> list[str]:
    from keyplan.accounts.models import Account

    names = dict(Account.objects.filter(pk__in=[int(k) for k in reasons]).values_list("pk", "name"))
    return sorted(f"{names.get(int(k), k)}: {v}" for k, v in reasons.items())


def _reasons_diff(before: list, after: list) -> dict:
    return {} if before == after else {"no_plan_reasons": [before, after]}


def _set_status(plan, user, status, label) -> None:
    before = plan.status
    plan.status = status
    plan.version += 1
    plan.updated_by = _who(user)
    plan.save()
    versions.record(
        plan=plan,
        user=user,
        action=ChangeAction.STATUS,
        subject="territory plan",
        obj=plan,
        label=label,
        changes={"status": [before, status]},
    )


@transaction.atomic
def territory_plan_activate(*, user, plan, version=None) -> TerritoryPlan:
    """Draft → active, once every step is done; a version of the plan is kept."""
    plan = _locked(plan)
    _require_edit(user, plan)
    check_version(plan, version, subject="territory plan", trail=versions.TRAIL)
    if plan.status == TerritoryPlanStatus.ACTIVE:
        raise ValidationError({"status": ["This territory plan is already active."]})
    refusal = all_done_or_refusal(steps(plan))
    if refusal:
        raise ValidationError({"step": [refusal]})
    _set_status(plan, user, TerritoryPlanStatus.ACTIVE, "activated")
    versions.take_version(plan=plan, user=user, reason=VersionReason.ACTIVATED)
    return plan


@transaction.atomic
def territory_plan_archive(*, user, plan, version=None) -> TerritoryPlan:
    """Archive the plan: it stays readable, nobody changes it, its activities leave
    My work and capacity."""
    plan = _locked(plan)
    _require_edit(user, plan)
    check_version(plan, version, subject="territory plan", trail=versions.TRAIL)
    _set_status(plan, user, TerritoryPlanStatus.ARCHIVED, "archived")
    return plan


@transaction.atomic
def territory_version_take(*, user, plan, note: str = ""):
    """Keep a version of the plan as it stands (on demand, with a note)."""
    plan = _locked(plan)
    _require_edit(user, plan)
    if len(" ".join(str(note or "").split())) > 255:
        raise ValidationError({"note": ["Keep the note to 255 characters."]})
    return versions.take_version(plan=plan, user=user, reason=VersionReason.ON_DEMAND, note=note)

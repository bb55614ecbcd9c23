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
def facts_review(*, user, plan, note: str = "", version=None) -> TerritoryPlan:
    """The rep has read the facts of their territory (with what they make of them): the
    strategies step opens. Reading them again updates the note and the moment."""
    plan = _locked(plan)
    _require_edit(user, plan)
    check_version(plan, version, subject="territory plan", trail=versions.TRAIL)
    note = str(note or "").strip()
    if len(note) > 5000:
        raise ValidationError(
            {"facts_note": [f"The note is {len(note)} characters long; keep it to 5,000."]}
        )
    before = audit.snapshot(plan, ["facts_reviewed_at", "facts_note"])
    plan.facts_reviewed_at = timezone.now()
    plan.facts_note = note
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
        changes=_snapshot_and_diff(plan, ["facts_reviewed_at", "facts_note"], before),
    )
    return plan


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

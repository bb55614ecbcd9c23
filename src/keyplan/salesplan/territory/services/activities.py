"""Activities: dated, owned pieces of work of one strategy, with their effort."""

from django.db import transaction
from django.utils import timezone

from keyplan.core import words
from keyplan.plans import audit
from keyplan.plans.choices import ActionStatus, ChangeAction
from keyplan.plans.services.common import check_version, raise_if
from keyplan.salesplan.choices import TerritoryStep
from keyplan.salesplan.models import (
    TerritoryActivity,
    TerritoryStrategy,
)
from keyplan.salesplan.territory import versions
from keyplan.salesplan.territory.services.common import (
    _date,
    _delete_part,
    _hours,
    _in_year,
    _locked,
    _moved_on,
    _part,
    _require_edit,
    _save_part,
    _text,
    _user,
)
from keyplan.salesplan.territory.steps import require_open

# -- activities ------------------------------------------------------------------------


def _strategy_of(errors, data, plan, *, current=None):
    value = data.get("strategy", current)
    if value in (None, ""):
        errors.setdefault("strategy", []).append("Choose the strategy it serves.")
        return None
    pk = getattr(value, "pk", value)
    found = (
        TerritoryStrategy.objects.filter(plan=plan, pk=pk).first() if str(pk).isdigit() else None
    )
    if found is None:
        errors.setdefault("strategy", []).append(
            f"Strategy “{getattr(value, 'title', value)}” is not one of this plan's."
        )
    return found


@transaction.atomic
def activity_save(*, user, plan, data: dict, activity=None, version=None) -> TerritoryActivity:
    """Add or change an activity of one of the plan's strategies: what, who (an active
    person), by when (within the fiscal year), the effort in hours (more than 0, at most
    200) and its status; done activities keep the moment they were marked done."""
    plan = _locked(plan)
    _require_edit(user, plan)
    require_open(plan, TerritoryStep.ACTIVITIES)
    fields = list(versions.ACTIVITY_FIELDS)
    if activity is not None:
        activity = _part(TerritoryActivity, activity, plan, label="activity")
        check_version(activity, version, subject="activity", trail=versions.TRAIL)
        before = audit.snapshot(activity, fields)
        current = activity
    else:
        activity, before, current = TerritoryActivity(plan=plan), {}, None
    errors: dict = {}
    strategy = _strategy_of(errors, data, plan, current=getattr(current, "strategy", None))
    title = _text(
        errors,
        data,
        "title",
        label="activity (what)",
        limit=255,
        current=getattr(current, "title", ""),
    )
    owner = _user(errors, data, "owner", label="owner", current=getattr(current, "owner", None))
    due = _date(
        errors, data, "due_date", label="due date", current=getattr(current, "due_date", None)
    )
    _in_year(errors, "due_date", due, plan, label="due date")
    effort = _hours(
        errors,
        data,
        "effort_hours",
        label="effort",
        current=getattr(current, "effort_hours", None),
    )
    status = (
        data.get("status", getattr(current, "status", ActionStatus.PLANNED)) or ActionStatus.PLANNED
    )
    if status not in ActionStatus.values:
        errors.setdefault("status", []).append(
            f"“{status}” is not a status; choose from {words.names(ActionStatus.labels)}."
        )
    raise_if(errors)
    activity.strategy, activity.title, activity.owner = strategy, title, owner
    activity.due_date, activity.effort_hours, activity.status = due, effort, status
    if status == ActionStatus.DONE and activity.completed_at is None:
        activity.completed_at = timezone.now()
    elif status != ActionStatus.DONE:
        activity.completed_at = None
    if _save_part(activity, before, creating=current is None):
        _moved_on(plan, user)
        versions.record(
            plan=plan,
            user=user,
            action=ChangeAction.CREATED if current is None else ChangeAction.UPDATED,
            subject="activity",
            obj=activity,
            changes=audit.diff(before, audit.snapshot(activity, fields)),
        )
    return activity


@transaction.atomic
def activity_delete(*, user, activity, version=None) -> None:
    _delete_part(
        user=user,
        model=TerritoryActivity,
        obj=activity,
        version=version,
        step=TerritoryStep.ACTIVITIES,
        subject="activity",
    )

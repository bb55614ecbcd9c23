from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import number_format

from keyplan.audit import context as audit_context
from keyplan.core import words
from keyplan.plans import wording
from keyplan.plans.audit import last_change
from keyplan.plans.permissions import edit_refusal

# No single account plan is about more than a trillion: beyond that a number is a typo.
ABSURD_AMOUNT = Decimal("1000000000000")


class EditConflict(ValidationError):
    """Someone else saved the same item after it was loaded: the later save is refused
    and the message says who changed what, so nothing is overwritten silently."""

    def __init__(self, message: str, change=None):
        super().__init__(message, code="conflict")
        self.change = change


def require_edit(user, plan) -> None:
    reason = edit_refusal(user, plan)
    if reason:
        raise PermissionDenied(reason)


class Trail:
    """Where one kind of record's changes are kept, and how a stale-save refusal names the
    record and says what the other person changed. Account plans keep theirs in
    PlanChange (this class); quotas and territory plans keep their own trails and pass a
    subclass to ``check_version``, so every stale save in keyplan is refused by one rule
    with one message."""

    def last_change(self, *, subject: str, obj):
        return last_change(subject=subject, obj=obj)

    def name(self, *, subject: str, obj) -> str:
        """How the message calls the record: "this action", "the quota for …"."""
        return f"this {wording.subject_words(subject)}"

    def summary(self, change, *, obj) -> str:
        """What the other person changed, in words ("" when nothing can be said)."""
        return wording.change_summary(change)


PLAN_TRAIL = Trail()


def check_version(obj, version, *, subject: str, trail: Trail = PLAN_TRAIL) -> None:
    """Refuse a save made from a stale copy of ``obj`` (``version`` is what the editor
    loaded; None means the caller does not track versions, e.g. a script or an import).
    The refusal says who saved it, when, and what they changed, from ``trail``."""
    if version is None or version == "":
        return
    try:
        loaded = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": [f"“{version}” is not a version number."]}) from None
    if loaded == obj.version:
        return
    name = trail.name(subject=subject, obj=obj)
    change = trail.last_change(subject=subject, obj=obj)
    if change is None:
        raise EditConflict(
            f"{name[:1].upper()}{name[1:]} was changed by someone else after you "
            "opened it. Your changes were not saved; reload it and apply them again."
        )
    who = change.user or getattr(change, "by_name", "") or "someone"
    what = trail.summary(change, obj=obj)
    actor, _source = audit_context.current()
    if actor is not None and getattr(change.user, "pk", None) == actor.pk:
        # The other save was this person's own, from another tab or window: "you", and
        # what to do without losing what is typed here.
        raise EditConflict(
            f"You saved {name} in another tab or window at {words.moment(change.at)}"
            + (f" ({what})" if what else "")
            + ". What you typed here was not saved and is still in the form: copy it, "
            "reload to see the saved version, and apply it again.",
            change=change,
        )
    raise EditConflict(
        f"{who} saved {name} at {words.moment(change.at)} after you opened it"
        + (f" ({what})" if what else "")
        + ". Your changes were not saved; reload to see theirs and apply yours again.",
        change=change,
    )


def check_amount(errors: dict, field: str, value, *, label: str) -> None:
    if value is None:
        return
    if value < 0:
        errors.setdefault(field, []).append(
            f"{label} cannot be negative (got {words.amount(value)})."
        )
    elif value > ABSURD_AMOUNT:
        errors.setdefault(field, []).append(
            f"{label} of {number_format(value, 0, force_grouping=True)} is not plausible: "
            f"it is more than {number_format(ABSURD_AMOUNT, 0, force_grouping=True)}."
        )


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def plan_subtree_ids(plan) -> set[int]:
    """Every account under the plan's account (itself included): where its contacts,
    organisations and opportunities may come from."""
    from keyplan.accounts.models import AccountLineage

    return set(
        AccountLineage.objects.filter(ancestor_id=plan.account_id).values_list(
            "descendant_id", flat=True
        )
    )

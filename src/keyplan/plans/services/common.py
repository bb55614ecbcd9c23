from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import number_format

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


def check_version(obj, version, *, subject: str) -> None:
    """Refuse a save made from a stale copy of ``obj`` (``version`` is what the editor
    loaded; None means the caller does not track versions, e.g. a script)."""
    if version is None or version == "":
        return
    try:
        loaded = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": [f"“{version}” is not a version number."]}) from None
    if loaded == obj.version:
        return
    change = last_change(subject=subject, obj=obj)
    if change is None:
        raise EditConflict(
            f"This {wording.subject_words(subject)} was changed by someone else after you "
            "opened it. Your changes were not saved; reload it and apply them again."
        )
    who = change.user or "someone"
    what = wording.change_summary(change)
    raise EditConflict(
        f"{who} saved this {wording.subject_words(subject)} at {words.moment(change.at)} "
        "after you opened it"
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

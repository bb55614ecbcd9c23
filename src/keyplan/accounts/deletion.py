"""Deleting accounts and contacts: what goes with them (for the confirmation), who may,
and the delete itself, which keeps a restorable copy in the recycle bin."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from keyplan.accounts.models import Account, Contact
from keyplan.audit.bin import deletion_blocker, deletion_preview, soft_delete
from keyplan.core.words import plural


def may_delete_accounts(user) -> bool:
    """Deleting an account deletes its contacts, interactions, deals and sales history for
    everyone's analyses, so only sales ops and admins may."""
    return user.manages_settings


def account_delete_refusal(*, account: Account, user) -> str | None:
    """Why ``user`` may not delete ``account`` (a sentence), or None."""
    if not may_delete_accounts(user):
        return "Only administrators and sales operations delete accounts."
    children = account.children.count()
    if children:
        return (
            f"{account} has {plural(children, 'account')} under it; move or delete "
            f"{'it' if children == 1 else 'them'} first."
        )
    return deletion_blocker(account)


def account_deletion_preview(account: Account) -> list[str]:
    return deletion_preview(account)


@transaction.atomic
def account_delete(*, account: Account, user):
    """Delete ``account`` with everything that belongs to it, into the recycle bin."""
    refusal = account_delete_refusal(account=account, user=user)
    if refusal:
        raise (PermissionDenied if not may_delete_accounts(user) else ValidationError)(refusal)
    return soft_delete(obj=account, user=user)


def contact_delete_refusal(contact: Contact) -> str | None:
    """Why ``contact`` cannot be deleted (a sentence), or None."""
    return deletion_blocker(contact)


def contact_delete_warnings(contact: Contact) -> list[str]:
    """What deleting ``contact`` breaks in account plans, in words."""
    from keyplan.plans.models import ExecutivePairing

    pairings = ExecutivePairing.objects.filter(their_executive=contact).select_related(
        "plan", "our_executive"
    )
    return [
        f"The executive pairing of {p.our_executive} with {contact} in the plan "
        f"“{p.plan}” goes with it."
        for p in pairings
    ]


@transaction.atomic
def contact_delete(*, contact: Contact, user):
    """Delete ``contact`` (and what hangs on it, e.g. executive pairings) into the bin."""
    refusal = contact_delete_refusal(contact)
    if refusal:
        raise ValidationError(refusal)
    return soft_delete(obj=contact, user=user)

"""Writes of the mutual plan: the owner shares and revokes links; the customer's people
sign in with a one-time code, confirm or comment on their goals, mark joint actions
done and add actions of their own. Every customer change lands in the plan's activity
feed under the contact's name; every visit and change is in the link's access log."""

import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from keyplan.accounts.models import Contact
from keyplan.core import words
from keyplan.mutual import selectors
from keyplan.mutual.choices import AccessEvent
from keyplan.mutual.links import new_link_key
from keyplan.mutual.models import CustomerAction, GoalResponse, PlanShare, ShareAccess, ShareCode
from keyplan.plans import audit
from keyplan.plans.choices import ActionStatus, ChangeAction
from keyplan.plans.models import AccountPlan, Action, PlanChange
from keyplan.plans.permissions import edit_refusal
from keyplan.plans.services.common import plan_subtree_ids

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30
MAX_DAYS = 365
CODE_MINUTES = 15
CODE_TRIES = 5
COMMENT_LIMIT = 2000


@dataclass(frozen=True)
class Visitor:
    """Who is acting through a link: a contact (signed in with a code, or naming
    themselves on a link without one) or nobody known ("the link")."""

    contact: Contact | None
    ip: str = ""
    user_agent: str = ""

    @property
    def name(self) -> str:
        return contact_name(self.contact) if self.contact is not None else ""


def contact_name(contact: Contact) -> str:
    return " ".join(p for p in (contact.first_name, contact.last_name) if p) or str(contact)


def log_access(*, share: PlanShare, visitor: Visitor, event: str) -> ShareAccess:
    return ShareAccess.objects.create(
        share=share,
        event=event,
        contact=visitor.contact,
        contact_name=visitor.name[:200],
        ip=visitor.ip[:80],
        user_agent=visitor.user_agent[:255],
    )


# -- the owner ------------------------------------------------------------------------------------
def _require_edit(user, plan) -> None:
    reason = edit_refusal(user, plan)
    if reason:
        raise PermissionDenied(reason)


def _own(errors, field, plan, items, model_name):
    wrong = [i for i in items if i.plan_id != plan.pk]
    if wrong:
        errors.setdefault(field, []).append(
            f"{words.names(wrong)} {'is' if len(wrong) == 1 else 'are'} not a {model_name} "
            "of this plan."
        )


@transaction.atomic
def share_create(
    *,
    plan: AccountPlan,
    user,
    recipients,
    expires_on: date | None = None,
    requires_code: bool = False,
    note: str = "",
    show_goals: bool = True,
    show_proposal: bool = True,
    show_actions: bool = True,
    show_milestones: bool = True,
    hidden_goals=(),
    hidden_ideas=(),
    hidden_actions=(),
    hidden_milestones=(),
) -> PlanShare:
    """Share the plan's chosen parts with the named customer contacts until the end of
    ``expires_on`` (default: in 30 days). Refuses (nothing saved) someone who may not
    edit the plan, and any choice that does not fit, each with a sentence."""
    _require_edit(user, plan)
    today = timezone.localdate()
    expires_on = expires_on or today + timedelta(days=DEFAULT_DAYS)
    errors: dict[str, list[str]] = {}
    if expires_on < today:
        errors["expires_on"] = [f"{words.day(expires_on)} has passed: choose a later day."]
    elif expires_on > today + timedelta(days=MAX_DAYS):
        errors["expires_on"] = [
            f"A link opens for at most a year: choose a day up to "
            f"{words.day(today + timedelta(days=MAX_DAYS))}."
        ]
    recipients = list(recipients)
    subtree = plan_subtree_ids(plan)
    if not recipients:
        errors["recipients"] = ["Name at least one of the customer's people to share with."]
    outside = [c for c in recipients if c.account_id not in subtree]
    if outside:
        errors.setdefault("recipients", []).append(
            f"{words.names(outside)} {'works' if len(outside) == 1 else 'work'} at another "
            f"account, not at {plan.account}."
        )
    if requires_code:
        no_email = [c for c in recipients if not c.email]
        if no_email:
            errors.setdefault("recipients", []).append(
                f"{words.names(no_email)} {'has' if len(no_email) == 1 else 'have'} no email "
                "address for the one-time code: add one on the contact, or share without a code."
            )
    if not (show_goals or show_proposal or show_actions or show_milestones):
        errors["__all__"] = ["Choose at least one part of the plan to share."]
    if len(note) > 200:
        errors["note"] = ["Keep the note to 200 characters."]
    _own(errors, "hidden_goals", plan, hidden_goals, "goal")
    _own(errors, "hidden_ideas", plan, hidden_ideas, "idea")
    _own(errors, "hidden_actions", plan, hidden_actions, "action")
    _own(errors, "hidden_milestones", plan, hidden_milestones, "milestone")
    if errors:
        raise ValidationError(errors)
    expires_at = timezone.make_aware(
        timezone.datetime.combine(expires_on + timedelta(days=1), timezone.datetime.min.time())
    )
    share = PlanShare.objects.create(
        plan=plan,
        link_key=new_link_key(),
        note=note.strip(),
        show_goals=show_goals,
        show_proposal=show_proposal,
        show_actions=show_actions,
        show_milestones=show_milestones,
        requires_code=requires_code,
        expires_at=expires_at,
        created_by=user,
    )
    share.recipients.set(recipients)
    share.hidden_goals.set(hidden_goals)
    share.hidden_ideas.set(hidden_ideas)
    share.hidden_actions.set(hidden_actions)
    share.hidden_milestones.set(hidden_milestones)
    audit.record(
        plan=plan,
        user=user,
        action=ChangeAction.CREATED,
        subject="share",
        obj=share,
        label=f"{words.names(contact_name(c) for c in recipients)}, until {words.day(expires_on)}",
    )
    return share


@transaction.atomic
def share_revoke(*, share: PlanShare, user) -> PlanShare:
    """Close the link at once: it answers 404 from now on, like a link that never was."""
    share = PlanShare.objects.select_for_update().select_related("plan__account").get(pk=share.pk)
    # An archived plan's links no longer open (links.open_share): nothing to revoke.
    _require_edit(user, share.plan)
    if share.revoked_at is not None:
        raise ValidationError(f"This link was already revoked on {words.moment(share.revoked_at)}.")
    share.revoked_at = timezone.now()
    share.revoked_by = user
    share.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        plan=share.plan,
        user=user,
        action=ChangeAction.DELETED,
        subject="share",
        obj=share,
        label=str(share),
    )
    return share


# -- one-time codes -------------------------------------------------------------------------------
def _code_hash(share: PlanShare, contact: Contact, code: str) -> str:
    return salted_hmac(
        "keyplan.mutual.code", f"{share.pk}:{contact.pk}:{code}", algorithm="sha256"
    ).hexdigest()


def _recipient_by_email(share: PlanShare, email: str) -> Contact | None:
    email = (email or "").strip()
    if not email:
        return None
    # Someone no longer at the company gets no code.
    return share.recipients.filter(email__iexact=email, is_active=True).order_by("pk").first()


@transaction.atomic
def code_send(*, share: PlanShare, email: str, visitor: Visitor, site_name: str) -> bool:
    """Email a one-time code to ``email`` when it is a named recipient's; whether one was
    sent. The page says the same either way, so the link does not tell who it names."""
    contact = _recipient_by_email(share, email)
    if contact is None:
        return False
    now = timezone.now()
    # One code at a time per person: a new one ends the previous ones.
    ShareCode.objects.filter(share=share, contact=contact, used_at__isnull=True).update(
        expires_at=now
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    ShareCode.objects.create(
        share=share,
        contact=contact,
        code_hash=_code_hash(share, contact, code),
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    plan = share.plan
    try:
        _send_code(share, plan, contact, code, site_name)
    except (OSError, smtplib.SMTPException) as error:
        # Nothing is kept (the transaction rolls back): the visitor asks again later.
        logger.error("The one-time code for share %s could not be sent: %s", share.pk, error)
        raise CodeNotSent(CODE_NOT_SENT) from None
    log_access(
        share=share,
        visitor=Visitor(contact, visitor.ip, visitor.user_agent),
        event=AccessEvent.CODE_SENT,
    )
    return True


def _send_code(share, plan, contact, code: str, site_name: str) -> None:
    send_mail(
        f"Your code for the plan with {site_name}: {code}",
        f"Hello {contact_name(contact)},\n\n"
        f"Your one-time code to open the account plan for {plan.account.name} is:\n\n"
        f"    {code}\n\n"
        f"It works once, for {CODE_MINUTES} minutes. If you did not ask for it, "
        f"ignore this email.\n\n{site_name}\n",
        None,
        [contact.email],
    )


CODE_NOT_SENT = (
    "The code could not be sent just now. Nothing was changed; try again in a few minutes."
)


class CodeNotSent(Exception):
    """The mail server did not take the code's email."""


WRONG_CODE = "That code is wrong, used or expired. Ask for a new one."


def code_check(*, share: PlanShare, email: str, code: str, visitor: Visitor) -> Contact:
    """The contact a correct, unused, unexpired code belongs to; the code is used up.
    A wrong code counts against the latest one, which ends after five wrong tries."""
    code = "".join((code or "").split())
    with transaction.atomic():
        contact = _recipient_by_email(share, email)
        latest = None
        if contact is not None:
            latest = (
                ShareCode.objects.select_for_update()
                .filter(share=share, contact=contact, used_at__isnull=True)
                .filter(expires_at__gt=timezone.now(), failed_tries__lt=CODE_TRIES)
                .order_by("-created_at", "-pk")
                .first()
            )
        if latest is not None and constant_time_compare(
            latest.code_hash, _code_hash(share, contact, code)
        ):
            latest.used_at = timezone.now()
            latest.save(update_fields=["used_at"])
            log_access(
                share=share,
                visitor=Visitor(contact, visitor.ip, visitor.user_agent),
                event=AccessEvent.CODE_ACCEPTED,
            )
            return contact
        if latest is not None:
            ShareCode.objects.filter(pk=latest.pk).update(failed_tries=F("failed_tries") + 1)
        log_access(
            share=share,
            visitor=Visitor(contact, visitor.ip, visitor.user_agent),
            event=AccessEvent.CODE_REFUSED,
        )
    raise ValidationError({"code": [WRONG_CODE]})


# -- the customer's changes -----------------------------------------------------------------------
def _signed(visitor: Visitor, share: PlanShare) -> str:
    if (
        visitor.contact is None
        or not share.recipients.filter(pk=visitor.contact.pk, is_active=True).exists()
    ):
        raise ValidationError({"contact": ["Say who you are: choose your name."]})
    return visitor.name


def _confirmed_already(goal, share: PlanShare, contact) -> GoalResponse | None:
    """This person's confirmation of the goal, when the goal has not changed since: a
    second click (or the form sent again) must not confirm it twice in the feed."""
    last = (
        GoalResponse.objects.filter(goal=goal, share=share, contact=contact)
        .order_by("-at", "-pk")
        .first()
    )
    if last is None or not last.confirmed:
        return None
    edited = PlanChange.objects.filter(
        plan_id=share.plan_id, subject="goal", object_id=goal.pk, at__gt=last.at
    ).exists()
    return None if edited else last


@transaction.atomic
def goal_respond(
    *, share: PlanShare, goal_id, visitor: Visitor, confirm: bool, comment: str = ""
) -> GoalResponse:
    """The customer confirms a goal as the plan states it, or comments on it (or both)."""
    goal = selectors.shared_goals(share).filter(pk=goal_id).first()
    if goal is None:
        raise ValidationError("This goal is not part of the shared plan.")
    name = _signed(visitor, share)
    comment = (comment or "").strip()
    if not confirm and not comment:
        raise ValidationError({"comment": ["Write a comment, or confirm the goal."]})
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError(
            {
                "comment": [
                    f"Keep the comment to {COMMENT_LIMIT:,} characters ({len(comment):,} now)."
                ]
            }
        )
    if confirm and not comment:
        again = _confirmed_already(goal, share, visitor.contact)
        if again is not None:
            return again
    response = GoalResponse.objects.create(
        goal=goal,
        share=share,
        contact=visitor.contact,
        contact_name=name,
        confirmed=confirm,
        comment=comment,
    )
    if confirm:
        _customer_did(
            share,
            visitor,
            name,
            action=ChangeAction.UPDATED,
            subject="customer confirmation",
            obj=goal,
            label=goal.title,
            event=AccessEvent.CONFIRMED,
        )
    if comment:
        _customer_did(
            share,
            visitor,
            name,
            action=ChangeAction.UPDATED,
            subject="customer comment",
            obj=goal,
            label=goal.title,
            changes={"comment": [None, comment]},
            event=AccessEvent.COMMENTED,
        )
    return response


def _customer_did(share: PlanShare, visitor: Visitor, name: str, *, event, **change) -> None:
    """What the customer's person did on the shared plan: a line of the plan's activity
    feed under their name, and the access log's entry."""
    audit.record(plan=share.plan, user=None, by_name=name, **change)
    log_access(share=share, visitor=visitor, event=event)


@transaction.atomic
def action_done(*, share: PlanShare, action_id, visitor: Visitor) -> Action:
    """The customer marks a joint action done: the plan's action is done, as if the
    team had marked it (its version moves on, so a stale edit of it is refused)."""
    action = (
        selectors.shared_actions(share).select_for_update(of=("self",)).filter(pk=action_id).first()
    )
    if action is None:
        raise ValidationError("This action is not part of the shared plan.")
    name = _signed(visitor, share)
    if action.status == ActionStatus.DONE:
        raise ValidationError(f"“{action.title}” is already done.")
    if action.status not in (ActionStatus.PLANNED, ActionStatus.SCHEDULED):
        raise ValidationError(
            f"“{action.title}” is {action.get_status_display().lower()}: only planned or "
            "scheduled actions can be marked done."
        )
    before = action.status
    now = timezone.now()
    Action.objects.filter(pk=action.pk).update(
        status=ActionStatus.DONE, completed_at=now, version=F("version") + 1
    )
    AccountPlan.objects.filter(pk=share.plan_id).update(updated_at=now)
    _customer_did(
        share,
        visitor,
        name,
        action=ChangeAction.STATUS,
        subject="action",
        obj=action,
        label=action.title,
        changes={"status": [before, ActionStatus.DONE]},
        event=AccessEvent.ACTION_DONE,
    )
    action.refresh_from_db()
    return action


@transaction.atomic
def customer_action_add(
    *, share: PlanShare, visitor: Visitor, title: str, due_date: date | None = None
) -> CustomerAction:
    """An action the customer's person takes on themselves."""
    name = _signed(visitor, share)
    title = " ".join((title or "").split())
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Say what will be done."]
    elif len(title) > 255:
        errors["title"] = [f"Keep it to 255 characters ({len(title):,} now)."]
    today = timezone.localdate()
    if due_date is not None and due_date < today:
        errors["due_date"] = [f"{words.day(due_date)} has passed: choose today or later."]
    elif due_date is not None and due_date > today + timedelta(days=3 * 366):
        errors["due_date"] = ["Choose a day within the next three years."]
    if errors:
        raise ValidationError(errors)
    item = CustomerAction.objects.create(
        plan=share.plan,
        share=share,
        title=title,
        due_date=due_date,
        added_by=visitor.contact,
        added_by_name=name,
    )
    _customer_did(
        share,
        visitor,
        name,
        action=ChangeAction.CREATED,
        subject="customer action",
        obj=item,
        label=title + (f" (by {words.day(due_date)})" if due_date else ""),
        event=AccessEvent.ACTION_ADDED,
    )
    return item


@transaction.atomic
def customer_action_done(*, share: PlanShare, item_id, visitor: Visitor) -> CustomerAction:
    item = CustomerAction.objects.select_for_update().filter(plan=share.plan, pk=item_id).first()
    if item is None:
        raise ValidationError("This action is not part of the shared plan.")
    name = _signed(visitor, share)
    if item.done_at is not None:
        raise ValidationError(f"“{item.title}” is already done.")
    item.done_at = timezone.now()
    item.save(update_fields=["done_at"])
    _customer_did(
        share,
        visitor,
        name,
        action=ChangeAction.STATUS,
        subject="customer action done",
        obj=item,
        label=item.title,
        event=AccessEvent.ACTION_DONE,
    )
    return item

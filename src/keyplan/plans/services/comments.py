"""Working together on a plan: comments on the plan or any of its parts, with @mentions
of the people who can see the account. Pages, the API and the demo call these."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from keyplan.core import words
from keyplan.plans import audit
from keyplan.plans.choices import ChangeAction
from keyplan.plans.models import AccountPlan, Comment
from keyplan.plans.services.common import check_version
from keyplan.plans.services.elements import KINDS

COMMENT_MAX = 4000
# "@sam.smith", not an e-mail address ("sam@acme.com" has a word character before "@").
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*\w)")


def with_names(text: str, people) -> str:
    """``text`` with each ``@username`` of the people it mentions written as
    ``@First Last``: pages, notifications and exports show names, never usernames."""
    names = {p.username.lower(): str(p) for p in people}
    if not names:
        return text

    def name(m: re.Match) -> str:
        handle = m.group(1).rstrip(".")
        found = names.get(handle.lower())
        if found is None:
            return m.group(0)
        return f"@{found}" + m.group(1)[len(handle) :]

    return MENTION.sub(name, text)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_see(person, plan: AccountPlan) -> bool:
    """Whether ``person`` sees ``plan``'s account: the one visibility rule, asked."""
    from keyplan.accounts.models import Account

    return (
        _active(person) and Account.objects.visible_to(person).filter(pk=plan.account_id).exists()
    )


def mentionable_people(plan: AccountPlan, query: str = ""):
    """Active people who can see ``plan``'s account, by name, optionally those whose name
    or username starts with ``query``: those who see everything, the owners and account
    teams of the account and the accounts above it, and everyone up their management
    chains (the reverse of ``people.scope``; ``can_see`` still decides each mention)."""
    from keyplan.accounts.models import AccountLineage, AccountTeamMember
    from keyplan.people.choices import SEES_EVERYTHING
    from keyplan.people.models import User

    above = AccountLineage.objects.filter(descendant_id=plan.account_id).values("ancestor_id")
    anchors = set(
        AccountTeamMember.objects.filter(account_id__in=above).values_list("user_id", flat=True)
    ) | set(
        type(plan.account)
        .objects.filter(pk__in=above, owner__isnull=False)
        .values_list("owner_id", flat=True)
    )
    seen, frontier = set(anchors), set(anchors)
    for _ in range(20):  # management chains deeper than this are a data error
        up = set()
        for manager_id, team_manager_id in User.objects.filter(pk__in=frontier).values_list(
            "manager_id", "team__manager_id"
        ):
            up |= {manager_id, team_manager_id} - {None}
        frontier = up - seen
        if not frontier:
            break
        seen |= frontier
    people = User.objects.filter(is_active=True).filter(
        Q(pk__in=seen) | Q(role__in=SEES_EVERYTHING) | Q(is_superuser=True)
    )
    query = query.strip().lstrip("@")
    if query:
        people = people.filter(
            Q(username__istartswith=query)
            | Q(first_name__istartswith=query)
            | Q(last_name__istartswith=query)
        )
    return people.order_by("first_name", "last_name", "username")


def mentioned_handles(text: str) -> list[str]:
    """The usernames ``text`` mentions, in order, each once (a trailing full stop is the
    sentence's, not the name's)."""
    found = []
    for handle in MENTION.findall(text):
        handle = handle.rstrip(".")
        if handle and handle.lower() not in (h.lower() for h in found):
            found.append(handle)
    return found


def _mentions(plan: AccountPlan, text: str, errors: dict) -> list:
    from keyplan.people.models import User

    handles = mentioned_handles(text)
    if not handles:
        return []
    named = Q()
    for handle in handles:
        named |= Q(username__iexact=handle)
    by_name = {u.username.lower(): u for u in User.objects.filter(named)}
    people = []
    for handle in handles:
        person = by_name.get(handle.lower())
        if person is None:
            errors.setdefault("text", []).append(
                f"Nobody in keyplan is called @{handle}: choose a name from the list "
                "that opens when you type @."
            )
        elif not can_see(person, plan):
            errors.setdefault("text", []).append(
                f"{person} cannot see {plan.account}, so cannot be mentioned."
            )
        else:
            people.append(person)
    return people


def _clean_text(text: str, errors: dict) -> str:
    text = (text or "").strip()
    if not text:
        errors.setdefault("text", []).append("Write the comment first.")
    elif len(text) > COMMENT_MAX:
        errors.setdefault("text", []).append(
            f"A comment holds at most {words.number(COMMENT_MAX)} characters; this one has "
            f"{words.number(len(text))}."
        )
    return text


def subject_of(plan: AccountPlan, subject: str, object_id):
    """The part of ``plan`` a comment is about (the plan itself for "plan"), or a
    ValidationError saying why not."""
    if subject in ("", "plan", None):
        return plan
    spec = KINDS.get(subject)
    if spec is None:
        raise ValidationError({"subject": [f"“{subject}” is not a part of a plan."]})
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        raise ValidationError({"object_id": [f"Choose the {spec.label} to comment on."]}) from None
    lookup = f"{spec.parent}__plan" if spec.parent else "plan"
    obj = spec.model.objects.filter(pk=pk, **{lookup: plan}).first()
    if obj is None:
        raise ValidationError(
            {
                "object_id": [
                    f"This plan has no {spec.label} with id {pk}; it may have been removed."
                ]
            }
        )
    return obj


def about_words(subject: str, target) -> str:
    """What a comment is about, in words: "the plan", "the idea “Cloud migration”"."""
    if subject in ("", "plan", None):
        return "the plan"
    return f"the {KINDS[subject].label} “{words.shortened(str(target), 60)}”"


def _notify_mentioned(people, *, author, plan: AccountPlan, comment: Comment, about: str):
    # The inbox and, as each person chose for mentions, an email now or in the digest
    # (``rhythm.mail.notify``, the one place a notification is made; checked again
    # against what they may see when the email goes).
    from keyplan.rhythm.choices import EmailKind
    from keyplan.rhythm.mail import notify

    where = "" if about == "the plan" else f" ({about})"
    text = (
        f"{author} mentioned you in a comment on the plan for {plan.account}{where}: "
        f"“{words.shortened(' '.join(with_names(comment.text, people).split()), 200)}”"
    )
    url = f"{plan.get_absolute_url()}#comment-{comment.pk}"
    notify(
        recipients=[p for p in people if p != author],
        text=text,
        url=url,
        kind=EmailKind.MENTIONS,
        plan=plan,
    )


def _record(plan, user, action, comment, about: str, changes=None, people=None):
    # The feed keeps the words as written then, with names for the @mentions.
    people = list(comment.mentions.all()) if people is None else people
    named = with_names(comment.text, people)
    if changes and "text" in changes:
        changes = changes | {"text": [with_names(t, people) for t in changes["text"]]}
    audit.record(
        plan=plan,
        user=user,
        action=action,
        subject="comment",
        obj=comment,
        label=f"{words.shortened(' '.join(named.split()), 120)} (on {about})",
        changes=changes,
    )


def _require_may_comment(user, plan: AccountPlan) -> None:
    if not _active(user):
        raise PermissionDenied("Sign in to comment.")
    if not can_see(user, plan):
        raise PermissionDenied(f"You cannot see {plan.account}, so cannot comment on its plan.")
    if plan.is_archived:
        raise PermissionDenied("This plan is archived: it can be read but no longer changed.")


@transaction.atomic
def comment_add(
    *, plan: AccountPlan, user, text: str, subject: str = "plan", object_id=None
) -> Comment:
    """A comment by ``user`` on ``plan`` or one of its parts. Whoever sees the account
    may comment; each @mention must be someone who sees it too, else nothing is saved.
    The people mentioned get an inbox notification; the plan's feed records it."""
    plan = AccountPlan.objects.select_related("account").get(pk=plan.pk)
    _require_may_comment(user, plan)
    target = subject_of(plan, subject or "plan", object_id)
    subject = subject if target is not plan else "plan"
    errors: dict = {}
    text = _clean_text(text, errors)
    people = _mentions(plan, text, errors) if text else []
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(
        plan=plan,
        subject=subject,
        object_id=None if target is plan else target.pk,
        author=user,
        text=text,
    )
    comment.mentions.set(people)
    about = about_words(subject, target)
    _record(plan, user, ChangeAction.CREATED, comment, about)
    _notify_mentioned(people, author=user, plan=plan, comment=comment, about=about)
    return comment


def _own(comment: Comment, user) -> Comment:
    # Lock the comment only: its author may be gone (an outer join PostgreSQL will not
    # lock).
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("plan__account", "author")
        .get(pk=comment.pk)
    )
    _require_may_comment(user, comment.plan)
    if comment.author_id != user.pk:
        raise PermissionDenied(
            f"This is {comment.author or 'someone else'}'s comment: only its author changes "
            "or removes it."
        )
    return comment


def _target(comment: Comment):
    try:
        return subject_of(comment.plan, comment.subject, comment.object_id)
    except ValidationError:
        return "(removed)"


@transaction.atomic
def comment_edit(*, comment: Comment, user, text: str, version=None) -> Comment:
    """The author changes their comment; people newly mentioned are told, as on adding."""
    comment = _own(comment, user)
    check_version(comment, version, subject="comment")
    errors: dict = {}
    text = _clean_text(text, errors)
    people = _mentions(comment.plan, text, errors) if text else []
    if errors:
        raise ValidationError(errors)
    if text == comment.text:
        return comment
    before = comment.text
    already = set(comment.mentions.values_list("pk", flat=True))
    comment.text = text
    comment.edited_at = timezone.now()
    comment.version += 1
    comment.save()
    comment.mentions.set(people)
    about = about_words(comment.subject, _target(comment))
    from keyplan.people.models import User

    known = list(User.objects.filter(pk__in=already | {p.pk for p in people}))
    _record(
        comment.plan,
        user,
        ChangeAction.UPDATED,
        comment,
        about,
        {"text": [before, text]},
        people=known,
    )
    _notify_mentioned(
        [p for p in people if p.pk not in already],
        author=user,
        plan=comment.plan,
        comment=comment,
        about=about,
    )
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user, version=None) -> None:
    """The author removes their comment; the feed keeps that they did."""
    comment = _own(comment, user)
    check_version(comment, version, subject="comment")
    _record(
        comment.plan,
        user,
        ChangeAction.DELETED,
        comment,
        about_words(comment.subject, _target(comment)),
    )
    comment.delete()

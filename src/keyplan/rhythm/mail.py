"""Email: the one place an inbox notification is created (``notify``), its email sent
at once or kept for the morning digest, and the digests and action reminders sent at
each person's morning in their time zone.

Everything here is safe to run twice, or in two workers at once: a notification's
email is claimed by a conditional UPDATE before it is sent, a digest by a unique
``SentEmail`` row; a failed send gives the claim back, so the next run tries again.
Nothing is sent that the recipient may not see: a notification about a plan is
dropped when its plan is no longer visible to them, and the actions listed come from
``visible_to(recipient)``.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from keyplan.core import words
from keyplan.rhythm.choices import Delivery, EmailKind
from keyplan.rhythm.feed import absolute
from keyplan.rhythm.models import NotificationEmail, PersonalSettings, SentEmail
from keyplan.rhythm.services import settings_for

logger = logging.getLogger("keyplan.email")

DUE_SOON_DAYS = 7
RETRY_FOR = datetime.timedelta(days=7)


def notify(*, recipients, text: str, url: str, kind: str, plan=None, email: bool = True) -> list:
    """Tell each of ``recipients`` (None skipped, each once) ``text`` with a link to
    ``url``: an entry in their inbox, and an email now or in their digest as each chose
    for ``kind`` (sent after the surrounding transaction commits). ``email=False``: the
    inbox only, when the email is sent another way (a calendar invitation)."""
    from keyplan.plans.models import Notification

    people = list({u.pk: u for u in recipients if u is not None}.values())
    if not people:
        return []
    notes = Notification.objects.bulk_create(
        [Notification(recipient=u, text=text[:500], url=url) for u in people]
    )
    if not email:
        return notes
    chosen = {s.user_id: s for s in PersonalSettings.objects.filter(user__in=people)}
    emails, now = [], []
    for note, person in zip(notes, people, strict=True):
        delivery = chosen.get(person.pk, PersonalSettings()).delivery(kind)
        if delivery == Delivery.OFF or not person.email:
            continue
        emails.append(NotificationEmail(notification=note, kind=kind, plan=plan))
        if delivery == Delivery.IMMEDIATELY:
            now.append(note.pk)
    NotificationEmail.objects.bulk_create(emails)
    if now:
        from keyplan.rhythm.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(now))
    return notes


def _settings_url() -> str:
    return absolute(reverse("my_settings"))


def _greeting(person) -> str:
    """The first line of every email: the person by their first name."""
    return f"Hello {person.first_name or person},\n\n"


def _send(person, subject: str, body: str) -> None:
    EmailMessage(
        # One line: a line break in a title typed into a plan must not break the header.
        subject=words.shortened(" ".join(subject.split()), 120),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    ).send()


def _visible_plan_ids(person, plan_ids) -> set[int]:
    from keyplan.plans.models import AccountPlan

    plan_ids = {pk for pk in plan_ids if pk is not None}
    if not plan_ids:
        return set()
    return set(
        AccountPlan.objects.visible_to(person).filter(pk__in=plan_ids).values_list("pk", flat=True)
    )


def _may_see(email: NotificationEmail, visible: set[int]) -> bool:
    return email.plan_id is None or email.plan_id in visible


def send_notification_emails(ids) -> int:
    """Send the emails of these notifications whose recipients want them at once; the
    number sent. A recipient who has since chosen the digest keeps theirs for it."""
    pending = list(
        NotificationEmail.objects.filter(pk__in=ids, done_at__isnull=True).select_related(
            "notification__recipient__rhythm_settings"
        )
    )
    sent = 0
    for email in pending:
        person = email.notification.recipient
        delivery = settings_for(person).delivery(email.kind)
        if delivery == Delivery.DAILY:
            continue
        if not NotificationEmail.objects.filter(pk=email.pk, done_at__isnull=True).update(
            done_at=timezone.now(), outcome="claimed"
        ):
            continue  # another run has it
        if delivery == Delivery.OFF or not person.is_active or not person.email:
            NotificationEmail.objects.filter(pk=email.pk).update(outcome="off")
            continue
        if not _may_see(email, _visible_plan_ids(person, [email.plan_id])):
            NotificationEmail.objects.filter(pk=email.pk).update(outcome="not visible")
            continue
        note = email.notification
        body = (
            f"{_greeting(person)}{note.text}\n\n"
            f"Open it in keyplan: {absolute(note.url or '/notifications/')}\n\n"
            f"-- \nYou get this email because you chose to hear about "
            f"“{EmailKind(email.kind).label}” immediately. Change what keyplan emails you: "
            f"{_settings_url()}\n"
        )
        try:
            _send(person, f"keyplan: {note.text}", body)
        except Exception:
            logger.exception(
                "Emailing notification %s to %s failed; tried again later.", note.pk, person
            )
            NotificationEmail.objects.filter(pk=email.pk).update(done_at=None, outcome="")
            continue
        NotificationEmail.objects.filter(pk=email.pk).update(outcome="sent")
        sent += 1
    return sent


@dataclass
class Due:
    """An action or territory activity in a reminder, in words."""

    title: str
    where: str
    day: datetime.date
    url: str


def actions_due(person, *, first: datetime.date | None, last: datetime.date) -> list[Due]:
    """The person's own open actions and territory activities due from ``first`` (None:
    however long ago) to ``last``, among what they may see; two queries."""
    from keyplan.plans.choices import OPEN_ACTION_STATUSES, PlanStatus
    from keyplan.plans.models import Action
    from keyplan.salesplan.choices import TerritoryPlanStatus
    from keyplan.salesplan.models import TerritoryActivity

    dates = {"due_date__lte": last} | ({"due_date__gte": first} if first else {})
    actions = (
        Action.objects.visible_to(person)
        .filter(owner=person, status__in=OPEN_ACTION_STATUSES, **dates)
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .select_related("plan__account")
    )
    activities = (
        TerritoryActivity.objects.visible_to(person)
        .filter(owner=person, status__in=OPEN_ACTION_STATUSES, **dates)
        .exclude(plan__status=TerritoryPlanStatus.ARCHIVED)
    )
    found = [
        Due(
            a.title,
            f"plan for {a.plan.account}",
            a.due_date,
            a.plan.get_absolute_url() + "#execution",
        )
        for a in actions
    ] + [
        Due(
            a.title,
            "territory plan",
            a.due_date,
            reverse("territory_plan", args=[a.plan_id]) + "#activities",
        )
        for a in activities
    ]
    return sorted(found, key=lambda d: (d.day, d.title))


def _lines(items: list[Due]) -> list[str]:
    return [f"- {d.title} ({d.where}), due {words.day(d.day)}\n  {absolute(d.url)}" for d in items]


def _claim(person, key: str) -> SentEmail | None:
    try:
        with transaction.atomic():
            return SentEmail.objects.create(recipient=person, key=key)
    except IntegrityError:
        return None


def send_digest(person, chosen: PersonalSettings, today: datetime.date) -> int:
    """The person's daily digest for their ``today``: the notifications they chose to
    read in it, their overdue actions and those due within a week (when they chose the
    digest for actions). Sent once per day; the number of items (0: nothing to say)."""
    claim = _claim(person, f"digest-{today.isoformat()}")
    if claim is None:
        return 0
    digest_kinds = [k for k in EmailKind if chosen.delivery(k) == Delivery.DAILY]
    pending = list(
        NotificationEmail.objects.filter(
            notification__recipient=person, done_at__isnull=True, kind__in=digest_kinds
        )
        .select_related("notification")
        .order_by("notification__created_at", "pk")
    )
    claimed = [e.pk for e in pending]
    NotificationEmail.objects.filter(pk__in=claimed, done_at__isnull=True).update(
        done_at=timezone.now(), outcome="digest"
    )
    visible = _visible_plan_ids(person, [e.plan_id for e in pending])
    hidden = [e.pk for e in pending if not _may_see(e, visible)]
    NotificationEmail.objects.filter(pk__in=hidden).update(outcome="not visible")
    shown = [e for e in pending if _may_see(e, visible)]

    sections, count = [], 0
    if EmailKind.ACTIONS in digest_kinds:
        due = actions_due(person, first=None, last=today + datetime.timedelta(days=DUE_SOON_DAYS))
        overdue = [d for d in due if d.day < today]
        soon = [d for d in due if d.day >= today]
        if overdue:
            sections.append(f"Overdue ({len(overdue)})\n" + "\n".join(_lines(overdue)))
        if soon:
            sections.append(
                f"Due in the next {DUE_SOON_DAYS} days ({len(soon)})\n" + "\n".join(_lines(soon))
            )
        count += len(due)
    for kind in digest_kinds:
        mine = [e for e in shown if e.kind == kind]
        if not mine:
            continue
        lines = [
            f"- {e.notification.text}\n  {absolute(e.notification.url or '/notifications/')}"
            for e in mine
        ]
        sections.append(f"{kind.label} ({len(mine)})\n" + "\n".join(lines))
        count += len(mine)
    if not count:
        return 0
    body = (
        f"Good morning {person.first_name or person},\n\n"
        f"Your keyplan digest for {words.day(today)}.\n\n"
        + "\n\n".join(sections)
        + f"\n\n-- \nChange what keyplan emails you: {_settings_url()}\n"
    )
    try:
        _send(person, f"keyplan digest for {words.day(today)}: {words.plural(count, 'item')}", body)
    except Exception:
        logger.exception("Sending %s's digest failed; tried again at the next run.", person)
        claim.delete()
        NotificationEmail.objects.filter(pk__in=claimed).update(done_at=None, outcome="")
        return 0
    SentEmail.objects.filter(pk=claim.pk).update(items=count)
    return count


def send_action_reminder(person, today: datetime.date) -> int:
    """For someone who chose "immediately" for actions: one email in their morning about
    what falls due today and what became overdue yesterday (nothing: no email)."""
    claim = _claim(person, f"actions-{today.isoformat()}")
    if claim is None:
        return 0
    due = actions_due(person, first=today - datetime.timedelta(days=1), last=today)
    if not due:
        return 0
    overdue = [d for d in due if d.day < today]
    today_items = [d for d in due if d.day == today]
    sections = []
    if today_items:
        sections.append("Due today\n" + "\n".join(_lines(today_items)))
    if overdue:
        sections.append("Overdue since today\n" + "\n".join(_lines(overdue)))
    body = (
        _greeting(person)
        + "\n\n".join(sections)
        + f"\n\n-- \nChange what keyplan emails you: {_settings_url()}\n"
    )
    try:
        _send(person, f"keyplan: {words.plural(len(due), 'action')} due", body)
    except Exception:
        logger.exception("Sending %s's action reminder failed; tried again later.", person)
        claim.delete()
        return 0
    SentEmail.objects.filter(pk=claim.pk).update(items=len(due))
    return len(due)


def send_due_emails(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """What the worker runs every few minutes: notification emails not yet sent (a
    failed send retried), then each person's digest and action reminder once their
    morning (``KEYPLAN_DIGEST_HOUR`` in their time zone) has come."""
    from keyplan.people.models import User

    now = now or timezone.now()
    counts = {"notifications": 0, "digests": 0, "reminders": 0}
    # Emails not sent yet (the server was down): tried at every run for a week.
    counts["notifications"] = send_notification_emails(
        NotificationEmail.objects.filter(
            done_at__isnull=True, notification__created_at__gte=now - RETRY_FOR
        ).values_list("pk", flat=True)
    )
    people = User.objects.filter(is_active=True).exclude(email="").select_related("rhythm_settings")
    morning = []
    for person in people:
        chosen = settings_for(person)
        local = now.astimezone(chosen.zone)
        if local.hour >= settings.KEYPLAN_DIGEST_HOUR:
            morning.append((person, chosen, local.date()))
    keys = {f"digest-{d.isoformat()}" for _, _, d in morning} | {
        f"actions-{d.isoformat()}" for _, _, d in morning
    }
    done = set(
        SentEmail.objects.filter(
            recipient__in=[p for p, _, _ in morning], key__in=keys
        ).values_list("recipient_id", "key")
    )
    for person, chosen, today in morning:
        if (person.pk, f"digest-{today.isoformat()}") not in done:
            counts["digests"] += bool(send_digest(person, chosen, today))
        if (
            chosen.delivery(EmailKind.ACTIONS) == Delivery.IMMEDIATELY
            and (person.pk, f"actions-{today.isoformat()}") not in done
        ):
            counts["reminders"] += bool(send_action_reminder(person, today))
    return counts

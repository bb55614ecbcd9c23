"""Background tasks of the rhythm app (django.tasks API, database backend).

``send_due_emails`` is the periodic one: every worker, as it polls, makes sure one run
is queued (``ensure_queued``, called from ``operations.worker``), at most every
``KEYPLAN_EMAIL_EVERY`` seconds; it is safe to run any number of times."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from keyplan.operations.recovery import when_worker_lost


@task()
def send_notification_emails(ids: list[int]) -> int:
    from keyplan.rhythm import mail

    return mail.send_notification_emails(ids)


@task()
def send_sitting_invitations(sitting_id: int) -> int:
    from keyplan.rhythm import invitations

    return invitations.send_sitting_invitations(sitting_id)


@task()
def send_meeting_invitations(meeting_id: int) -> int:
    from keyplan.rhythm import invitations

    return invitations.send_meeting_invitations(meeting_id)


@task()
def send_due_emails() -> dict:
    from keyplan.rhythm import mail

    return mail.send_due_emails()


def ensure_queued() -> bool:
    """Queue the next run of ``send_due_emails`` unless one is queued or running:
    ``KEYPLAN_EMAIL_EVERY`` seconds after the last one was queued. True when queued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    runs = DBTaskResult.objects.filter(task_path=send_due_emails.module_path)
    if runs.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists():
        return False
    last = runs.order_by("-enqueued_at").values_list("enqueued_at", flat=True).first()
    now = timezone.now()
    every = datetime.timedelta(seconds=settings.KEYPLAN_EMAIL_EVERY)
    send_due_emails.using(run_after=max(now, last + every) if last else now).enqueue()
    return True


# Both only send what was not sent yet: run again from the start.
when_worker_lost(send_notification_emails, rerun=True, attempts=3)
when_worker_lost(send_due_emails, rerun=True, attempts=3)

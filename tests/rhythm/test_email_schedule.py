"""The periodic email run: a worker keeps exactly one run queued, every
KEYPLAN_EMAIL_EVERY seconds, so digests go out without cron."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from keyplan.rhythm.services import settings_save
from keyplan.rhythm.tasks import ensure_queued, send_due_emails
from tests.rhythm.conftest import add_action, days


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_one_run_is_kept_queued(db, database_tasks, settings):
    settings.KEYPLAN_EMAIL_EVERY = 300
    runs = DBTaskResult.objects.filter(task_path=send_due_emails.module_path)
    assert ensure_queued() is True
    assert ensure_queued() is False  # one is waiting: not a second
    [first] = runs
    assert first.status == TaskResultStatus.READY
    assert abs(first.run_after - timezone.now()) < datetime.timedelta(seconds=5)

    runs.update(status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
    assert ensure_queued() is True
    following = runs.filter(status=TaskResultStatus.READY).get()
    assert following.run_after == first.enqueued_at + datetime.timedelta(seconds=300)
    assert list(DBTaskResult.objects.ready().filter(pk=following.pk)) == []  # not before


def test_the_worker_queues_it_as_it_polls(db, database_tasks):
    from keyplan.operations.worker import ResilientWorker

    worker = ResilientWorker(
        queue_names=["default"],
        interval=1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
        retry_delay=1,
        retry_max_delay=1,
    )
    worker.keep_up()
    worker.heartbeat.stop()
    assert DBTaskResult.objects.filter(task_path=send_due_emails.module_path).count() == 1


def test_the_command_for_cron_says_what_it_sent(org, plan, smtp, settings):
    # Digests at midnight, so that the person's morning has come whenever this runs.
    settings.KEYPLAN_DIGEST_HOUR = 0
    settings_save(user=org.rep, time_zone="UTC", deliveries={})
    add_action(plan, org.rep, "Send the proposal", days(-1))
    out = StringIO()
    call_command("send_emails", stdout=out)
    assert out.getvalue().strip() == (
        "Sent 0 notification emails, 1 digest and 0 action reminders."
    )
    assert len(smtp.to("rep@example.com")) == 1
    out = StringIO()
    call_command("send_emails", stdout=out)
    assert "Sent 0 notification emails, 0 digests" in out.getvalue()

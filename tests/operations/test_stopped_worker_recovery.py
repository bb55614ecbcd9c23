"""A task left "running" by a worker that stopped (killed, its machine restarted) is
recovered by the next sweep of any worker: an import is marked failed, with why in words,
on its page and in the history; the analyses' warm-up is queued again. A task whose worker
is alive — on this machine its process still runs, elsewhere its heartbeat is recent — is
left alone, however late its heartbeat (SQLite's write lock held by a long import holds
the heartbeat back too)."""

import datetime
import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from keyplan.audit.models import AuditEvent
from keyplan.imports.models import ImportRun, ImportStatus
from keyplan.imports.services import progress_key
from keyplan.imports.tasks import run_import_task
from keyplan.operations.models import WorkerHeartbeat
from keyplan.operations.recovery import process_start, recover_abandoned_tasks, this_machine
from keyplan.people.models import User
from keyplan.territory.tasks import warm_analyses

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not process_start(os.getpid()), reason="needs /proc (Linux)"),
]

GRACE = 300  # seconds, the default


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def running_task(task, *args, started: datetime.datetime, workers=("worker-1",)):
    return DBTaskResult.objects.create(
        status="RUNNING",
        task_path=task.module_path,
        args_kwargs={"args": list(args), "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        started_at=started,
        worker_ids=list(workers),
        exception_class_path="",
        traceback="",
    )


def heartbeat(task, *, beat: datetime.datetime, host: str, pid: int, start: str):
    return WorkerHeartbeat.objects.create(
        process=uuid.uuid4(),
        worker_id="worker-1",
        host=host,
        pid=pid,
        process_start=start,
        started_at=task.started_at,
        beat_at=beat,
        task_id=task.id,
    )


def elsewhere(task, *, beat):
    """The heartbeat of a worker on another machine."""
    return heartbeat(task, beat=beat, host="app-server-2:0a1b", pid=4242, start="1234")


def a_process_that_ended() -> tuple[int, str]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    start = process_start(child.pid)
    child.kill()
    child.wait()
    return child.pid, start


@pytest.fixture
def import_run(db):
    ops = User.objects.create_user("olga", password="x", role="sales_ops")
    run = ImportRun.objects.create(
        kind="accounts",
        file_name="accounts.csv",
        stored_file="x.csv",
        created_by=ops,
        status=ImportStatus.RUNNING,
        started_at=ago(GRACE + 60),
    )
    cache.set(progress_key(run.pk), {"fraction": 0.4, "rows": 400, "rate": 1, "remaining": 9})
    return run


def test_an_import_whose_worker_went_silent_elsewhere_fails_with_why_in_words(import_run):
    task = running_task(run_import_task, import_run.pk, started=ago(GRACE + 60))
    beat = elsewhere(task, beat=ago(GRACE + 1))

    recovered = recover_abandoned_tasks()

    assert [r.task_id for r in recovered] == [task.id]
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "keyplan.operations.recovery.WorkerLost"
    import_run.refresh_from_db()
    assert import_run.status == ImportStatus.FAILED
    assert import_run.finished_at is not None
    assert import_run.failure == (
        "The background worker stopped while importing this file (it was ended, or its "
        "machine restarted). Nothing was written: an import is all or nothing. "
        "Start the import again."
    )
    assert cache.get(progress_key(import_run.pk)) is None
    assert not WorkerHeartbeat.objects.filter(pk=beat.pk).exists()
    event = AuditEvent.objects.get(action="imported", object_id=str(import_run.pk))
    assert event.summary.startswith("Failed: The background worker stopped while importing")

    # The page stops waiting and says what happened; so does the history.
    client = Client()
    client.force_login(import_run.created_by)
    page = client.get(import_run.get_absolute_url()).content.decode()
    assert "Nothing was written: an import is all or nothing." in page
    assert "every 1s" not in page
    history = client.get("/imports/").content.decode()
    assert "The background worker stopped while importing this file" in history

    # Recovery is done once.
    assert recover_abandoned_tasks() == []


def test_an_import_whose_worker_beat_within_the_grace_period_is_left_running(import_run):
    task = running_task(run_import_task, import_run.pk, started=ago(GRACE + 60))
    elsewhere(task, beat=ago(GRACE - 30))

    assert recover_abandoned_tasks() == []
    task.refresh_from_db()
    import_run.refresh_from_db()
    assert (task.status, import_run.status) == ("RUNNING", ImportStatus.RUNNING)


def test_a_worker_on_this_machine_whose_process_runs_is_alive_however_late_its_heartbeat(
    import_run,
):
    """On SQLite a long import holds the write lock, and the heartbeat waits with every
    other write: the process is asked instead."""
    task = running_task(run_import_task, import_run.pk, started=ago(3 * GRACE))
    beat = heartbeat(
        task,
        beat=ago(2 * GRACE),
        host=this_machine(),
        pid=os.getpid(),
        start=process_start(os.getpid()),
    )

    assert recover_abandoned_tasks() == []
    task.refresh_from_db()
    assert task.status == "RUNNING"
    assert WorkerHeartbeat.objects.filter(pk=beat.pk).exists()


def test_a_worker_on_this_machine_whose_process_is_gone_is_recovered_at_once(import_run):
    task = running_task(run_import_task, import_run.pk, started=ago(5))
    pid, start = a_process_that_ended()
    heartbeat(task, beat=ago(1), host=this_machine(), pid=pid, start=start)

    assert [r.task_id for r in recover_abandoned_tasks()] == [task.id]
    import_run.refresh_from_db()
    assert import_run.status == ImportStatus.FAILED


def test_a_dry_run_whose_worker_stopped_says_the_check_stopped(import_run):
    import_run.dry_run = True
    import_run.save()
    task = running_task(run_import_task, import_run.pk, started=ago(GRACE + 60))
    elsewhere(task, beat=ago(GRACE + 1))

    recover_abandoned_tasks()

    import_run.refresh_from_db()
    assert import_run.failure.startswith("The background worker stopped while checking")
    assert import_run.failure.endswith("Start the check again.")
    # A dry run writes nothing, so it leaves nothing in the audit log either.
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_a_task_claimed_without_a_heartbeat_counts_the_grace_period_from_its_start(
    import_run,
):
    """Claimed by a worker of an older keyplan, which wrote no heartbeat."""
    recent = running_task(warm_analyses, 1, started=ago(GRACE - 30))
    old = running_task(run_import_task, import_run.pk, started=ago(GRACE + 30))

    assert [r.task_id for r in recover_abandoned_tasks()] == [old.id]
    recent.refresh_from_db()
    assert recent.status == "RUNNING"


def test_the_analyses_warm_up_is_run_again_at_most_three_times(db):
    task = running_task(warm_analyses, 7, started=ago(GRACE + 60))
    elsewhere(task, beat=ago(GRACE + 1))

    [recovered] = recover_abandoned_tasks()
    assert recovered.rerun
    task.refresh_from_db()
    assert task.status == "READY"
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()

    third = running_task(warm_analyses, 7, started=ago(GRACE + 60), workers=["a", "b", "c"])
    elsewhere(third, beat=ago(GRACE + 1))
    [recovered] = recover_abandoned_tasks()
    assert not recovered.rerun
    third.refresh_from_db()
    assert third.status == "FAILED"
    assert "It was started 3 times and is not tried again." in third.traceback


@override_settings(WORKER_GRACE_SECONDS=10)
def test_the_grace_period_is_a_setting(import_run):
    task = running_task(run_import_task, import_run.pk, started=ago(60))
    elsewhere(task, beat=ago(11))
    assert [r.task_id for r in recover_abandoned_tasks()] == [task.id]


def test_a_grace_period_shorter_than_three_heartbeats_is_refused(installation):
    result = installation.run(
        "check", check=False, KEYPLAN_WORKER_HEARTBEAT="60", KEYPLAN_WORKER_GRACE="120"
    )
    assert result.returncode != 0
    assert "KEYPLAN_WORKER_GRACE (120 s) must be at least three heartbeats" in result.stderr
    assert "Traceback" not in result.stderr

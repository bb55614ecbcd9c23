"""Tasks left running by a worker that stopped, found and recovered.

A worker killed while it runs a task (SIGKILL, out of memory, a machine restart) never
marks the task finished: django-tasks-db keeps it "running" for ever, and an import's page
waits for ever. So every worker process writes a heartbeat (``WorkerHeartbeat``) every
``KEYPLAN_WORKER_HEARTBEAT`` seconds naming the task it runs, and every worker, while it
polls, looks for running tasks that no live worker vouches for:

- on the same machine, a worker whose process is gone is known to have stopped at once
  (the process id and its start time, and the machine's boot id, are in the heartbeat);
  one whose process still runs is alive, even if its heartbeat is late — on SQLite a long
  import holds the write lock, and the heartbeat waits for it like every other write;
- a worker on another machine has stopped when it has not been heard from for
  ``KEYPLAN_WORKER_GRACE`` seconds (default 5 minutes, at least three heartbeats).

What a recovered task becomes is the task's own business, declared next to it with
``when_worker_lost``: run again from the start if that is safe (the analyses' warm-up,
at most ``attempts`` times in all), otherwise marked failed with a message in words and a
hook that tells its own records (an import marks its ``ImportRun`` failed: imports are
all or nothing, so nothing was written). A task that declares nothing is marked failed.
"""

import contextlib
import datetime
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from keyplan.operations.models import WorkerHeartbeat

logger = logging.getLogger("keyplan.worker")


TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished."""


@dataclass(frozen=True)
class WhenLost:
    """What becomes of a task whose worker stopped."""

    rerun: bool = False
    attempts: int = 3
    message: str = (
        "The background worker running this task stopped before it finished (it was ended, "
        "or its machine restarted)."
    )
    # Called with the task's arguments when it is marked failed.
    then: Callable[..., None] | None = None


DEFAULT = WhenLost()
_POLICIES: dict[str, WhenLost] = {}


def when_worker_lost(task, **policy) -> None:
    """Declare what becomes of ``task`` when its worker stops: ``rerun=True`` (safe to run
    again from the start, up to ``attempts`` runs in all), else failed with ``message``,
    and ``then(*args, **kwargs)`` called with the task's arguments."""
    _POLICIES[task.module_path] = WhenLost(**policy)


def _policy(task_path: str) -> WhenLost:
    try:
        # Importing the task's module is what declares its policy.
        import_string(task_path)
    except ImportError:
        return DEFAULT
    return _POLICIES.get(task_path, DEFAULT)


# Who this process is, in terms that survive nothing: a new boot, or a new process with
# the same id, is someone else.


@cache
def this_machine() -> str:
    host = socket.gethostname()
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        boot = ""
    return f"{host}:{boot}"[:255]


def process_start(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot, Linux), "" when there is no
    such process or the system does not say."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name (2nd field) may hold spaces and parentheses; the 22nd field is the
    # start time, the 20th after the name's closing parenthesis.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


def alive_here(beat: WorkerHeartbeat) -> bool | None:
    """Whether the heartbeat's process still runs, when it ran on this machine (this
    boot) and the system can tell; ``None`` when only its heartbeat can tell."""
    if beat.host != this_machine() or not beat.process_start or not this_machine_knows():
        return None
    return process_start(beat.pid) == beat.process_start


@cache
def this_machine_knows() -> bool:
    return bool(process_start(os.getpid())) and not this_machine().endswith(":")


class Heartbeat:
    """This worker process's heartbeat: ``vouch`` names the task it runs (in the caller's
    transaction, so a task is never claimed without it); a thread beats every
    ``interval`` seconds on its own database connection while the task runs."""

    def __init__(self, *, worker_id: str, interval: float | None = None) -> None:
        self.process = uuid.uuid4()
        self.worker_id = worker_id
        self.interval = interval or settings.WORKER_HEARTBEAT_SECONDS
        self.task_id: uuid.UUID | None = None
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0

    def vouch(self, task_id: uuid.UUID | None) -> None:
        self.task_id = task_id
        self.beat()

    def beat(self) -> None:
        values = {
            "beat_at": timezone.now(),
            "task_id": self.task_id,
            "worker_id": self.worker_id,
        }
        if not WorkerHeartbeat.objects.filter(process=self.process).update(**values):
            WorkerHeartbeat.objects.create(
                process=self.process,
                host=this_machine(),
                pid=os.getpid(),
                process_start=process_start(os.getpid()),
                started_at=self.started_at,
                **values,
            )

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="keyplan-heartbeat", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except DatabaseError as error:
                    # Busy (SQLite's write lock held by an import) or unreachable: the
                    # next beat tries again; the worker's process is what other workers
                    # on this machine check, and the grace period covers the rest.
                    self._failures += 1
                    log = logger.warning if self._failures % 5 == 0 else logger.info
                    log("The worker's heartbeat could not be written (%s).", error)
                    connections["default"].close()
                else:
                    self._failures = 0
        finally:
            connections.close_all()

    def stop(self) -> None:
        """Stop beating and remove this process's row: it runs nothing any more."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 30)
        # Should the database not answer, the row goes stale and the next sweep removes it.
        with contextlib.suppress(DatabaseError):
            WorkerHeartbeat.objects.filter(process=self.process).delete()


@dataclass(frozen=True)
class Recovered:
    task_id: uuid.UUID
    task_path: str
    rerun: bool


def _abandoned(task: DBTaskResult, beats: list[WorkerHeartbeat], cutoff) -> bool:
    """No live worker vouches for the running ``task``."""
    if not beats:
        # Claimed by a worker that wrote no heartbeat (one older than this keyplan): the
        # grace period counts from when it started.
        return task.started_at is None or task.started_at < cutoff
    for beat in beats:
        here = alive_here(beat)
        if here is True or (here is None and beat.beat_at >= cutoff):
            return False
    return True


def recover_abandoned_tasks(*, now: datetime.datetime | None = None) -> list[Recovered]:
    """Recover every running task whose worker stopped; the recovered tasks."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.WORKER_GRACE_SECONDS)
    recovered: list[Recovered] = []
    running = DBTaskResult.objects.running()
    # Reads first: the write lock is taken only when something looks abandoned, never
    # while every running task has a live worker (on SQLite, a long import holds it).
    stale = [
        beat.process
        for beat in WorkerHeartbeat.objects.filter(beat_at__lt=cutoff)
        if alive_here(beat) is not True
    ]
    suspects = _abandoned_among(list(running), cutoff)
    if not stale and not suspects:
        return recovered
    with exclusive_transaction(running.db):
        # Again under the lock: a worker may have finished or beaten since.
        locked = running.filter(pk__in=[t.id for t in suspects]).select_for_update(skip_locked=True)
        for task in _abandoned_among(list(locked), cutoff):
            recovered.append(_recover(task))
        # The rows of workers that stopped; a late one that still runs writes its own
        # row again at its next beat.
        WorkerHeartbeat.objects.filter(process__in=stale, beat_at__lt=cutoff).delete()
    return recovered


def _abandoned_among(tasks: list[DBTaskResult], cutoff) -> list[DBTaskResult]:
    beats: dict[uuid.UUID, list[WorkerHeartbeat]] = {}
    for beat in WorkerHeartbeat.objects.filter(task_id__in=[t.id for t in tasks]):
        beats.setdefault(beat.task_id, []).append(beat)
    return [task for task in tasks if _abandoned(task, beats.get(task.id, []), cutoff)]


def _recover(task: DBTaskResult) -> Recovered:
    policy = _policy(task.task_path)
    who = ", ".join(task.worker_ids) or "a worker"
    if policy.rerun and len(task.worker_ids) < policy.attempts:
        task.status = TaskResultStatus.READY
        task.save(update_fields=["status"])
        logger.warning(
            "Task %s (%s) was left running by %s, which stopped; it is queued to run again "
            "(run %d of at most %d).",
            task.id,
            task.task_path,
            who,
            len(task.worker_ids) + 1,
            policy.attempts,
        )
        return Recovered(task.id, task.task_path, rerun=True)
    message = policy.message
    if policy.rerun:
        message += f" It was started {len(task.worker_ids)} times and is not tried again."
    task.set_failed(WorkerLost(message))
    args = task.args_kwargs or {}
    if policy.then is not None:
        try:
            with transaction.atomic(using=task._state.db):
                policy.then(*args.get("args", []), **args.get("kwargs", {}))
        except TRANSIENT_ERRORS:
            raise  # the whole recovery is tried again at the next sweep
        except Exception:
            # The task is failed all the same; what its records could not be told is
            # in the log.
            logger.exception("Telling task %s's records that it failed went wrong.", task.id)
    logger.warning(
        "Task %s (%s) was left running by %s, which stopped; it is marked failed: %s",
        task.id,
        task.task_path,
        who,
        message,
    )
    return Recovered(task.id, task.task_path, rerun=False)

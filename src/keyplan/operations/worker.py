"""The background worker that outlives a busy or restarting database.

django-tasks-db's worker exits on the first database error it does not expect: a
command-line import holding SQLite's write lock longer than the busy timeout, or a
PostgreSQL server restarting, stopped it for good and left later imports queued forever.
``ResilientWorker`` runs the same polling loop, but a transient database error (any
``OperationalError`` or ``InterfaceError``: locked, connection refused or dropped) is
logged and retried after a capped exponential backoff; saving a task's result is retried
the same way, so a task that ran is never left marked as running.

It also keeps a heartbeat (``keyplan.operations.recovery.Heartbeat``) naming the task it
runs, and, every heartbeat interval while it polls, recovers the tasks left running by
workers that stopped (``recover_abandoned_tasks``).
"""

import contextlib
import logging
import math
import random
import time
from collections.abc import Callable

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from keyplan.operations.recovery import Heartbeat, recover_abandoned_tasks

logger = logging.getLogger("keyplan.worker")

TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class Backoff:
    """Delays of ``first``, 2 × ``first``, 4 × ``first`` … never more than ``cap``
    seconds; ``reset`` once the database answers again."""

    def __init__(self, *, first: float, cap: float) -> None:
        self.first = first
        self.cap = max(cap, first)
        self.failures = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.first * 2 ** min(self.failures, 32))
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0


def _describe(error: Exception) -> str:
    text = " ".join(str(error).split()) or error.__class__.__name__
    return text[:200]


def _close_connections() -> None:
    """Drop every connection after a database error, so the next attempt reconnects
    instead of reusing a broken one (closing a dead connection may itself fail)."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            connection.close()


class ResilientWorker(Worker):
    """django-tasks-db's worker loop with transient database errors retried."""

    def __init__(self, *, retry_delay: float, retry_max_delay: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.backoff = Backoff(first=retry_delay, cap=retry_max_delay)
        self.heartbeat = Heartbeat(worker_id=self.worker_id)
        self.beating = False
        self.last_sweep = -math.inf

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            # A small random delay, so workers started together do not poll in step.
            time.sleep(random.random())  # noqa: S311
        try:
            self.loop()
        finally:
            self.heartbeat.stop()

    def loop(self) -> None:
        while self.running:
            try:
                close_old_connections()
                self.keep_up()
                task_result = self.poll()
            except TRANSIENT_ERRORS as error:
                self.wait_after(error, doing="looking for queued tasks")
                continue
            self.recovered()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran the maximum of %d tasks - exiting.", self._run_tasks)
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def keep_up(self) -> None:
        """The heartbeat started; every heartbeat interval, the tasks of workers that
        stopped recovered."""
        if not self.beating:
            self.heartbeat.beat()
            self.heartbeat.start()
            self.beating = True
        if time.monotonic() - self.last_sweep < self.heartbeat.interval:
            return
        try:
            recover_abandoned_tasks()
        except TRANSIENT_ERRORS:
            raise
        except Exception:
            # Recovery must never stop the worker from running tasks.
            logger.exception("Looking for tasks left running by stopped workers failed.")
        try:
            # The periodic email run (digests at each person's morning): queued here, so
            # running a worker is all it takes.
            from keyplan.rhythm.tasks import ensure_queued

            ensure_queued()
        except TRANSIENT_ERRORS:
            raise
        except Exception:
            logger.exception("Queueing the periodic email run failed.")
        self.last_sweep = time.monotonic()

    def poll(self) -> DBTaskResult | None:
        """Claim the next ready task, if any (a database error is raised to ``run``)."""
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                # Claimed inside the transaction, so no other worker runs it too, and
                # vouched for in the same one, so it is never running without a heartbeat.
                task_result.claim(self.worker_id)
                self.heartbeat.vouch(task_result.id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        for name in ("set_successful", "set_failed"):
            setattr(db_task_result, name, self.persistent(getattr(db_task_result, name)))
        try:
            super().run_task(db_task_result)
        finally:
            self.heartbeat.task_id = None
            # The beating thread says so at its next beat should the database be busy.
            with contextlib.suppress(*TRANSIENT_ERRORS):
                self.heartbeat.vouch(None)

    def persistent(self, save: Callable) -> Callable:
        """``save`` retried through transient errors: a task that ran must not stay
        marked as running because the database was busy when it finished. Once the
        worker is asked to stop, one more attempt is made, then the error is raised."""

        def retried(*args, **kwargs):
            while True:
                try:
                    result = save(*args, **kwargs)
                except TRANSIENT_ERRORS as error:
                    if not self.running:
                        raise
                    self.wait_after(error, doing="saving a task's result")
                    continue
                self.recovered()
                return result

        return retried

    def wait_after(self, error: Exception, *, doing: str) -> None:
        delay = self.backoff.next_delay()
        logger.warning(
            "The database is not available while %s (%s); the worker tries again in "
            "%g s (attempt %d).",
            doing,
            _describe(error),
            delay,
            self.backoff.failures,
        )
        _close_connections()
        if self.running:
            time.sleep(delay)

    def recovered(self) -> None:
        if self.backoff.failures:
            logger.warning(
                "The database answers again after %d failed attempts; the worker carries on.",
                self.backoff.failures,
            )
            self.backoff.reset()

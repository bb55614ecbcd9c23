from django.db import models


class WorkerHeartbeat(models.Model):
    """A background worker process (``keyplan db_worker``) saying it is alive: it writes
    ``beat_at`` every ``KEYPLAN_WORKER_HEARTBEAT`` seconds, with the task it is running.
    A running task that no recent heartbeat names was left behind by a worker that
    stopped, and is recovered (``keyplan.operations.recovery``). One row per process; a
    worker that stops cleanly removes its row, a stopped one's row is removed when it is
    recovered."""

    process = models.UUIDField(primary_key=True)
    worker_id = models.CharField(max_length=64)
    host = models.CharField(
        max_length=255, help_text="The machine: its host name and the id of its current boot"
    )
    pid = models.PositiveIntegerField()
    process_start = models.CharField(
        max_length=32, blank=True, help_text="When the process started, as the system counts"
    )
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    task_id = models.UUIDField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} (process {self.pid} on {self.host.split(':')[0]})"

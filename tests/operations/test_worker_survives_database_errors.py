"""`keyplan db_worker` does not die of a transient database error. While another
connection holds SQLite's write lock (a long command-line import does, for the length of
its transaction) the worker logs that the database is busy, waits with a growing delay,
and runs the queued web import once the lock is released."""

import sqlite3
import time

from tests.operations.conftest import stop

QUEUE_AN_IMPORT = """
from django.core.files.uploadedfile import SimpleUploadedFile
from keyplan.imports.services import import_queue, import_upload
from keyplan.people.models import User

user = User.objects.create_user("olga", password="x", role="sales_ops")
rows = "".join(f"W{i},Worker Account {i},Retail\\n" for i in range(20))
upload = SimpleUploadedFile("accounts.csv", ("external_id,name,industry\\n" + rows).encode())
run = import_upload(upload=upload, kind="accounts", user=user)
import_queue(run=run, mapping={}, dry_run=False, skip_invalid=False)
"""


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def import_status(database) -> tuple[str, int] | None:
    with sqlite3.connect(database, timeout=5) as reader:
        return reader.execute("SELECT status, rows FROM imports_importrun").fetchone()


def test_the_worker_waits_out_a_held_write_lock_and_then_runs_the_queued_import(
    installation, tmp_path
):
    installation.run("shell", "-c", QUEUE_AN_IMPORT)
    assert import_status(installation.database) == ("queued", 0)

    # Another process holds the write lock, as a long command-line import does.
    holder = sqlite3.connect(installation.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    log = tmp_path / "worker.log"
    worker = installation.start(
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval=0.2",
        "--retry-delay=0.2",
        "--retry-max-delay=1",
        log=log,
        # SQLite gives up waiting for the lock after 1 s instead of 20.
        DJANGO_SETTINGS_MODULE="tests.operations.lock_wait_settings",
    )
    try:
        wait_for(lambda: log.read_text().count("tries again") >= 3, 60, "three retries")
        assert worker.poll() is None, log.read_text()
        text = log.read_text()
        assert "database is locked" in text
        # The waits grow: 0.2 s, then 0.4 s, then 0.8 s, capped at 1 s.
        assert "tries again in 0.2 s (attempt 1)" in text
        assert "tries again in 0.4 s (attempt 2)" in text
        assert import_status(installation.database) == ("queued", 0)

        holder.execute("COMMIT")
        holder.close()
        status = wait_for(
            lambda: (s := import_status(installation.database)) and s[0] == "done" and s,
            60,
            "the import to run",
        )
        assert status == ("done", 20)
        assert "the worker carries on" in log.read_text()
        with sqlite3.connect(installation.database) as reader:
            assert reader.execute("SELECT count(*) FROM accounts_account").fetchone() == (20,)
        assert worker.poll() is None, "the worker keeps polling after the task"
    finally:
        returncode = stop(worker)
    assert returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()

"""A worker killed half-way through a web import (SIGKILL: the out-of-memory killer, a
machine losing power) leaves the import "running" for ever — until another worker comes
along: it sees that the killed worker's process is gone, marks the import failed with why
in words (nothing was written: an import is all or nothing), and goes on running the
imports queued after it. On SQLite and, when the test run has one, on PostgreSQL."""

import contextlib
import sqlite3
import time

import psycopg
import pytest

from tests.operations.conftest import Installation, postgres_url, scratch_postgres_database, stop

QUEUE_AN_IMPORT = """
from django.core.files.uploadedfile import SimpleUploadedFile
from keyplan.imports.services import import_queue, import_upload
from keyplan.people.models import User

user = User.objects.get_or_create(username="olga", defaults={{"role": "sales_ops"}})[0]
rows = "".join(f"{prefix}{{i}},Account {prefix}{{i}},Retail\\n" for i in range({rows}))
upload = SimpleUploadedFile("accounts.csv", ("external_id,name,industry\\n" + rows).encode())
run = import_upload(upload=upload, kind="accounts", user=user)
import_queue(run=run, mapping={{}}, dry_run=False, skip_invalid=False)
print(run.pk)
"""

# Beats every 0.3 s; a worker on another machine would be taken for stopped after 3 s.
FAST_HEARTBEAT = {"KEYPLAN_WORKER_HEARTBEAT": "0.3", "KEYPLAN_WORKER_GRACE": "3"}


def queue(site, *, prefix: str, rows: int) -> int:
    """Queue a web import of ``rows`` new accounts; its ImportRun's id."""
    output = site.run("shell", "-c", QUEUE_AN_IMPORT.format(prefix=prefix, rows=rows)).stdout
    return int(output.split()[-1])


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def sqlite_installation(tmp_path, installation):
    def query(sql, *params):
        with sqlite3.connect(installation.database, timeout=20) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    yield installation, query


@contextlib.contextmanager
def postgresql_installation(tmp_path, installation):
    with scratch_postgres_database() as url:
        data_dir = tmp_path / "pg-data"
        data_dir.mkdir()
        pg = Installation(data_dir, database_url=url)
        pg.run("migrate", "--no-input")

        def query(sql, *params):
            with psycopg.connect(url, autocommit=True) as db:
                return db.execute(sql, params).fetchall()

        yield pg, query


DATABASES = [
    pytest.param(sqlite_installation, id="sqlite"),
    pytest.param(
        postgresql_installation,
        id="postgresql",
        marks=pytest.mark.skipif(not postgres_url(), reason="needs DATABASE_URL=postgres://…"),
    ),
]


@pytest.mark.parametrize("database", DATABASES)
def test_an_import_whose_worker_was_killed_is_failed_in_words_by_the_next_worker(
    database, installation, tmp_path
):
    with database(tmp_path, installation) as (site, query):

        def run_status(pk):
            return query("SELECT status FROM imports_importrun WHERE id = %s", pk)[0][0]

        def task_status(pk):
            return query(
                "SELECT status FROM django_tasks_database_dbtaskresult "
                "WHERE CAST(args_kwargs AS TEXT) LIKE %s",
                f'%"args": [{pk}]%',
            )[0][0]

        def accounts():
            return query("SELECT count(*) FROM accounts_account")[0][0]

        # Large enough to take several seconds: the worker is killed in the middle of it.
        big = queue(site, prefix="B", rows=20000)
        log_a, log_b = tmp_path / "worker-a.log", tmp_path / "worker-b.log"
        worker = ["db_worker", "--no-reload", "--no-startup-delay", "--interval=0.2"]
        a = site.start(*worker, "--worker-id=worker-a", log=log_a, **FAST_HEARTBEAT)
        b = None
        try:
            wait_for(lambda: run_status(big) == "running", 120, "worker A to start the import")
            time.sleep(0.5)
            a.kill()  # SIGKILL: no chance to say anything
            a.wait()
            assert "Imported" not in log_a.read_text()
            # Left behind: running, for ever, with nobody running it.
            time.sleep(1)
            assert (run_status(big), task_status(big)) == ("running", "RUNNING")
            assert accounts() == 0

            b = site.start(*worker, "--worker-id=worker-b", log=log_b, **FAST_HEARTBEAT)
            wait_for(lambda: run_status(big) == "failed", 60, "worker B to recover the import")
            failure = query("SELECT failure FROM imports_importrun WHERE id = %s", big)[0][0]
            assert failure == (
                "The background worker stopped while importing this file (it was ended, or "
                "its machine restarted). Nothing was written: an import is all or nothing. "
                "Start the import again."
            )
            assert task_status(big) == "FAILED"
            assert accounts() == 0
            assert "left running by worker-a, which stopped; it is marked failed" in (
                log_b.read_text()
            )

            # Worker B carries on with what was queued next.
            small = queue(site, prefix="S", rows=20)
            wait_for(lambda: run_status(small) == "done", 60, "worker B to run the next import")
            assert accounts() == 20
            # Worker A's heartbeat is cleared away once it is old.
            wait_for(
                lambda: (
                    not query(
                        "SELECT 1 FROM operations_workerheartbeat WHERE worker_id = 'worker-a'"
                    )
                ),
                30,
                "worker A's heartbeat to be removed",
            )
            assert b.poll() is None
        finally:
            with contextlib.suppress(ProcessLookupError):
                a.kill()
            returncode = stop(b) if b is not None else 0
        assert returncode == 0, log_b.read_text()
        assert "Traceback" not in log_b.read_text()
        # A worker that stops cleanly takes its heartbeat with it.
        assert not query("SELECT 1 FROM operations_workerheartbeat")

"""`keyplan db_worker` does not die of a transient database error. While another
connection holds SQLite's write lock (a long command-line import does, for the length of
its transaction), or while PostgreSQL cannot be reached, the worker logs that the
database is not available, waits with a growing delay, and runs the queued web import
once the database answers again."""

import contextlib
import socket
import sqlite3
import threading
import time
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.operations.conftest import Installation, postgres_url, scratch_postgres_database, stop

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


class Outage:
    """A TCP relay between the worker and PostgreSQL that the test can cut, as a server
    restart or a network failure does: every open connection is dropped and new ones
    are closed at once until ``restore``."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up = False
        with self.lock:
            for end in self.sockets:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def count_in(log, text: str) -> int:
    return log.read_text().count(text)


@pytest.mark.skipif(not postgres_url(), reason="needs DATABASE_URL=postgres://… to run")
def test_the_worker_outlives_a_postgresql_outage_and_then_runs_the_queued_import(tmp_path):
    with scratch_postgres_database() as url:
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        direct = Installation(data_dir, database_url=url)
        direct.run("migrate", "--no-input")
        parts = urlsplit(url)
        outage = Outage(parts.hostname, parts.port or 5432)
        user = parts.netloc.rpartition("@")[0]
        relayed = parts._replace(netloc=f"{user}@127.0.0.1:{outage.port}" if user else
                                 f"127.0.0.1:{outage.port}")  # fmt: skip
        through_relay = Installation(data_dir, database_url=relayed.geturl())
        log = tmp_path / "worker.log"
        worker = through_relay.start(
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.2",
            "--retry-delay=0.2",
            "--retry-max-delay=1",
            log=log,
        )
        try:
            wait_for(lambda: count_in(log, "Starting worker"), 60, "the worker to start")
            time.sleep(1)  # it polls the queue through the relay
            outage.cut()
            wait_for(lambda: count_in(log, "tries again") >= 3, 60, "three retries")
            assert worker.poll() is None, log.read_text()
            direct.run("shell", "-c", QUEUE_AN_IMPORT)
            with psycopg.connect(url, autocommit=True) as db:
                status = "SELECT status, rows FROM imports_importrun"
                assert db.execute(status).fetchone() == ("queued", 0)
                outage.restore()
                wait_for(
                    lambda: db.execute(status).fetchone() == ("done", 20), 90, "the import to run"
                )
            assert "the worker carries on" in log.read_text()
            assert worker.poll() is None
        finally:
            returncode = stop(worker)
            outage.close()
    assert returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()

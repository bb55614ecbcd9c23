"""The deployment for teams that outgrow one machine (docs/deployment.md, compose): two
`keyplan serve` processes and two `keyplan db_worker` processes on one PostgreSQL
database. Imports queued through either web server each run exactly once, on one worker
or the other, even after PostgreSQL dropped every connection (as when it restarts)."""

import json
import time
import urllib.request
import uuid

import psycopg
import pytest

from tests.operations.conftest import (
    Installation,
    free_port,
    postgres_url,
    scratch_postgres_database,
    stop,
    wait_until_listening,
)

pytestmark = pytest.mark.skipif(
    not postgres_url(), reason="needs DATABASE_URL=postgres://… (a PostgreSQL server) to run"
)

CREATE_SALES_OPS = (
    "from keyplan.people.models import User; "
    "User.objects.create_user('olga', password='a-long-test-password-1', role='sales_ops')"
)


def call(url: str, *, token: str | None = None, data: bytes | None = None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def upload(base: str, token: str, name: str, content: str) -> int:
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\naccounts\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    ).encode()
    status, run = call(
        f"{base}/api/v1/imports/",
        token=token,
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert status == 202, run
    return run["id"]


def test_two_web_servers_and_two_workers_share_one_postgresql_database(tmp_path):
    with scratch_postgres_database() as url:
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        installation = Installation(data_dir, database_url=url)
        installation.run("migrate", "--no-input")
        installation.run("shell", "-c", CREATE_SALES_OPS)

        ports = [free_port(), free_port()]
        servers = [
            installation.start(
                "serve", f"--bind=127.0.0.1:{port}", "--workers=1", log=tmp_path / f"web{port}.log"
            )
            for port in ports
        ]
        workers = [
            installation.start(
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0.2",
                "--retry-delay=0.2",
                "--retry-max-delay=1",
                f"--worker-id=worker{i}",
                log=tmp_path / f"worker{i}.log",
            )
            for i in (1, 2)
        ]
        try:
            for port, server in zip(ports, servers, strict=True):
                wait_until_listening(port, server, tmp_path / f"web{port}.log")
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            status, answer = call(
                f"{bases[0]}/api/v1/auth/token/",
                data=b"username=olga&password=a-long-test-password-1",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            token = answer["token"]

            # PostgreSQL drops every connection of the database, as when it restarts.
            time.sleep(1)
            maintenance = postgres_url().rpartition("/")[0] + "/postgres"
            with psycopg.connect(maintenance, autocommit=True) as admin:
                dropped = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [url.rpartition("/")[2]],
                ).fetchone()[0]
            assert dropped >= 2  # at least the two workers' connections

            runs = []
            for n in range(6):
                rows = "".join(f"C{n}-{i},Cluster Account {n}-{i},Retail\n" for i in range(15))
                base = bases[n % 2]
                runs.append(
                    (
                        base,
                        upload(base, token, f"part{n}.csv", f"external_id,name,industry\n{rows}"),
                    )
                )

            deadline = time.monotonic() + 120
            results = {}
            while time.monotonic() < deadline and len(results) < len(runs):
                for base, run_id in runs:
                    _, run = call(f"{base}/api/v1/imports/{run_id}/", token=token)
                    if run["status"] in {"done", "failed"}:
                        results[run_id] = run
                time.sleep(0.5)
            assert len(results) == len(runs), "every import ran"
            assert {r["status"] for r in results.values()} == {"done"}
            _, accounts = call(f"{bases[1]}/api/v1/accounts/?industry=Retail", token=token)
            assert accounts["count"] == 6 * 15

            with psycopg.connect(url) as db:
                tasks = db.execute(
                    "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path LIKE %s",
                    ["%run_import_task"],
                ).fetchall()
            assert len(tasks) == 6
            # Each ran once, by one of the two workers.
            assert all(status == "SUCCESSFUL" and len(ids) == 1 for status, ids in tasks)
            assert {ids[0] for _, ids in tasks} <= {"worker1", "worker2"}
            for worker in workers:
                assert worker.poll() is None, "the workers keep running"
        finally:
            codes = [stop(process) for process in servers + workers]
        for log in tmp_path.glob("*.log"):
            assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
        assert codes == [0, 0, 0, 0]

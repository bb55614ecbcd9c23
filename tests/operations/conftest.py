"""Operations tests run the real `keyplan` command in subprocesses, on a database of
their own (a temporary SQLite file unless said otherwise), as an administrator would."""

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

KEYPLAN = str(Path(sys.executable).parent / "keyplan")
ROOT = Path(__file__).resolve().parents[2]
SECRET = "operations-test-secret-key-" + "k" * 30


class Installation:
    """One keyplan installation: its data directory, database and environment."""

    def __init__(self, data_dir: Path, database_url: str | None = None, **env) -> None:
        self.data_dir = data_dir
        self.database = data_dir / "keyplan.sqlite3"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(data_dir),
            # The code under test (src) and the tests' own settings modules.
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "KEYPLAN_DATA_DIR": str(data_dir),
            "KEYPLAN_SECRET_KEY": SECRET,
            "DATABASE_URL": database_url or f"sqlite:///{self.database}",
            **env,
        }

    def run(self, *args, check: bool = True, timeout: float = 300, **env):
        result = subprocess.run(
            [KEYPLAN, *map(str, args)],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check:
            assert result.returncode == 0, result.stderr[-3000:]
        return result

    def start(self, *args, log: Path, **env) -> subprocess.Popen:
        with open(log, "w") as out:
            return subprocess.Popen(
                [KEYPLAN, *map(str, args)],
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """A migrated, empty SQLite database, made once and copied by each test."""
    template = Installation(tmp_path_factory.mktemp("template"))
    template.run("migrate", "--no-input")
    return template.database


@pytest.fixture
def installation(tmp_path, migrated_database) -> Installation:
    """A keyplan installation with its own migrated SQLite database, nothing in it."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    installation = Installation(data_dir)
    # Copied through SQLite, so whatever is still in the write-ahead log comes along.
    with (
        sqlite3.connect(migrated_database) as source,
        sqlite3.connect(installation.database) as target,
    ):
        source.backup(target)
    return installation


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, server: subprocess.Popen, log: Path, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("keyplan serve did not start listening:\n" + log.read_text())


def postgres_url() -> str | None:
    """The PostgreSQL server the test run uses (DATABASE_URL), if it uses one."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@contextlib.contextmanager
def scratch_postgres_database():
    """A database of its own on the test run's PostgreSQL server, dropped afterwards;
    yields its URL."""
    import psycopg

    server = postgres_url().rpartition("/")[0]
    name = f"keyplan_ops_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def accounts_products_and_sales(installation, folder: Path, lines: int) -> Path:
    """20 accounts and 4 products imported into ``installation``, and a file of ``lines``
    sale lines for them (not imported): its path."""
    accounts = folder / "accounts.csv"
    accounts.write_text(
        "external_id,name,industry\n" + "".join(f"A{i},Account {i},Retail\n" for i in range(20))
    )
    products = folder / "products.csv"
    products.write_text("external_id,name\n" + "".join(f"P{i},Product {i}\n" for i in range(4)))
    installation.run("import", "accounts", accounts)
    installation.run("import", "products", products)
    sales = folder / "sales.csv"
    with open(sales, "w") as fh:
        fh.write("external_id,account,product,date,amount\n")
        for i in range(lines):
            fh.write(f"S{i},A{i % 20},P{i % 4},2026-{i % 12 + 1:02d}-15,{100 + i % 50}.50\n")
    return sales

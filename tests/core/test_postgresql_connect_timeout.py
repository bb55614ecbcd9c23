"""An unreachable PostgreSQL server makes keyplan fail after KEYPLAN_DB_CONNECT_TIMEOUT
seconds (10 by default), not hang for as long as the operating system waits: a server
that accepts the connection and never answers is given up after the timeout."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")
CONNECT = (
    "from django.db import connection\n"
    "try:\n"
    "    connection.ensure_connection()\n"
    "except Exception as error:\n"
    "    print('failed:', type(error).__name__)\n"
)
OPTIONS = (
    "from django.conf import settings\n"
    "print(settings.DATABASES['default']['OPTIONS'].get('connect_timeout'))\n"
)


def keyplan(code, tmp_path, *, timeout=60, **env):
    base = {"PATH": "/usr/bin:/bin", "KEYPLAN_DATA_DIR": str(tmp_path), "KEYPLAN_DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "-m", "keyplan", "shell", "-v", "0", "-c", code],
        env={**base, **env, "PYTHONPATH": SRC},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"postgres://keyplan:pw@127.0.0.1:{server.getsockname()[1]}/keyplan"
    server.close()


def test_a_server_that_never_answers_is_given_up_after_the_timeout(tmp_path, silent_server):
    started = time.monotonic()
    result = keyplan(
        CONNECT, tmp_path, timeout=30, DATABASE_URL=silent_server, KEYPLAN_DB_CONNECT_TIMEOUT="2"
    )
    elapsed = time.monotonic() - started
    assert "failed: OperationalError" in result.stdout, result.stderr
    assert elapsed < 20  # the interpreter's start, then 2 s of waiting


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "10"),
        ({"KEYPLAN_DB_CONNECT_TIMEOUT": "3"}, "3"),
        ({"DATABASE_URL": "postgres://k:pw@db.example.com/k?connect_timeout=7"}, "7"),
    ],
    ids=["default", "setting", "url-wins"],
)
def test_the_timeout_is_set_from_the_environment(tmp_path, env, expected):
    env = {"DATABASE_URL": "postgres://k:pw@db.example.com/k", **env}
    result = keyplan(OPTIONS, tmp_path, **env)
    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_timeout_below_one_second_is_refused_with_a_reason(tmp_path, value):
    result = keyplan(
        OPTIONS,
        tmp_path,
        DATABASE_URL="postgres://k:pw@db.example.com/k",
        KEYPLAN_DB_CONNECT_TIMEOUT=value,
    )
    assert result.returncode != 0
    assert f"KEYPLAN_DB_CONNECT_TIMEOUT={value} must be at least 1" in result.stderr
    assert "Traceback" not in result.stderr

"""Settings from the environment: production mode refuses unsafe or malformed values
with a message that names the variable."""

import subprocess
import sys
from pathlib import Path

import pytest

KEYPLAN = Path(sys.executable).parent / "keyplan"


def keyplan(tmp_path, *args, **env):
    base = {"PATH": "/usr/bin:/bin", "KEYPLAN_DATA_DIR": str(tmp_path)}
    return subprocess.run([KEYPLAN, *args], env={**base, **env}, capture_output=True, text=True)


@pytest.mark.parametrize("key", [None, "short", "insecure-keyplan-development-key"])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    env = {"KEYPLAN_DEBUG": "0"}
    if key:
        env["KEYPLAN_SECRET_KEY"] = key
    result = keyplan(tmp_path, "check", **env)
    assert result.returncode != 0
    assert "KEYPLAN_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_key(tmp_path):
    result = keyplan(tmp_path, "check", KEYPLAN_DEBUG="0", KEYPLAN_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


def test_malformed_values_name_the_variable(tmp_path):
    result = keyplan(tmp_path, "check", KEYPLAN_DEBUG="maybe")
    assert result.returncode != 0 and "KEYPLAN_DEBUG='maybe' is not a boolean" in result.stderr
    result = keyplan(tmp_path, "check", KEYPLAN_DEBUG="1", DATABASE_URL="mysql://x/y")
    assert result.returncode != 0 and "keyplan supports sqlite" in result.stderr


def test_sqlite_database_uses_wal_and_a_busy_timeout(tmp_path):
    result = keyplan(tmp_path, "migrate", "-v0", KEYPLAN_DEBUG="1")
    assert result.returncode == 0, result.stderr
    result = keyplan(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA busy_timeout').fetchone()[0])",
        KEYPLAN_DEBUG="1",
    )
    assert result.stdout.split() == ["wal", "20000"], result.stderr
    assert (tmp_path / "keyplan.sqlite3").exists()

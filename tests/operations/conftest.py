"""Operations tests run the real `keyplan` command in subprocesses, on a database of
their own (a temporary SQLite file unless said otherwise), as an administrator would."""

import os
import sqlite3
import subprocess
import sys
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

"""A fresh install on its default SQLite file is set up for several people at once: the
write-ahead log lets pages read while an import writes, and a second writer waits for
the first instead of failing with "database is locked".

These run ``keyplan`` in subprocesses on a new data directory with no DATABASE_URL, so
they test the SQLite set-up whichever database the rest of the suite runs on."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

KEYPLAN = str(Path(sys.executable).parent / "keyplan")


def keyplan_env(data_dir):
    return {"PATH": "/usr/bin:/bin", "KEYPLAN_DATA_DIR": str(data_dir), "KEYPLAN_DEBUG": "1"}


def shell(data_dir, code, **popen):
    command = [KEYPLAN, "shell", "-v", "0", "-c", code]
    if popen:
        return subprocess.Popen(command, env=keyplan_env(data_dir), text=True, **popen)
    return subprocess.run(command, env=keyplan_env(data_dir), capture_output=True, text=True)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("keyplan-data")
    result = subprocess.run(
        [KEYPLAN, "migrate", "-v", "0"], env=keyplan_env(path), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (path / "keyplan.sqlite3").exists()
    return path


def test_a_fresh_database_uses_the_write_ahead_log_and_a_busy_timeout(data_dir):
    result = shell(
        data_dir,
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "for pragma in ('journal_mode', 'busy_timeout', 'synchronous', 'foreign_keys'):\n"
        "    print(pragma, c.execute('PRAGMA ' + pragma).fetchone()[0])\n",
    )
    assert result.returncode == 0, result.stderr
    assert dict(line.split() for line in result.stdout.splitlines()) == {
        "journal_mode": "wal",
        "busy_timeout": "20000",
        "synchronous": "1",  # NORMAL: safe with the write-ahead log, and faster
        "foreign_keys": "1",
    }


HOLD_THE_WRITE_LOCK = """
import sys
from django.db import transaction
from keyplan.catalog.models import ProductLine
with transaction.atomic():
    ProductLine.objects.create(name="First writer")
    print("holding", flush=True)
    sys.stdin.readline()
"""

COUNT = """
from keyplan.catalog.models import ProductLine
print(sorted(ProductLine.objects.values_list("name", flat=True)))
"""

SECOND_WRITER = """
from keyplan.catalog.models import ProductLine
print("writing", flush=True)
ProductLine.objects.create(name="Second writer")
print("written", flush=True)
"""


def test_readers_go_on_and_a_second_writer_waits_while_one_writes(data_dir):
    first = shell(data_dir, HOLD_THE_WRITE_LOCK, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    second = None
    try:
        assert first.stdout.readline().strip() == "holding"

        # A page being read meanwhile: not blocked, and sees only what is committed.
        reader = shell(data_dir, COUNT)
        assert reader.returncode == 0, reader.stderr
        assert reader.stdout.strip() == "[]"
        assert first.poll() is None  # the first writer still holds its transaction

        second = shell(data_dir, SECOND_WRITER, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert second.stdout.readline().strip() == "writing"
        time.sleep(0.5)
        assert second.poll() is None, second.stderr.read()  # waiting, not failed

        first.stdin.write("\n")
        first.stdin.flush()
        assert first.wait(timeout=30) == 0
        out, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
        assert out.strip() == "written"
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()

    assert shell(data_dir, COUNT).stdout.strip() == "['First writer', 'Second writer']"

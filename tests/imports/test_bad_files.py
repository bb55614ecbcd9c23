"""A file that is not what it claims fails with one clear sentence, a non-zero exit
status and no traceback — from the command line as a user runs it."""

import subprocess
import sys
from pathlib import Path

import pytest

KEYPLAN = Path(sys.executable).parent / "keyplan"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A migrated SQLite database in its own folder, shared by this module's runs."""
    data = tmp_path_factory.mktemp("data")
    env = {"KEYPLAN_DEBUG": "1", "KEYPLAN_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"}
    subprocess.run([KEYPLAN, "migrate", "-v0"], env=env, check=True)
    return env


def keyplan_import(env, *args):
    return subprocess.run(
        [KEYPLAN, "import", *map(str, args)], env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\n\n  \n", "is empty"),
        ("binary.csv", bytes(range(256)) * 10, "binary"),
        ("zip.csv", b"PK\x03\x04rest-of-a-zip", "not a CSV"),
        ("wrong.csv", b"order_no,total\n1,2\n", "does not look like a file of accounts"),
        ("fake.xlsx", b"just text", "not a readable .xlsx"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old .xls"),
    ],
)
def test_unreadable_files_fail_with_one_sentence(env, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    result = keyplan_import(env, "accounts", path)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_file_and_unknown_mapping_target(env, tmp_path):
    result = keyplan_import(env, "accounts", tmp_path / "nope.csv")
    assert result.returncode != 0 and "There is no file" in result.stderr
    path = tmp_path / "a.csv"
    path.write_text("external_id,name\nA,B\n")
    result = keyplan_import(env, "accounts", path, "--map", "colour=name")
    assert result.returncode != 0
    assert "“colour” is not a field of accounts" in result.stderr
    assert "Traceback" not in result.stderr

"""A Salesforce export folder is read, checked for its encoding and converted to
keyplan's columns before its one write transaction: meanwhile another person's save goes
through at once instead of waiting for the whole import (SQLite has one write lock). The
folder is still imported all or nothing, and says how long its write kept others
waiting.

The import runs as ``keyplan`` does, in a subprocess on a SQLite database of its own,
paused while it converts the folder's files."""

import json
import re
import sqlite3
import subprocess
import time
from io import StringIO

import pytest
from django.core.management import call_command

from tests.imports.test_salesforce import FILES
from tests.imports.test_salesforce_folder import make_folder
from tests.operations.conftest import KEYPLAN, installation, migrated_database  # noqa: F401

PAUSED_WHILE_CONVERTING = """
import sys
from django.core.management import call_command
from keyplan.imports import salesforce

convert = salesforce._write
paused = []


def convert_then_pause(*args, **kwargs):
    convert(*args, **kwargs)
    if not paused:
        paused.append(True)
        print("converting", flush=True)
        sys.stdin.readline()


salesforce._write = convert_then_pause
try:
    call_command("import", "salesforce", {folder!r}, "--json")
except SystemExit:
    pass
"""


def save_a_product_line(database, name: str) -> float:
    """A one-row save from another connection, as a web page makes; how long it took.
    It gives up (``database is locked``) after 3 seconds."""
    started = time.monotonic()
    with sqlite3.connect(database, timeout=3, isolation_level=None) as db:
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "INSERT INTO catalog_productline (name, is_core, description, version) "
            "VALUES (?, 1, '', 1)",
            (name,),
        )
        db.execute("COMMIT")
    return time.monotonic() - started


def test_a_save_goes_through_while_the_folder_is_converted(installation, tmp_path):  # noqa: F811
    folder = make_folder(tmp_path, FILES)
    importing = subprocess.Popen(
        [KEYPLAN, "shell", "-v", "0", "-c", PAUSED_WHILE_CONVERTING.format(folder=str(folder))],
        env=installation.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert importing.stdout.readline().strip() == "converting", importing.stderr.read()
        waited = save_a_product_line(installation.database, "Saved meanwhile")
        assert waited < 2
        importing.stdin.write("\n")
        importing.stdin.flush()
        out, err = importing.communicate(timeout=120)
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.wait()
    assert importing.returncode == 0, err[-3000:]
    report = json.loads(out.strip().splitlines()[-1])
    assert report["ok"] is True and report["created"] > 0
    assert 0 < report["write_lock_seconds"] < 60
    with sqlite3.connect(installation.database) as db:
        lines = {name for (name,) in db.execute("SELECT name FROM catalog_productline")}
        accounts = {name for (name,) in db.execute("SELECT name FROM accounts_account")}
    assert "Saved meanwhile" in lines
    assert {"Globex Corporation", "Globex Europe"} <= accounts


def test_a_file_that_cannot_be_read_stops_the_folder_before_anything_is_written(
    installation,  # noqa: F811
    tmp_path,
):
    folder = make_folder(tmp_path, FILES)
    # UTF-8 and then Windows-1252 in the line items, the last file imported: nothing of
    # the files before it may be written.
    with open(folder / "OpportunityLineItem.csv", "ab") as fh:
        fh.write('"00k5g00000Bad1AAB","false","0065g00000Won01AAB","Zürich"\n'.encode())
        fh.write('"00k5g00000Bad2AAB","false","0065g00000Won01AAB","München"\n'.encode("cp1252"))
    result = installation.run("import", "salesforce", folder, "--json", check=False)
    assert result.returncode == 2, result.stderr[-3000:]
    failure = json.loads(result.stdout)["failure"]
    assert "OpportunityLineItem.csv" in failure and "UTF-8" in failure
    with sqlite3.connect(installation.database) as db:
        assert db.execute("SELECT COUNT(*) FROM accounts_account").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM people_user").fetchone() == (0,)


@pytest.mark.django_db
def test_the_summary_says_how_long_the_folders_write_kept_others_waiting(tmp_path):
    out = StringIO()
    call_command("import", "salesforce", str(make_folder(tmp_path, FILES)), stdout=out)
    summary = out.getvalue()
    assert re.search(
        r"The folder was written in one transaction: other writers had to wait \d+\.\d s "
        r"\(its files were read and converted before, without holding anyone up\)\.",
        summary,
    )
    # Not the sales step's own figure, which left out the rest of the folder.
    assert "(the final write)" not in summary

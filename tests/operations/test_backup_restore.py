"""`keyplan backup -o FILE` and `keyplan restore FILE`: a backup taken while keyplan runs
(a writer holding the database mid-transaction) restores every record as it was —
every kind's export and the plans identical after backup → wipe → restore — on SQLite,
and on PostgreSQL when its client tools are installed. A restore never replaces data by
surprise, never mixes kinds of database, and says what it restored."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from keyplan.imports.kinds import KINDS
from tests.operations.conftest import Installation, postgres_url, scratch_postgres_database


def export_script(folder: Path) -> str:
    """Every kind's export as JSON, and what no import kind covers (the account plans
    and everything in them, the analyses' records, the people's settings)."""
    return f"""
from django.core.management import call_command
for kind in {sorted(KINDS)!r}:
    call_command("export", kind, format="json", output=f"{folder}/{{kind}}.json")
call_command(
    "dumpdata", "plans", "territory", "people", "imports.savedmapping",
    output="{folder}/rest.json", indent=1,
)
"""


def export_everything(installation: Installation, folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    installation.run("shell", "-c", export_script(folder))
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def round_trip(installation: Installation, tmp_path: Path, backup_name: str) -> None:
    installation.run("generate", "--seed", "7", "--accounts", "40")
    before = export_everything(installation, tmp_path / "before")
    assert set(before) == {f"{kind}.json" for kind in KINDS} | {"rest.json"}
    assert all(len(content) > 2 for content in before.values()), "every kind has records"

    backup_file = tmp_path / backup_name
    result = installation.run("backup", "-o", backup_file)
    assert backup_file.is_file()
    assert "40 accounts" in result.stdout
    assert f"to {backup_file}" in result.stdout

    # Restoring over data is refused, and changes nothing.
    refused = installation.run("restore", backup_file, check=False)
    assert refused.returncode == 1
    assert "The database already holds keyplan data (" in refused.stderr
    assert "40 accounts" in refused.stderr
    assert "Add --force to replace it" in refused.stderr
    assert "Traceback" not in refused.stderr

    installation.run("flush", "--no-input")
    assert export_everything(installation, tmp_path / "wiped") != before

    result = installation.run("restore", backup_file)
    assert f"Restored {backup_file} into the" in result.stdout
    assert "40 accounts" in result.stdout
    after = export_everything(installation, tmp_path / "after")
    for name in before:
        assert after[name] == before[name], f"{name} differs after the restore"

    # Changes made since are undone by restoring with --force.
    installation.run(
        "shell",
        "-c",
        "from keyplan.accounts.models import Account; Account.objects.update(name='Renamed')",
    )
    result = installation.run("restore", "--force", backup_file)
    assert "40 accounts" in result.stdout
    assert export_everything(installation, tmp_path / "forced") == before


def test_sqlite_backup_while_a_writer_is_mid_transaction_restores_losslessly(
    installation, tmp_path
):
    installation.run("generate", "--seed", "7", "--accounts", "40")
    # A writer is half-way through a transaction: the backup does not wait for it, and
    # holds what was committed, not its uncommitted change.
    writer = sqlite3.connect(installation.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE accounts_account SET name = 'Uncommitted'")
    backup_file = tmp_path / "during-a-write.sqlite3"
    try:
        installation.run("backup", "-o", backup_file, timeout=60)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with sqlite3.connect(backup_file) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        names = {name for (name,) in copy.execute("SELECT name FROM accounts_account")}
    assert len(names) > 1 and "Uncommitted" not in names
    assert not Path(f"{backup_file}-wal").exists()


def test_sqlite_round_trip_keeps_every_record(installation, tmp_path):
    round_trip(installation, tmp_path, "keyplan.sqlite3")


def test_restore_refuses_a_file_that_is_not_a_backup(installation, tmp_path):
    not_a_backup = tmp_path / "accounts.csv"
    not_a_backup.write_text("external_id,name\nA1,Acme\n")
    result = installation.run("restore", not_a_backup, check=False)
    assert result.returncode == 1
    assert f"{not_a_backup} is not a keyplan backup" in result.stderr
    result = installation.run("restore", tmp_path / "missing.sqlite3", check=False)
    assert result.returncode == 1
    assert "missing.sqlite3: no such file." in result.stderr
    assert "Traceback" not in result.stderr


def test_restore_refuses_a_backup_from_a_newer_keyplan(installation, tmp_path):
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(installation.database) as source, sqlite3.connect(newer) as target:
        source.backup(target)
        target.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('accounts', '9999_from_the_future', '2030-01-01')"
        )
    result = installation.run("restore", newer, check=False)
    assert result.returncode == 1
    assert "was made by a newer version of keyplan" in result.stderr
    assert "accounts.9999_from_the_future" in result.stderr


def test_backup_refuses_what_it_cannot_do_well(installation, tmp_path):
    result = installation.run("backup", "-o", installation.database, check=False)
    assert result.returncode == 1
    assert "is the live database itself" in result.stderr
    result = installation.run("backup", "-o", tmp_path, check=False)
    assert result.returncode == 1
    assert f"{tmp_path} is a folder: give the backup file's name" in result.stderr
    result = installation.run("backup", "-o", tmp_path / "no-such-folder" / "b", check=False)
    assert result.returncode == 1
    assert "no-such-folder is not a folder: create it first." in result.stderr
    installation.database.unlink()
    result = installation.run("backup", "-o", tmp_path / "b", check=False)
    assert result.returncode == 1
    assert f"There is no database at {installation.database}: nothing to back up." in (
        result.stderr
    )
    assert not installation.database.exists()
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not postgres_url(), reason="needs DATABASE_URL=postgres://… to run")
@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="pg_dump and pg_restore (PostgreSQL's client tools) are not installed",
)
def test_postgresql_round_trip_keeps_every_record(tmp_path):
    with scratch_postgres_database() as url:
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        installation = Installation(data_dir, database_url=url)
        installation.run("migrate", "--no-input")
        round_trip(installation, tmp_path, "keyplan.pgdump")
    # A PostgreSQL backup is not restored into SQLite.
    (tmp_path / "sqlite").mkdir()
    sqlite = Installation(tmp_path / "sqlite")
    result = sqlite.run("restore", tmp_path / "keyplan.pgdump", check=False)
    assert result.returncode == 1
    assert "is a backup of a PostgreSQL database, but this installation uses SQLite" in (
        result.stderr
    )

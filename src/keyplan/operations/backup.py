"""Backups that are safe while keyplan runs, and restoring them.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies a consistent
snapshot of the live database (in WAL mode readers never block the writer, so the site
keeps working); copying the file itself is not safe while the write-ahead log holds
committed pages. The backup is one self-contained SQLite file, checked with
``PRAGMA integrity_check`` before it takes the name asked for. Restoring copies it back
through the same API, under SQLite's write lock.

PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot, also online) and
``pg_restore --clean --single-transaction`` (all or nothing). The password travels in
the environment of the child process, never on its command line.

A backup is restored only into a database of the same kind, and only over a database
holding no keyplan data unless forced: restoring replaces everything.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from keyplan.core.words import plural

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# What a summary counts, in this order: (app label, model name, singular, plural).
SUMMARY = [
    ("people", "User", "user", None),
    ("accounts", "Account", "account", None),
    ("accounts", "Contact", "contact", None),
    ("sales", "Opportunity", "opportunity", "opportunities"),
    ("sales", "SaleLine", "sale line", None),
    ("plans", "AccountPlan", "account plan", None),
]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    engine: str
    size: int
    contents: str
    pending_migrations: int = 0


def engine() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)


def _sqlite_path() -> Path:
    return Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"]).resolve()


def contents() -> str:
    """The database's contents in words: "3 users, 300 accounts, …"."""
    tables = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
    parts = []
    for app_label, model_name, singular, plural_form in SUMMARY:
        model = apps.get_model(app_label, model_name)
        count = model._base_manager.count() if model._meta.db_table in tables else 0
        parts.append(plural(count, singular, plural_form))
    return ", ".join(parts)


def holds_data() -> bool:
    """Whether any of keyplan's own tables has a row (a migrated, empty or flushed
    database has none)."""
    tables = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
    for model in apps.get_models():
        if not model.__module__.startswith("keyplan.") or model._meta.proxy:
            continue
        if model._meta.db_table in tables and model._base_manager.exists():
            return True
    return False


def pending_migrations() -> int:
    """Migrations of this version of keyplan the database has not applied."""
    loader = MigrationLoader(connections[DEFAULT_DB_ALIAS], ignore_no_migrations=True)
    return len(set(loader.disk_migrations) - set(loader.applied_migrations))


def human_size(size: int) -> str:
    """12,345,678 → "11.8 MB"."""
    if size < 1024:
        return plural(size, "byte")
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:,.1f} {unit}"
    return ""  # not reached


# --- backup -------------------------------------------------------------------------


def backup(*, output: Path) -> Outcome:
    """Write a backup of the live database to ``output`` (replaced only once the new
    backup is complete and checked)."""
    output = Path(output).resolve()
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a folder: create it first.")
    if output.is_dir():
        raise BackupError(
            f"{output} is a folder: give the backup file's name, e.g. {output}/keyplan.backup."
        )
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    kind = engine()
    if kind == "SQLite" and not _sqlite_path().is_file():
        raise BackupError(f"There is no database at {_sqlite_path()}: nothing to back up.")
    summary = contents()
    connections.close_all()
    try:
        if kind == "SQLite":
            _backup_sqlite(output, partial)
        elif kind == "PostgreSQL":
            _backup_postgresql(partial)
        else:
            raise BackupError(f"keyplan cannot back up a {kind} database.")
        os.replace(partial, output)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"The backup could not be written to {output} ({error}).") from None
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(path=output, engine=kind, size=output.stat().st_size, contents=summary)


def _backup_sqlite(output: Path, partial: Path) -> None:
    database = _sqlite_path()
    if output in {database, Path(f"{database}-wal"), Path(f"{database}-shm")}:
        raise BackupError(f"{output} is the live database itself: write the backup elsewhere.")
    source = sqlite3.connect(database, timeout=20)
    target = sqlite3.connect(partial)
    try:
        # One step (pages=-1): a consistent snapshot; in WAL mode writers carry on.
        source.backup(target)
        # A single self-contained file: no write-ahead log beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        (verdict,) = target.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"The backup failed SQLite's integrity check ({verdict}).")
    finally:
        target.close()
        source.close()
    with open(partial, "rb+") as fh:
        os.fsync(fh.fileno())


def _postgresql_env() -> dict[str, str]:
    """libpq's variables for the configured database (the password never appears on a
    command line, where other users of the machine could read it)."""
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client tools (Debian/Ubuntu: "
            "postgresql-client), of the server's major version or newer."
        )
    return path


def _run_tool(command: list[str], what: str) -> None:
    result = subprocess.run(command, env=_postgresql_env(), capture_output=True, text=True)
    if result.returncode != 0:
        detail = " ".join(result.stderr.split())[:1000] or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")


def _backup_postgresql(partial: Path) -> None:
    _run_tool(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", str(partial)],
        "pg_dump",
    )


# --- restore ------------------------------------------------------------------------


def backup_engine(path: Path) -> str:
    """Which kind of database a backup file holds, from its first bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except (IsADirectoryError, PermissionError) as error:
        raise BackupError(f"{path} cannot be read ({error.strerror}).") from None
    if head.startswith(SQLITE_MAGIC):
        return "SQLite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "PostgreSQL"
    raise BackupError(
        f"{path} is not a keyplan backup: neither a SQLite database nor a pg_dump "
        "custom-format archive (keyplan backup writes one or the other)."
    )


def restore(*, path: Path, force: bool) -> Outcome:
    """Replace the database's contents with a backup's."""
    path = Path(path).resolve()
    made_by = backup_engine(path)
    kind = engine()
    if made_by != kind:
        raise BackupError(
            f"{path} is a backup of a {made_by} database, but this installation uses "
            f"{kind} (DATABASE_URL). Restore it into a {made_by} installation; move data "
            "between the two with keyplan export and keyplan import."
        )
    if kind == "SQLite":
        _check_sqlite_backup(path)
    if not force and holds_data():
        raise BackupError(
            f"The database already holds keyplan data ({contents()}); restoring {path.name} "
            "would replace all of it. Add --force to replace it — back it up first with "
            "keyplan backup -o FILE."
        )
    connections.close_all()
    if kind == "SQLite":
        _restore_sqlite(path)
    else:
        _run_tool(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"],
                str(path),
            ],
            "pg_restore",
        )
    connections.close_all()
    return Outcome(
        path=path,
        engine=kind,
        size=path.stat().st_size,
        contents=contents(),
        pending_migrations=pending_migrations(),
    )


def _check_sqlite_backup(path: Path) -> None:
    """Refuse a damaged backup, or one made by a newer keyplan (its tables would not
    match this version's code)."""
    try:
        backup_db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (verdict,) = backup_db.execute("PRAGMA quick_check").fetchone()
            applied = set(backup_db.execute("SELECT app, name FROM django_migrations"))
        finally:
            backup_db.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as a keyplan backup ({error}).") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: SQLite's check says {verdict}.")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = sorted(f"{app}.{name}" for app, name in applied - set(loader.disk_migrations))
    if unknown:
        shown = ", ".join(unknown[:5])
        if len(unknown) > 5:
            shown += f" and {len(unknown) - 5} more"
        raise BackupError(
            f"{path} was made by a newer version of keyplan (migrations this version does "
            f"not know: {shown}); upgrade keyplan, then restore."
        )


def _restore_sqlite(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_path(), timeout=60)
    try:
        # Under the target's write lock: other connections see the old contents or the
        # restored ones, never a mixture.
        source.backup(target)
    finally:
        target.close()
        source.close()

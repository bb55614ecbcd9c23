"""Imports from the web and the API: store the upload, run it in the background, keep
the history. The command line calls the engine directly."""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from keyplan.imports.engine import ImportFailed, Progress, run_import
from keyplan.imports.kinds import KINDS
from keyplan.imports.kinds.base import Options
from keyplan.imports.mapping import stage_pairs
from keyplan.imports.models import ImportRun, ImportStatus

MAX_ERRORS_STORED = 1000
UPLOAD_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_upload(*, upload, kind: str, user) -> ImportRun:
    """Store an uploaded file under the data directory and record it."""
    if kind not in KINDS:
        raise ImportFailed(f"Unknown kind “{kind}”.")
    suffix = Path(upload.name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ImportFailed(
            f"{upload.name}: keyplan imports .csv, .tsv, .txt and .xlsx files, not “{suffix}”."
        )
    stored = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    with open(stored, "wb") as fh:
        for chunk in upload.chunks():
            digest.update(chunk)
            fh.write(chunk)
    return ImportRun.objects.create(
        kind=kind,
        file_name=Path(upload.name).name[:255],
        file_sha256=digest.hexdigest(),
        stored_file=stored.name,
        created_by=user,
    )


def import_stored_path(run: ImportRun) -> Path:
    return upload_dir() / run.stored_file


def progress_key(run_id: int) -> str:
    return f"keyplan:import-progress:{run_id}"


def import_progress(run: ImportRun) -> dict:
    """Live progress of a running import (kept in the cache, because the import's own
    transaction is not visible to other connections until it commits)."""
    if run.finished:
        return {"fraction": 1.0, "rows": run.rows, "rate": 0, "remaining": 0}
    return cache.get(progress_key(run.pk)) or {
        "fraction": 0.0,
        "rows": 0,
        "rate": 0,
        "remaining": None,
    }


@transaction.atomic
def import_queue(
    *,
    run: ImportRun,
    mapping: dict,
    dry_run: bool,
    skip_invalid: bool,
    date_format: str = "",
    stages: dict | None = None,
) -> ImportRun:
    from keyplan.imports.tasks import run_import_task

    run.mapping = {k: v for k, v in mapping.items() if v}
    run.options = {"date_format": date_format or None, "stages": stages or {}}
    run.dry_run = dry_run
    run.skip_invalid = skip_invalid
    run.status = ImportStatus.QUEUED
    run.save()
    transaction.on_commit(lambda: run_import_task.enqueue(run.pk))
    return run


def import_execute(*, run_id: int) -> ImportRun:
    """Run a queued import (in the background worker)."""
    run = ImportRun.objects.get(pk=run_id)
    if run.finished:
        return run
    run.status = ImportStatus.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    key = progress_key(run.pk)

    def on_progress(p: Progress) -> None:
        cache.set(
            key,
            {
                "fraction": round(p.fraction, 4),
                "rows": p.rows,
                "rate": round(p.rate),
                "remaining": p.remaining,
            },
            3600,
        )

    try:
        report = run_import(
            kind=run.kind,
            path=import_stored_path(run),
            mapping=run.mapping,
            dry_run=run.dry_run,
            skip_invalid=run.skip_invalid,
            rejects_path=upload_dir() / f"{Path(run.stored_file).stem}.rejects.csv",
            options=Options(
                date_format=run.options.get("date_format"),
                stage_map=stage_pairs(run.options.get("stages") or {}),
            ),
            on_progress=on_progress,
        )
    except ImportFailed as exc:
        run.status = ImportStatus.FAILED
        run.failure = str(exc)
    else:
        run.status = ImportStatus.DONE
        for name in (
            "rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "skipped",
            "error_count",
            "committed",
            "seconds",
        ):
            setattr(run, name, getattr(report, name))
        run.errors = report.errors[:MAX_ERRORS_STORED]
        run.skipped_rows = report.skipped_rows[:MAX_ERRORS_STORED]
        run.rejects_file = Path(report.rejects_file).name if report.rejects_file else ""
    run.finished_at = timezone.now()
    run.save()
    cache.delete(key)
    return run

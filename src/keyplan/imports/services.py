"""Imports from the web and the API: store the upload, run it in the background, keep
the history. The command line calls the engine directly and records its run here too."""

import datetime
import hashlib
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from keyplan.core.bulk import settle_write_ahead_log
from keyplan.core.words import plural
from keyplan.imports.engine import ImportFailed, Progress, import_step_writing, run_import
from keyplan.imports.kinds import KINDS
from keyplan.imports.kinds.base import Options
from keyplan.imports.limits import import_limits, shorten
from keyplan.imports.mapping import stage_pairs
from keyplan.imports.models import ImportRun, ImportStatus
from keyplan.imports.uploads import too_big
from keyplan.imports.wording import COMMAND_LINE, WEB, audience
from keyplan.sales.rollup import announce_change

MAX_ERRORS_STORED = 1000
UPLOAD_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}
UNUSED_UPLOADS_KEPT = datetime.timedelta(days=1)


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
            f"{shorten(upload.name)}: keyplan imports .csv, .tsv, .txt and .xlsx files, "
            f"not “{shorten(suffix)}”."
        )
    limit = import_limits().upload_bytes
    if upload.size is not None and upload.size > limit:
        raise ImportFailed(too_big(upload.name, limit))
    stored = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    written = 0
    with open(stored, "wb") as fh:
        for chunk in upload.chunks():
            written += len(chunk)
            if written > limit:  # a file that did not come through the upload handler
                fh.close()
                stored.unlink(missing_ok=True)
                raise ImportFailed(too_big(upload.name, limit))
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
    via: str = WEB,
) -> ImportRun:
    """Queue an uploaded file's import; ``via`` (``wording.WEB`` or ``API``) is who
    reads its messages."""
    from keyplan.audit.context import current
    from keyplan.imports.tasks import run_import_task

    run.mapping = {k: v for k, v in mapping.items() if v}
    # The background worker that runs it serves no request: the audit log's "from" is
    # the address it was asked for from, kept here.
    where = current()[1]
    run.options = {
        "date_format": date_format or None,
        "stages": stages or {},
        "via": via,
        "from": "" if where == COMMAND_LINE else where,
    }
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
                "step": p.step,
                "steps": p.steps,
            },
            3600,
        )

    thread = threading.get_ident()

    def step_written(step, **kwargs):
        # A large sales import is written in steps, each committed with this count: should
        # the worker stop before the last, the history says what was written
        # (``import_worker_lost``).
        if threading.get_ident() == thread:
            run.write_steps = step + 1
            ImportRun.objects.filter(pk=run.pk).update(write_steps=run.write_steps)

    import_step_writing.connect(step_written, weak=False)
    try:
        with audience(run.options.get("via") or WEB):
            report = run_import(
                kind=run.kind,
                path=import_stored_path(run),
                mapping=run.mapping,
                dry_run=run.dry_run,
                skip_invalid=run.skip_invalid,
                # One rejects file per run: a dry run and the import after it share the
                # uploaded file, not their rejected rows.
                rejects_path=upload_dir() / f"{Path(run.stored_file).stem}-{run.pk}.rejects.csv",
                options=Options(
                    date_format=run.options.get("date_format"),
                    stage_map=stage_pairs(run.options.get("stages") or {}),
                ),
                on_progress=on_progress,
                name=run.file_name,
            )
    except ImportFailed as exc:
        run.status = ImportStatus.FAILED
        run.failure = str(exc)
    else:
        _fill_from_report(run, report)
        run.rejects_file = Path(report.rejects_file).name if report.rejects_file else ""
    finally:
        import_step_writing.disconnect(step_written)
    run.finished_at = timezone.now()
    run.save()
    cache.delete(key)
    import_audit(run)
    # What the import wrote is copied out of SQLite's write-ahead log now, by the worker,
    # not by whichever page's connection happens to close last (everyone would wait).
    settle_write_ahead_log()
    return run


def worker_lost_message(run: ImportRun) -> str:
    doing, again = ("checking", "the check") if run.dry_run else ("importing", "the import")
    if run.write_steps:
        return (
            f"The background worker stopped while {doing} this file (it was ended, or its "
            f"machine restarted), after writing {plural(run.write_steps, 'step')} of whole "
            "accounts: those accounts have the file's lines, the others not yet. Import "
            "the same file again to write the rest: the lines already written are "
            "recognised and not added twice."
        )
    return (
        f"The background worker stopped while {doing} this file (it was ended, or its "
        f"machine restarted). Nothing was written: an import is all or nothing. "
        f"Start {again} again."
    )


def import_again_refusal(run: ImportRun) -> str:
    """Why the file of a run the worker lost cannot be started again as it is kept (""
    when it can). Cheap: for the page; ``import_again`` also checks the file's digest."""
    if not (run.worker_lost and run.status == ImportStatus.FAILED):
        return "Only an import the background worker stopped can be started again here."
    again = import_started_again(run)
    if again is not None:
        when = timezone.localtime(again.created_at)
        return f"This file was started again already, on {when:%Y-%m-%d %H:%M}."
    if not run.stored_file or not import_stored_path(run).is_file():
        return (
            "The uploaded file is no longer kept on the server, so it cannot be started "
            "again from here: upload it again."
        )
    return ""


def import_started_again(run: ImportRun) -> ImportRun | None:
    """The run that started the file of ``run`` again after it was lost, if any."""
    if not run.stored_file:
        return None
    return (
        ImportRun.objects.filter(stored_file=run.stored_file, dry_run=run.dry_run, pk__gt=run.pk)
        .order_by("pk")
        .first()
    )


def import_again(*, run: ImportRun, user, via: str = WEB) -> ImportRun:
    """Queue the file of an import the background worker lost once more, as it was asked
    for (kind, mapping, options, dry run or not): a new run of the history, through
    ``import_queue`` as any import. Refused, with why, when the file is not kept as it
    was uploaded or was started again already. ``via``: the import's web page
    (``wording.WEB``) or ``POST /api/v1/imports/{id}/import-again/`` (``API``), who
    reads the new run's messages."""
    with transaction.atomic():
        # Locked (and on SQLite an IMMEDIATE transaction): two clicks start it once.
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        problem = import_again_refusal(run)
        if not problem and _sha256(import_stored_path(run)) != run.file_sha256:
            problem = (
                "The file kept on the server is no longer the one uploaded (its SHA-256 "
                "differs), so it is not imported: upload it again."
            )
        if problem:
            raise ImportFailed(problem)
        return _queue_kept_file(run, user=user, dry_run=run.dry_run, via=via)


@transaction.atomic
def import_worker_lost(*, run_id: int) -> ImportRun | None:
    """Record that the worker running an import stopped before it finished
    (``keyplan.operations.recovery``): the run is failed, with why in words."""
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.finished:
        return run
    run.status = ImportStatus.FAILED
    run.failure = worker_lost_message(run)
    run.worker_lost = True
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "failure", "worker_lost", "finished_at"])
    cache.delete(progress_key(run.pk))
    if run.write_steps:
        # The steps written changed the facts, and the worker stopped before saying so:
        # cached analyses are recomputed.
        transaction.on_commit(lambda: announce_change(accounts=0))
    import_audit(run)
    return run


def _fill_from_report(run: ImportRun, report) -> None:
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
        "write_lock_seconds",
        "write_steps",
    ):
        setattr(run, name, getattr(report, name))
    run.errors = report.errors[:MAX_ERRORS_STORED]
    run.skipped_rows = report.skipped_rows[:MAX_ERRORS_STORED]


def import_audit(run: ImportRun) -> None:
    """An audit event for a finished import that could write (dry runs write nothing)."""
    from keyplan.audit.choices import AuditAction
    from keyplan.audit.events import audit_record

    if run.dry_run:
        return
    if run.status == ImportStatus.FAILED:
        outcome = f"Failed: {shorten(run.failure, 500)}"
    elif run.committed:
        outcome = (
            f"{plural(run.rows, 'row')}: {run.created:,} created, {run.updated:,} updated, "
            f"{run.unchanged:,} unchanged, {run.rejected:,} rejected, {run.skipped:,} skipped."
        )
    else:
        outcome = f"Nothing imported: {plural(run.error_count, 'row')} with errors."
    via = (run.options or {}).get("via") or WEB
    audit_record(
        action=AuditAction.IMPORTED,
        user=run.created_by,
        username=run.created_by.get_username() if run.created_by else "",
        object_type="Import",
        object_id=run.pk,
        object_label=f"{run.kind_words} from {run.file_name}"[:255],
        summary=outcome,
        source=COMMAND_LINE if via == COMMAND_LINE else (run.options or {}).get("from") or via,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def import_record_command_line(
    *,
    kind: str,
    path: str,
    report=None,
    failure: str = "",
    mapping: dict | None = None,
    date_format: str | None = None,
    stages: dict | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportRun:
    """The history record (and audit event) of an import run by ``keyplan import``: the
    same ImportRun a web import leaves, marked as from the command line."""
    given = Path(path)
    source = given / Path(report.file).name if report is not None and given.is_dir() else given
    now = timezone.now()
    run = ImportRun(
        kind=report.kind if report is not None else kind,
        file_name=source.name[:255],
        file_sha256=_sha256(source) if source.is_file() else "",
        stored_file="",
        mapping=mapping or {},
        options={"date_format": date_format, "stages": stages or {}, "via": COMMAND_LINE},
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        started_at=now,
        finished_at=now,
    )
    if report is None:
        run.status = ImportStatus.FAILED
        run.failure = shorten(failure, 2000)
    else:
        _fill_from_report(run, report)
    run.save()
    import_audit(run)
    return run


def _queue_kept_file(source: ImportRun, *, user, dry_run: bool, via: str = WEB) -> ImportRun:
    """A new run of the history for the file ``source`` kept, with its kind, mapping and
    options, queued through ``import_queue`` (from the web unless ``via`` says API)."""
    again = ImportRun.objects.create(
        kind=source.kind,
        file_name=source.file_name,
        file_sha256=source.file_sha256,
        stored_file=source.stored_file,
        created_by=user,
    )
    options = source.options or {}
    return import_queue(
        run=again,
        mapping=source.mapping,
        dry_run=dry_run,
        skip_invalid=source.skip_invalid,
        date_format=options.get("date_format") or "",
        stages=options.get("stages") or {},
        via=via,
    )


def import_after_dry_run(*, dry_run: ImportRun, user) -> ImportRun:
    """Import the file a dry run checked, with the same mapping and options, without
    uploading it again: a new run of the history, queued now."""
    with transaction.atomic():
        # Locked, so that two clicks on "Import now" import the file once.
        dry_run = ImportRun.objects.select_for_update().get(pk=dry_run.pk)
        problem = import_now_refusal(dry_run)
        if problem:
            raise ImportFailed(problem)
        # "Import now" is a button of the web import.
        return _queue_kept_file(dry_run, user=user, dry_run=False)


def import_now_refusal(run: ImportRun) -> str:
    """Why the file of ``run`` cannot be imported from its dry run ("" when it can)."""
    if not run.dry_run or run.status != ImportStatus.DONE:
        return "Only a finished dry run can be imported from its result."
    if run.error_count and not run.skip_invalid:
        return (
            "The dry run found invalid rows: fix them and upload the file again — or, to "
            "import the valid rows now, upload it again and tick “Import the valid rows and "
            "set the invalid ones aside”."
        )
    later = import_from_same_file(run)
    if later is not None:
        when = timezone.localtime(later.created_at)
        return f"This file was imported already, on {when:%Y-%m-%d %H:%M}."
    if not import_stored_path(run).exists():
        return "The uploaded file is no longer kept: upload it again."
    return ""


def import_from_same_file(run: ImportRun) -> ImportRun | None:
    """The real import started from the same upload as ``run`` (a dry run), if any."""
    return (
        ImportRun.objects.filter(stored_file=run.stored_file, dry_run=False)
        .exclude(pk=run.pk)
        .order_by("created_at", "pk")
        .first()
    )


def discard_unused_uploads(*, now=None) -> int:
    """Delete uploads that were never run (mapped and queued) within a day: their stored
    file and their record. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - UNUSED_UPLOADS_KEPT
    stale = list(
        ImportRun.objects.filter(status=ImportStatus.UPLOADED, created_at__lt=cutoff).values_list(
            "pk", "stored_file"
        )
    )
    if not stale:
        return 0
    in_use = set(
        ImportRun.objects.exclude(status=ImportStatus.UPLOADED)
        .filter(stored_file__in=[name for _, name in stale])
        .values_list("stored_file", flat=True)
    )
    for _pk, name in stale:
        if name and name not in in_use:
            (upload_dir() / name).unlink(missing_ok=True)
    ImportRun.objects.filter(pk__in=[pk for pk, _ in stale]).delete()
    return len(stale)

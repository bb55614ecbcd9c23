"""Background tasks of the imports app (django.tasks API, database backend)."""

from django_tasks import task

from keyplan.operations.recovery import when_worker_lost


@task()
def run_import_task(run_id: int) -> int:
    from keyplan.imports.services import import_execute

    run = import_execute(run_id=run_id)
    return run.rows


def _worker_lost(run_id: int) -> None:
    from keyplan.imports.services import import_worker_lost

    import_worker_lost(run_id=run_id)


# An import is all or nothing, except a large sales import written in steps: a worker that
# stopped half-way wrote nothing, or the steps before it (the history says which). It is
# not run again by itself (the file may be what stopped it, by its size).
when_worker_lost(
    run_import_task,
    rerun=False,
    message="The background worker stopped while importing this file; its history says "
    "what was written.",
    then=_worker_lost,
)

"""Background tasks of the imports app (django.tasks API, database backend)."""

from django_tasks import task


@task()
def run_import_task(run_id: int) -> int:
    from keyplan.imports.services import import_execute

    run = import_execute(run_id=run_id)
    return run.rows

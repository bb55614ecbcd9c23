"""``keyplan db_worker``: django-tasks-db's worker command, with the worker that retries
transient database errors (``keyplan.operations.worker``) instead of exiting.

This app is listed before ``django_tasks_db`` in ``INSTALLED_APPS``, so this command is
the one ``keyplan db_worker`` runs."""

import logging
import math
import os
from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from keyplan.operations.worker import ResilientWorker


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ArgumentTypeError(f"“{value}” is not a number of seconds") from None
    if not math.isfinite(number) or number <= 0:
        raise ArgumentTypeError(f"“{value}” must be a number of seconds above 0")
    return number


def lower_priority(increment: int) -> None:
    """Be nicer to the web server's processes by ``increment`` (KEYPLAN_WORKER_NICE): on a
    machine whose CPUs are busy, a page waits less and the background work a little
    longer. Where the system has no ``nice`` the worker runs as started."""
    if increment and hasattr(os, "nice"):
        os.nice(increment)


class Command(db_worker.Command):
    help = (
        "Run queued background tasks (web and API imports, analysis warm-up). A busy or "
        "unreachable database is retried with a capped exponential backoff, never fatal."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--retry-delay",
            type=seconds,
            default=1.0,
            help="Seconds to wait after the first database error; doubled after each "
            "further one (default: %(default)s).",
        )
        parser.add_argument(
            "--retry-max-delay",
            type=seconds,
            default=60.0,
            help="The longest wait between two attempts (default: %(default)s).",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        # The worker's own messages (retries) follow the same verbosity; they reach the
        # console log (stderr) like every other log record.
        logging.getLogger("keyplan.worker").setLevel(logging.getLogger("django_tasks_db").level)

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, retry_delay, retry_max_delay,
               **options) -> None:  # fmt: skip
        self.configure_logging(verbosity)
        lower_priority(settings.WORKER_NICE)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
            retry_delay=retry_delay,
            retry_max_delay=retry_max_delay,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

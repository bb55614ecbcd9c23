"""``keyplan serve``: the production web server (gunicorn), see ``keyplan.operations.server``."""

from django.core.management.base import BaseCommand, CommandError

from keyplan.operations.server import (
    UnsafeConfiguration,
    safety_refusals,
    safety_warnings,
    serve,
    server_plan,
    unapplied_migrations,
)


class Command(BaseCommand):
    help = (
        "Serve keyplan in production with gunicorn: KEYPLAN_BIND (default 127.0.0.1:8000), "
        "KEYPLAN_WEB_WORKERS processes (default two per CPU, plus one) of "
        "KEYPLAN_WEB_THREADS threads. Refuses to start with KEYPLAN_DEBUG on."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", help="HOST:PORT or unix:PATH (overrides KEYPLAN_BIND)")
        parser.add_argument(
            "--workers", type=int, help="worker processes (overrides KEYPLAN_WEB_WORKERS)"
        )

    def handle(self, *, bind: str | None, workers: int | None, **options) -> None:
        refusals = safety_refusals()
        if refusals:
            raise CommandError("keyplan serve refuses to start. " + " ".join(refusals))
        try:
            plan = server_plan(bind=bind, workers=workers)
        except UnsafeConfiguration as error:
            raise CommandError(str(error)) from None
        pending = unapplied_migrations()
        if pending:
            raise CommandError(
                f"The database lacks {pending} migration(s) of this version of keyplan: "
                "run `keyplan migrate` first."
            )
        for warning in safety_warnings(plan):
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(plan.describe())
        self.stdout.flush()
        serve(plan)

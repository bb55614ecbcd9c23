"""``keyplan serve``: keyplan under gunicorn, the production WSGI server.

Worker processes of two threads each by default (``gthread``, so idle keep-alive
connections cost nothing). keyplan's pages spend their time in Python, and threads of one
process share one interpreter lock, so more threads do not answer faster (under 30 people
on 2 CPUs, before the plan page was made lighter: 5 processes of 4 threads answered it in
860 ms at p95, of 1 thread in 440). But a request waiting for the database — a save
waiting for SQLite's write lock during a large import's final write — holds its thread,
and with one thread its whole process: during a 970,267-line import with 30 people,
pages that only read waited up to 6 s behind such saves with one thread per process, and
at most 0.9 s with two (benchmarks/README.md, "Two threads per process"). A slow client
holds a thread while it sends a large upload: behind a buffering proxy (nginx's default)
it does not; without one, raise ``KEYPLAN_WEB_THREADS``. Each worker is recycled after a
thousand-odd requests, so a server that runs for months keeps its memory flat. Static
files are served by WhiteNoise inside the application (from the app folders, see
``WHITENOISE_USE_FINDERS``), so no web server or collectstatic step is needed in front.
"""

import ipaddress
import os
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from gunicorn.app.base import BaseApplication

from keyplan.core.words import plural

# Long enough for the largest export a page offers; a request running longer is stuck.
REQUEST_TIMEOUT = 120
MAX_REQUESTS = 1000


class UnsafeConfiguration(Exception):
    """keyplan refuses to serve users with this configuration (the message says why)."""


@dataclass(frozen=True)
class ServerPlan:
    bind: str
    workers: int
    threads: int

    def describe(self) -> str:
        processes = plural(self.workers, "worker process", "worker processes")
        threads = plural(self.threads, "thread")
        return f"keyplan serves http://{self.bind}/ with {processes} of {threads} each."


def default_workers() -> int:
    """Gunicorn's advice: two workers per CPU, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def server_plan(*, bind: str | None = None, workers: int | None = None) -> ServerPlan:
    """What ``keyplan serve`` will run, from its options, else the settings."""
    bind = bind or settings.SERVE_BIND
    workers = workers if workers is not None else settings.SERVE_WORKERS
    threads = settings.SERVE_THREADS
    if workers < 0:
        raise UnsafeConfiguration(f"KEYPLAN_WEB_WORKERS={workers}: give 1 or more (0: automatic).")
    if threads < 1:
        raise UnsafeConfiguration(f"KEYPLAN_WEB_THREADS={threads}: give 1 or more.")
    _check_bind(bind)
    return ServerPlan(bind=bind, workers=workers or default_workers(), threads=threads)


def _check_bind(bind: str) -> None:
    if bind.startswith("unix:"):
        return
    host, sep, port = bind.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UnsafeConfiguration(
            f"KEYPLAN_BIND={bind!r} is not an address to listen on; give HOST:PORT "
            "(127.0.0.1:8000, 0.0.0.0:8000) or unix:/path/to/socket."
        )


def is_loopback(bind: str) -> bool:
    host = bind.rpartition(":")[0].strip("[]")
    if bind.startswith("unix:") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def safety_refusals() -> list[str]:
    """Why this configuration must not serve users (empty when it may)."""
    refusals = []
    if settings.DEBUG:
        refusals.append(
            "KEYPLAN_DEBUG is on: keyplan serve is the production server and would show "
            "error details to users. Unset KEYPLAN_DEBUG, or use `keyplan runserver` to "
            "develop."
        )
    if "*" in settings.ALLOWED_HOSTS:
        refusals.append(
            "KEYPLAN_ALLOWED_HOSTS contains '*': name the host names the site answers to "
            "(keyplan.example.com), so forged Host headers are refused."
        )
    return refusals


def unapplied_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def safety_warnings(plan: ServerPlan) -> list[str]:
    if not settings.HTTPS and not is_loopback(plan.bind):
        return [
            f"Serving plain HTTP on {plan.bind}: passwords and sessions cross the network "
            "unencrypted. Put keyplan behind a proxy that terminates HTTPS and set "
            "KEYPLAN_HTTPS=1 (docs/deployment.md)."
        ]
    return []


class KeyplanServer(BaseApplication):
    """Gunicorn configured from a ``ServerPlan``, loading ``keyplan.wsgi``."""

    def __init__(self, plan: ServerPlan) -> None:
        self.plan = plan
        super().__init__()

    def load_config(self) -> None:
        options = {
            "bind": [self.plan.bind],
            "workers": self.plan.workers,
            "worker_class": "gthread",
            "threads": self.plan.threads,
            "timeout": REQUEST_TIMEOUT,
            "graceful_timeout": 30,
            "keepalive": 5,
            "max_requests": MAX_REQUESTS,
            "max_requests_jitter": MAX_REQUESTS // 10,
            # Loaded once in the master and shared by the forked workers.
            "preload_app": True,
            "proc_name": "keyplan",
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
        }
        if "control_socket_disable" in self.cfg.settings:
            # No runtime control socket: keyplan is managed by its supervisor (systemd,
            # compose), and two installations on one machine would share its path.
            options["control_socket_disable"] = True
        if os.path.isdir("/dev/shm"):
            # Workers' heartbeat files: in memory, never on a slow or full disk.
            options["worker_tmp_dir"] = "/dev/shm"
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self):
        from keyplan.wsgi import application

        return application


def serve(plan: ServerPlan) -> None:
    # No database connection may cross the fork into the workers.
    connections.close_all()
    KeyplanServer(plan).run()

"""Run independent jobs in forked worker processes, each with its own database
connection (``keyplan analyze all`` runs its analyses this way).

Forking is only useful when the workers can see the data through their own connections:
committed data in a file or server database — not an in-memory SQLite database, and not
rows of a transaction still open in the parent (as in tests). ``can_fork`` says so.
"""

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor

from django.db import connection, connections


def can_fork() -> bool:
    if not hasattr(os, "fork") or connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def run_forked(function: Callable, jobs: Iterable, *, workers: int) -> list:
    """``function(job)`` for every job, in up to ``workers`` processes forked from this
    one (which keeps what it has read: the workers inherit it), in the order given;
    results in the same order. An error in a job is raised here."""
    jobs = list(jobs)
    connections.close_all()  # each worker opens its own connection
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_forget_inherited_connections
    ) as pool:
        futures = [pool.submit(_in_worker, function, job) for job in jobs]
        return [future.result() for future in futures]


_INHERITED = []  # connections a worker found open at fork: kept, never used nor closed


def _forget_inherited_connections() -> None:
    """A forked worker must not touch a database connection it inherited: its socket is
    also the parent's (or another thread's), and using or closing it would break that
    session. Each worker opens its own; the inherited ones are kept referenced so that
    nothing closes them when the worker exits."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None


def _in_worker(function: Callable, job):
    try:
        return function(job)
    finally:
        connections.close_all()

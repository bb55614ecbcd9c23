"""Import speed and memory against the floor.

    .venv/bin/python benchmarks/bench_import.py [--accounts 10000] [--workdir DIR]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench_import.py

In one run on one machine: generates a territory as CSV with ``keyplan generate --csv``
(or reuses one: ``--csv-dir``), imports users, accounts and products, then times
``keyplan import sales`` end to end (a separate process, so its peak memory and CPU time
are its own; its summary says how long its final write held the write lock), and
compares it with the floor (``floor_import.py``): the plain ``sqlite3`` module reading the
same CSV and ``executemany``-inserting the same rows into a table of the sale lines' own
schema, or ``COPY`` through psycopg on PostgreSQL; and the same into a bare table. Prints
wall and CPU seconds, the ratios to the floor and the peak memory of the import. Record
results in benchmarks/README.md, with the machine's load.

While each sales import runs, a probe in this process makes a one-row write (an account's
name set to itself) every 50 ms, as a web save would, and reports the longest it had to
wait: on SQLite that is how long the import held the database's write lock.
"""

import argparse
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from floor_import import floor

KEYPLAN = Path(sys.executable).parent / "keyplan"


def run(args, env):
    """(wall seconds, peak MB, stdout, CPU seconds) of one ``keyplan`` command."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S %M", str(KEYPLAN), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"keyplan {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    user, system, peak_kb = result.stderr.strip().splitlines()[-1].split()
    return seconds, int(peak_kb) / 1024, result.stdout, float(user) + float(system)


def lock_seconds(out: str) -> str:
    found = re.search(r"other writers had to wait ([0-9.]+) s", out)
    return f"{found.group(1)} s" if found else "—"


class WriteProbe:
    """One-row writes every 50 ms from another connection while an import runs: the
    longest wait is how long the import kept other writers out."""

    def __init__(self, env):
        url = env.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            import psycopg

            self.connect = lambda: psycopg.connect(url, autocommit=True)
            self.begin = "BEGIN"
        else:
            path = url.removeprefix("sqlite:///") or str(
                Path(env["KEYPLAN_DATA_DIR"]) / "keyplan.sqlite3"
            )
            self.connect = lambda: sqlite3.connect(path, timeout=120, isolation_level=None)
            self.begin = "BEGIN IMMEDIATE"
        self.longest = 0.0
        self.writes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        db = self.connect()
        cursor = db.cursor()
        cursor.execute("SELECT MIN(id) FROM accounts_account")
        account = cursor.fetchone()[0]
        # An account row when there is one; into an empty database (a first load), a row
        # every installation has.
        write = (
            f"UPDATE accounts_account SET name = name WHERE id = {int(account)}"
            if account is not None
            else "UPDATE django_migrations SET app = app WHERE id = 1"
        )
        while not self._stop.is_set():
            started = time.perf_counter()
            cursor.execute(self.begin)
            cursor.execute(write)
            cursor.execute("COMMIT")
            self.longest = max(self.longest, time.perf_counter() - started)
            self.writes += 1
            self._stop.wait(0.05)
        db.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=10000)
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--csv-dir", default=None, help="reuse files of generate --csv")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="keyplan-bench-"))
    env = {**os.environ, "KEYPLAN_DEBUG": "1", "KEYPLAN_DATA_DIR": str(work / "data")}
    if args.csv_dir:
        csv_dir = Path(args.csv_dir)
    else:
        csv_dir = work / "csv"
        seconds, _mb, out, _cpu = run(
            ["generate", "--accounts", args.accounts, "--csv", csv_dir], env
        )
        print(f"generate --csv: {seconds:.1f} s — {out.strip()}")
    run(["migrate", "-v0"], env)
    if "DATABASE_URL" in env and env["DATABASE_URL"].startswith("postgres"):
        run(["flush", "--no-input"], env)
    for kind in ("users", "accounts", "products", "opportunities"):
        seconds, mb, _, _cpu = run(["import", kind, csv_dir / f"{kind}.csv"], env)
        print(f"import {kind}: {seconds:.1f} s, peak {mb:.0f} MB")
    sales = csv_dir / "sales.csv"
    with open(sales, encoding="utf-8") as fh:
        lines = sum(1 for _ in fh) - 1
    with WriteProbe(env) as probe:
        seconds, mb, out, cpu = run(["import", "sales", sales], env)
    print(
        f"import sales: {lines:,} lines in {seconds:.1f} s wall, {cpu:.1f} s CPU = "
        f"{lines / seconds:,.0f} lines/s, peak {mb:.0f} MB; write lock held "
        f"{lock_seconds(out)}; longest wait of a one-row write meanwhile: "
        f"{probe.longest:.2f} s ({probe.writes:,} writes)"
    )
    with WriteProbe(env) as probe:
        again, mb2, out2, cpu2 = run(["import", "sales", sales], env)
    print(
        f"re-import sales (all unchanged): {again:.1f} s wall, {cpu2:.1f} s CPU = "
        f"{lines / again:,.0f} lines/s, peak {mb2:.0f} MB; write lock held "
        f"{lock_seconds(out2)}; longest wait of a one-row write meanwhile: "
        f"{probe.longest:.2f} s ({probe.writes:,} writes)"
    )
    database = env.get("DATABASE_URL") or str(work / "data" / "keyplan.sqlite3")
    for bare in (False, True):
        wall, used, n = floor(sales, database, bare=bare)
        what = "a bare table" if bare else "the sale lines' schema"
        print(
            f"floor (plain driver into {what}): {n:,} rows in {wall:.1f} s wall, "
            f"{used:.1f} s CPU; import / floor = {seconds / wall:.1f}x wall, "
            f"{cpu / used:.1f}x CPU"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"benchmark process peak (floor rows held in memory): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

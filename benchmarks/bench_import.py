"""Import speed and memory against the floor.

    .venv/bin/python benchmarks/bench_import.py [--accounts 10000] [--workdir DIR]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench_import.py

In one run on one machine: generates a territory as CSV with ``keyplan generate --csv``,
imports users, accounts and products, then times ``keyplan import sales`` end to end (a
separate process, so its peak memory is its own), and compares it with the floor: the
same rows, already parsed, inserted with a plain ``executemany`` into a bare table with
the same columns in the same database engine. Prints rows per second, the ratio to the
floor and the peak memory of the import. Record results in benchmarks/README.md.

While each sales import runs, a probe in this process makes a one-row write (an account's
name set to itself) every 50 ms, as a web save would, and reports the longest it had to
wait: on SQLite that is how long the import held the database's write lock.
"""

import argparse
import csv
import datetime
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

KEYPLAN = Path(sys.executable).parent / "keyplan"


def run(args, env):
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", str(KEYPLAN), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"keyplan {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024, result.stdout


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
        while not self._stop.is_set():
            started = time.perf_counter()
            cursor.execute(self.begin)
            cursor.execute(f"UPDATE accounts_account SET name = name WHERE id = {int(account)}")
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


def floor(env, sales_csv: Path) -> tuple[float, int]:
    """Parse nothing clever: read the CSV into tuples, then time only executemany into a
    bare table (no indexes, no constraints) in the same engine."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
    import django

    django.setup()
    from django.db import connection

    with open(sales_csv, encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = [
            (i, i % 1000, datetime.date.fromisoformat(r[3]), Decimal(r[4]), Decimal(r[5]), r[0])
            for i, r in enumerate(reader)
        ]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute(
            "CREATE TABLE bench_floor (account_id bigint, product_id bigint, date date, "
            "amount numeric(16,2), quantity numeric(14,2), external_id varchar(64))"
        )
        if connection.vendor == "sqlite":
            rows = [(a, p, d.isoformat(), str(m), str(q), e) for a, p, d, m, q, e in rows]
        started = time.perf_counter()
        cursor.executemany("INSERT INTO bench_floor VALUES (%s, %s, %s, %s, %s, %s)", rows)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor")
    return seconds, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=10000)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="keyplan-bench-"))
    env = {**os.environ, "KEYPLAN_DEBUG": "1", "KEYPLAN_DATA_DIR": str(work / "data")}
    csv_dir = work / "csv"
    seconds, _mb, out = run(["generate", "--accounts", args.accounts, "--csv", csv_dir], env)
    print(f"generate --csv: {seconds:.1f} s — {out.strip()}")
    run(["migrate", "-v0"], env)
    if "DATABASE_URL" in env and env["DATABASE_URL"].startswith("postgres"):
        run(["flush", "--no-input"], env)
    for kind in ("users", "accounts", "products", "opportunities"):
        seconds, mb, _ = run(["import", kind, csv_dir / f"{kind}.csv"], env)
        print(f"import {kind}: {seconds:.1f} s, peak {mb:.0f} MB")
    sales = csv_dir / "sales.csv"
    with open(sales, encoding="utf-8") as fh:
        lines = sum(1 for _ in fh) - 1
    with WriteProbe(env) as probe:
        seconds, mb, out = run(["import", "sales", sales], env)
    print(
        f"import sales: {lines:,} lines in {seconds:.1f} s = {lines / seconds:,.0f} lines/s, "
        f"peak {mb:.0f} MB; longest wait of a one-row write meanwhile: "
        f"{probe.longest:.2f} s ({probe.writes:,} writes)"
    )
    with WriteProbe(env) as probe:
        again, mb2, _ = run(["import", "sales", sales], env)
    print(
        f"re-import sales (all unchanged): {again:.1f} s = {lines / again:,.0f} lines/s, "
        f"peak {mb2:.0f} MB; longest wait of a one-row write meanwhile: "
        f"{probe.longest:.2f} s ({probe.writes:,} writes)"
    )
    floor_seconds, n = floor(env, sales)
    print(
        f"floor (executemany into a bare table): {n:,} rows in {floor_seconds:.1f} s = "
        f"{n / floor_seconds:,.0f} rows/s; import / floor = {seconds / floor_seconds:.1f}x"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"benchmark process peak (floor rows held in memory): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

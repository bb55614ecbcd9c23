"""Time and peak memory of ``keyplan generate``, into a fresh database or to CSV.

    .venv/bin/python benchmarks/bench_generate.py --accounts 10000 [--target sqlite|postgres|csv]
        [--flush] [--postgres postgres://postgres@127.0.0.1:5432]

Each run is its own process (``/usr/bin/time`` reports its peak resident memory) against
a fresh target: a new SQLite file, a new PostgreSQL database (created and migrated first,
dropped afterwards), or a new folder. For PostgreSQL the largest resident size of any
server process during the run is sampled too (it includes the shared buffers the process
touched). ``--flush`` then generates the same territory again over the first one, which
times ``--flush``. Record results in benchmarks/README.md, section "Generator".
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

KEYPLAN = Path(sys.executable).parent / "keyplan"


def run(args, env) -> tuple[float, float, str]:
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


class ServerMemory(threading.Thread):
    """The largest resident size of any postgres process while running."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.5):
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    text = status.read_text()
                except OSError:
                    continue
                if not text.startswith("Name:\tpostgres"):
                    continue
                for line in text.splitlines():
                    if line.startswith("VmRSS:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))


def psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-q", "-c", sql], check=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--target", choices=("sqlite", "postgres", "csv"), default="sqlite")
    parser.add_argument("--flush", action="store_true", help="then regenerate with --flush")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="keyplan-bench-generate-"))
    env = {**os.environ, "KEYPLAN_DEBUG": "1", "KEYPLAN_DATA_DIR": str(work / "data")}
    env.pop("DATABASE_URL", None)
    generate = ["generate", "--accounts", args.accounts, "--seed", args.seed]
    database = "keyplan_bench_generate"
    if args.target == "csv":
        generate += ["--csv", work / "csv"]
    elif args.target == "postgres":
        psql(args.postgres, f"DROP DATABASE IF EXISTS {database}")
        psql(args.postgres, f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = f"{args.postgres}/{database}"
    if args.target != "csv":
        run(["migrate", "-v0"], env)

    server = ServerMemory() if args.target == "postgres" else None
    if server:
        server.start()
    seconds, mb, out = run(generate, env)
    print(f"{args.target}, {args.accounts:,} accounts: {seconds:.1f} s, peak {mb:.0f} MB")
    print(out.rstrip())
    if args.target == "csv":
        size = sum(p.stat().st_size for p in (work / "csv").iterdir())
        print(f"CSV files: {size / 1e6:,.0f} MB in {work / 'csv'}")
    elif args.target == "sqlite":
        size = (work / "data" / "keyplan.sqlite3").stat().st_size
        print(f"SQLite file: {size / 1e6:,.0f} MB")
    if args.flush and args.target != "csv":
        seconds, mb, _ = run([*generate, "--flush"], env)
        print(f"again with --flush over it: {seconds:.1f} s, peak {mb:.0f} MB")
    if server:
        server.stop.set()
        server.join()
        print(f"largest postgres process during the runs: {server.peak_kb / 1024:.0f} MB")
        psql(args.postgres, f"DROP DATABASE {database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

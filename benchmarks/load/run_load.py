"""30 users on the demo territory: start keyplan as production does, load it with locust.

    .venv/bin/python benchmarks/load/run_load.py [--out DIR] [--data-dir DIR]
        [--users 30] [--spawn-rate 5] [--run-time 2m] [--settle 30]
        [--import-sales FILE [--import-nice 10]] [--port 8765]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/load/run_load.py ...

In one run: a data directory (a new temporary one unless ``--data-dir`` names one; never
the project's ``var/``) gets the demo territory (``keyplan migrate`` and ``keyplan
generate --seed 42``, skipped when it already holds accounts); ``keyplan serve`` (its
default workers and threads for this machine unless ``KEYPLAN_WEB_WORKERS`` /
``KEYPLAN_WEB_THREADS`` say otherwise) and ``keyplan db_worker`` start on it; locust runs
``locustfile.py`` beside this script in its own process, headless. Statistics restart
``--settle`` seconds after the last person has signed in (see the locustfile: 60
sign-ins at once keep two CPUs busy for a while); the sign-ins are reported from the
ramp-up. ``--run-time`` is the measured window after that.

``--import-sales FILE`` runs ``keyplan import sales FILE`` (a file from ``keyplan generate
--csv``; its accounts and products must be in the database — see benchmarks/README.md)
in the same database when the measured window starts, and reports how long it took.

The load on the machine (``uptime``) is printed before and after: the figures are only
as quiet as the machine was. Results: ``DIR/load_stats.csv`` (locust's), and a summary
table in ``DIR/summary.md``.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
KEYPLAN = BIN / "keyplan"
LOCUST = BIN / "locust"


def seconds_of(text: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    if text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def keyplan(args: list[str], env: dict) -> str:
    result = subprocess.run([str(KEYPLAN), *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"keyplan {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"keyplan did not answer {url} within {timeout:.0f} s")


def spawn(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """Start a process writing to ``log`` (the child keeps its own copy of the file)."""
    with open(log, "w") as fh:
        return subprocess.Popen(command, env=env, stdout=fh, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def number(text: str) -> float:
    """A figure from locust's CSV ("N/A" where a page had no request: 0)."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def summary_rows(stats_csv: Path) -> list[dict]:
    with open(stats_csv, newline="") as fh:
        return [
            {
                "method": row["Type"],
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": number(row["Median Response Time"]),
                "p95_ms": number(row["95%"]),
                "max_ms": number(row["Max Response Time"]),
            }
            for row in csv.DictReader(fh)
        ]


def table(rows: list[dict]) -> str:
    lines = [
        "| page | requests | errors | median ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        name = r["name"] if r["method"] in ("GET", "") else f"{r['method']} {r['name']}"
        lines.append(
            f"| {name} | {r['requests']:,} | {r['failures']:,} | {r['median_ms']:,.0f} | "
            f"{r['p95_ms']:,.0f} | {r['max_ms']:,.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="where results go (default: a temp dir)")
    parser.add_argument("--data-dir", default=None, help="KEYPLAN_DATA_DIR (default: temp)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="2m", help="the measured window (2m, 90s)")
    parser.add_argument(
        "--settle", type=float, default=5, help="seconds after the last sign-in, unmeasured"
    )
    parser.add_argument("--import-sales", default=None, metavar="FILE")
    parser.add_argument(
        "--import-nice",
        type=int,
        default=10,
        help="run the import under `nice -n N`, as docs/deployment.md advises while people "
        "work (0: at the same priority as the web server; default %(default)s)",
    )
    args = parser.parse_args()

    data = Path(args.data_dir or tempfile.mkdtemp(prefix="keyplan-load-"))
    if data.resolve() == (HERE.parent.parent / "var").resolve():
        sys.exit("Give another --data-dir: the project's var/ is not for load tests.")
    out = Path(args.out or tempfile.mkdtemp(prefix="keyplan-load-out-"))
    out.mkdir(parents=True, exist_ok=True)
    data.mkdir(parents=True, exist_ok=True)
    secret = data / "secret-key"
    if not secret.exists():
        secret.write_text(os.urandom(32).hex())
    env = {
        **os.environ,
        "KEYPLAN_DATA_DIR": str(data),
        "KEYPLAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("KEYPLAN_DEBUG", None)

    keyplan(["migrate", "--no-input", "-v0"], env)
    has_accounts = keyplan(
        [
            "shell",
            "-c",
            "from keyplan.accounts.models import Account; print(Account.objects.exists())",
        ],
        env,
    ).split()
    if has_accounts[-1:] != ["True"]:
        print("loading the demo territory (keyplan generate --seed 42) ...", flush=True)
        keyplan(["generate", "--seed", "42"], env)

    host = f"http://127.0.0.1:{args.port}"
    server = spawn(
        [str(KEYPLAN), "serve", "--bind", f"127.0.0.1:{args.port}"],
        env,
        out / "serve.log",
    )
    worker = spawn(
        [str(KEYPLAN), "db_worker", "--no-reload"],
        env,
        out / "worker.log",
    )
    importer = None
    try:
        wait_until_up(host + "/login/")
        plan = (out / "serve.log").read_text().splitlines()[:1]
        print(*plan, sep="\n")
        before = uptime()
        print(f"before: {before}", flush=True)
        measure = seconds_of(args.run_time)
        locust_env = {
            **env,
            "KEYPLAN_LOAD_SETTLE": str(args.settle),
            "KEYPLAN_LOAD_MEASURE": str(measure),
            "KEYPLAN_LOAD_RAMPUP_JSON": str(out / "rampup.json"),
        }
        locust = spawn(
            [
                str(LOCUST),
                "-f",
                str(HERE / "locustfile.py"),
                "--host",
                host,
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                # A cap only: the locustfile stops the run `measure` seconds after
                # everyone has signed in.
                "--run-time",
                f"{measure + 600}s",
                "--csv",
                str(out / "load"),
                "--only-summary",
            ],
            locust_env,
            out / "locust.log",
        )
        import_seconds = None
        rampup = out / "rampup.json"
        rampup.unlink(missing_ok=True)
        while not rampup.exists() and locust.poll() is None:
            time.sleep(0.5)  # the measured window starts when the ramp-up is written
        print(f"everyone signed in; measuring for {args.run_time}: {uptime()}", flush=True)
        if args.import_sales:
            print(f"importing {args.import_sales} during the measured window ...", flush=True)
            started = time.monotonic()
            importer = spawn(
                [
                    *(["nice", "-n", str(args.import_nice)] if args.import_nice else []),
                    str(KEYPLAN),
                    "import",
                    "sales",
                    args.import_sales,
                ],
                env,
                out / "import.log",
            )
            importer.wait()
            import_seconds = time.monotonic() - started
            print(f"import finished in {import_seconds:.1f} s (exit {importer.returncode})")
        else:
            time.sleep(measure / 2)
        middle = uptime()
        locust.wait()
        after = uptime()
    finally:
        for process in (importer, worker, server):
            if process is not None:
                stop(process)

    rows = summary_rows(out / "load_stats.csv")
    measured = [r for r in rows if r["name"] != "Aggregated"]
    total_row = next(r for r in rows if r["name"] == "Aggregated")
    rampup = json.loads((out / "rampup.json").read_text()) if (out / "rampup.json").exists() else []
    signins = [r for r in rampup if "sign in" in r["name"]]
    over = [r for r in measured if r["p95_ms"] >= 500]
    text = [
        f"# {args.users} users, {args.run_time} measured from {args.settle:.0f} s after the "
        "last sign-in",
        "",
        plan[0] if plan else "",
        f"- machine before: `{before}`",
        f"- machine {'when the import ended' if args.import_sales else 'mid-run'}: `{middle}`",
        f"- machine after: `{after}`",
    ]
    if import_seconds is not None:
        niced = f"nice -n {args.import_nice} " if args.import_nice else ""
        text.append(f"- `{niced}keyplan import sales {args.import_sales}`: {import_seconds:.1f} s")
    text += [
        f"- all requests: {total_row['requests']:,}, errors {total_row['failures']:,}, "
        f"p95 {total_row['p95_ms']:,.0f} ms; pages with p95 ≥ 500 ms: {len(over)}",
        "",
        table(measured),
        "",
        "Sign-ins, during the ramp-up:",
        "",
        table(signins),
        "",
    ]
    (out / "summary.md").write_text("\n".join(text))
    print("\n".join(text))
    failures = out / "load_failures.csv"
    if failures.exists() and len(failures.read_text().splitlines()) > 1:
        print(f"errors: see {failures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

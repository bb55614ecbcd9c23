"""How long a Salesforce export folder's import keeps other writers waiting.

    .venv/bin/python benchmarks/bench_salesforce_import.py [--accounts 5000]
        [--workdir DIR] [--src SRC ...]

Writes a synthetic Salesforce data-export folder (``User.csv``, ``Account.csv``,
``Product2.csv``, ``Contact.csv``, ``Opportunity.csv``, ``OpportunityLineItem.csv``,
``OpportunityHistory.csv`` with Salesforce's API field names; fixed seed), then for each
``--src`` (a ``src`` folder of keyplan: compare two versions of the code on the same
data) imports it into a fresh SQLite database with ``keyplan import salesforce`` as its
own process — a first load, then the same folder again (every row unchanged) — while a
probe in this process makes a one-row write every 50 ms from another connection, as a
web save would, and reports the longest it had to wait: how long the import held the
database's write lock. Prints wall and CPU seconds of the import, the longest wait, and
the folder's own figure when the code reports it (``write_lock_seconds`` of the JSON).
Record results in benchmarks/README.md, with the machine's load.
"""

import argparse
import csv
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_import import WriteProbe  # the same one-row writer beside the import

HERE = Path(__file__).resolve().parent
INDUSTRIES = ["Energy", "Retail", "Manufacturing", "Healthcare", "Finance", "Logistics"]
COUNTRIES = ["Germany", "United States", "France", "Switzerland", "Japan", "Brazil"]
FAMILIES = ["Hardware", "Software", "Services", "Support"]
OPEN_STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation"]


def sf_id(prefix: str, number: int) -> str:
    """A 15-character Salesforce-style id."""
    return f"{prefix}{number:012d}"


def write(folder: Path, name: str, header: list[str], rows) -> int:
    count = 0
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def make_folder(folder: Path, accounts: int, seed: int = 7) -> dict[str, int]:
    """A Salesforce export of ``accounts`` accounts: one user per 50 accounts (managed by
    the first), every tenth account a division of the one before, 40 products, three
    contacts and four deals per account (half won, a quarter lost, a quarter open), two or
    three line items per deal and three stage-history rows per deal."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    users = max(2, accounts // 50)
    counts["User"] = write(
        folder,
        "User",
        ["Id", "Username", "Email", "FirstName", "LastName", "ManagerId", "IsActive"],
        (
            [
                sf_id("005", u),
                f"user{u}@corp.example",
                f"user{u}@corp.example",
                f"First{u}",
                f"Last{u}",
                "" if u == 0 else sf_id("005", 0),
                "true",
            ]
            for u in range(users)
        ),
    )
    counts["Account"] = write(
        folder,
        "Account",
        [
            "Id",
            "IsDeleted",
            "Name",
            "ParentId",
            "Industry",
            "BillingCountry",
            "NumberOfEmployees",
            "AnnualRevenue",
            "OwnerId",
            "Website",
        ],
        (
            [
                sf_id("001", a),
                "false",
                f"Account {a}",
                sf_id("001", a - 1) if a % 10 == 9 else "",
                rng.choice(INDUSTRIES),
                rng.choice(COUNTRIES),
                str(rng.randint(10, 50000)),
                str(rng.randint(1, 5000) * 100000),
                sf_id("005", a % users),
                f"account{a}.example",
            ]
            for a in range(accounts)
        ),
    )
    products = 40
    counts["Product2"] = write(
        folder,
        "Product2",
        ["Id", "Name", "Family", "IsActive"],
        ([sf_id("01t", p), f"Product {p}", FAMILIES[p % 4], "true"] for p in range(products)),
    )
    counts["Contact"] = write(
        folder,
        "Contact",
        [
            "Id",
            "IsDeleted",
            "AccountId",
            "FirstName",
            "LastName",
            "Title",
            "Department",
            "Email",
            "Phone",
            "ReportsToId",
        ],
        (
            [
                sf_id("003", a * 3 + c),
                "false",
                sf_id("001", a),
                f"Given{c}",
                f"Family{a}",
                ["CEO", "CFO", "Buyer"][c],
                ["Management", "Finance", "Purchasing"][c],
                f"c{a}.{c}@account{a}.example",
                "",
                "" if c == 0 else sf_id("003", a * 3),
            ]
            for a in range(accounts)
            for c in range(3)
        ),
    )
    start = datetime.date(2023, 1, 1)
    deals = []
    for a in range(accounts):
        for d in range(4):
            number = a * 4 + d
            roll = rng.random()
            status = "won" if roll < 0.5 else ("lost" if roll < 0.75 else "open")
            close = start + datetime.timedelta(days=rng.randint(0, 1000))
            deals.append((number, a, status, close))
    counts["Opportunity"] = write(
        folder,
        "Opportunity",
        [
            "Id",
            "IsDeleted",
            "Name",
            "AccountId",
            "StageName",
            "Amount",
            "Probability",
            "CreatedDate",
            "CloseDate",
            "OwnerId",
            "IsClosed",
            "IsWon",
        ],
        (
            [
                sf_id("006", n),
                "false",
                f"Deal {n}",
                sf_id("001", a),
                {"won": "Closed Won", "lost": "Closed Lost"}.get(s, OPEN_STAGES[n % 4]),
                "",  # the line items' total
                {"won": "100", "lost": "0"}.get(s, "40"),
                f"{close - datetime.timedelta(days=90)}T09:00:00.000Z",
                str(close),
                sf_id("005", a % users),
                "true" if s != "open" else "false",
                "true" if s == "won" else "false",
            ]
            for n, a, s, close in deals
        ),
    )
    counts["OpportunityLineItem"] = write(
        folder,
        "OpportunityLineItem",
        [
            "Id",
            "IsDeleted",
            "OpportunityId",
            "Product2Id",
            "ServiceDate",
            "TotalPrice",
            "Quantity",
        ],
        (
            [
                sf_id("00k", n * 3 + i),
                "false",
                sf_id("006", n),
                sf_id("01t", (n * 7 + i * 13) % products),
                str(close - datetime.timedelta(days=i * 30)),
                f"{rng.randint(100, 90000)}.{rng.randint(0, 99):02d}",
                str(rng.randint(1, 20)),
            ]
            for n, _a, _s, close in deals
            for i in range(2 + n % 2)
        ),
    )
    counts["OpportunityHistory"] = write(
        folder,
        "OpportunityHistory",
        ["Id", "OpportunityId", "StageName", "CreatedDate", "Probability", "CreatedById"],
        (
            [
                sf_id("008", n * 3 + h),
                sf_id("006", n),
                ["Prospecting", "Proposal", "Negotiation"][h],
                f"{close - datetime.timedelta(days=90 - h * 30)}T10:00:00.000Z",
                ["10", "40", "70"][h],
                sf_id("005", 0),
            ]
            for n, _a, _s, close in deals
            for h in range(3)
        ),
    )
    return counts


def keyplan(src: Path, data: Path, *args) -> tuple[float, float, str]:
    """(wall s, CPU s, stdout) of one ``keyplan`` command run with the code in ``src``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "KEYPLAN_DEBUG": "1",
        "KEYPLAN_DATA_DIR": str(data),
    }
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S", sys.executable, "-m", "keyplan", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"keyplan {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    user, system = result.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), result.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--workdir", default=None)
    parser.add_argument(
        "--src", action="append", help="keyplan's src folder to run (repeatable); default: this"
    )
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="keyplan-sf-bench-"))
    folder = work / "export"
    if not (folder / "Account.csv").exists():
        started = time.perf_counter()
        counts = make_folder(folder, args.accounts)
        rows = ", ".join(f"{name} {n:,}" for name, n in counts.items())
        print(f"export folder: {rows} ({time.perf_counter() - started:.1f} s)")
    sources = [Path(s) for s in (args.src or [HERE.parent / "src"])]
    for number, src in enumerate(sources):
        data = work / f"data-{number}"
        data.mkdir(exist_ok=True)
        (data / "keyplan.sqlite3").unlink(missing_ok=True)
        keyplan(src, data, "migrate", "-v0")
        for what in ("first load", "again (unchanged)"):
            with WriteProbe({"KEYPLAN_DATA_DIR": str(data)}) as probe:
                wall, cpu, out = keyplan(src, data, "import", "salesforce", folder, "--json")
            report = json.loads(out)
            held = report.get("write_lock_seconds")
            print(
                f"{src}: {what}: ok={report['ok']} created {report['created']:,}, "
                f"unchanged {report['unchanged']:,}; {wall:.1f} s wall, {cpu:.1f} s CPU; "
                f"folder's write lock (reported): {held if held is not None else '—'} s; "
                f"longest one-row write meanwhile: {probe.longest:.2f} s "
                f"({probe.writes:,} writes)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

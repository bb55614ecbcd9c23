"""The floor for a sales import: what the database engine's plain Python driver does with
the same rows and nothing else.

    .venv/bin/python benchmarks/floor_import.py SALES_CSV [--keyplan-db URL] [--bare]

Reads the sales CSV with the ``csv`` module, turns each line into the row keyplan stores
(account and product ids looked up in dicts, the opportunity's when given, the amount and
quantity as text), and inserts them — in one transaction, into a table with the same
schema as keyplan's sale lines (its CREATE TABLE and indexes; ``--bare``: no indexes) —
with the plain ``sqlite3`` module's ``executemany`` on SQLite, or ``COPY`` through
psycopg on PostgreSQL. No Django, no checks, no roll-up, no other writers. Prints wall and
CPU seconds, from opening the CSV to the commit.

``--keyplan-db`` (default: ``DATABASE_URL``, else the SQLite file under
``KEYPLAN_DATA_DIR``) is the keyplan database the sales would go into: the schema and the
external id → id maps are read from it. The floor's table goes into a scratch SQLite file
next to it, or a scratch schema on PostgreSQL, dropped afterwards.
"""

import argparse
import csv
import os
import resource
import sqlite3
import sys
import time
from pathlib import Path

COLUMNS = (
    "account_id",
    "product_id",
    "date",
    "amount",
    "quantity",
    "external_id",
    "opportunity_id",
)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def read_rows(path: Path, accounts: dict, products: dict, opportunities: dict):
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        at = {name: header.index(name) for name in header}
        a, p, d, m = at["account"], at["product"], at["date"], at["amount"]
        q, e = at.get("quantity"), at.get("external_id")
        o = at.get("opportunity")
        for r in reader:
            yield (
                accounts[r[a]],
                products[r[p]],
                r[d],
                r[m],
                r[q] if q is not None and r[q] else "1",
                (r[e] or None) if e is not None else None,
                opportunities.get(r[o]) if o is not None and r[o] else None,
            )


def sqlite_floor(csv_path: Path, keyplan_db: Path, bare: bool) -> tuple[float, float, int]:
    source = sqlite3.connect(keyplan_db)
    accounts = dict(source.execute("SELECT external_id, id FROM accounts_account"))
    products = dict(source.execute("SELECT external_id, id FROM catalog_product"))
    opportunities = dict(source.execute("SELECT external_id, id FROM sales_opportunity"))
    schema = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'sales_saleline' AND sql IS NOT "
            "NULL ORDER BY type DESC"  # the table first, then its indexes
        )
    ]
    source.close()
    scratch = keyplan_db.with_name("floor.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(scratch, isolation_level=None)
    # As keyplan opens its database.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-64000")
    for sql in schema[:1] if bare else schema:
        db.execute(sql)
    marks = ", ".join("?" * len(COLUMNS))
    wall, used = time.perf_counter(), cpu()
    db.execute("BEGIN IMMEDIATE")
    cursor = db.executemany(
        f"INSERT INTO sales_saleline ({', '.join(COLUMNS)}) VALUES ({marks})",
        read_rows(csv_path, accounts, products, opportunities),
    )
    rows = cursor.rowcount
    db.execute("COMMIT")
    wall, used = time.perf_counter() - wall, cpu() - used
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    return wall, used, rows


def postgres_floor(csv_path: Path, url: str, bare: bool) -> tuple[float, float, int]:
    import psycopg

    db = psycopg.connect(url)
    accounts = dict(db.execute("SELECT external_id, id FROM accounts_account").fetchall())
    products = dict(db.execute("SELECT external_id, id FROM catalog_product").fetchall())
    opportunities = dict(db.execute("SELECT external_id, id FROM sales_opportunity").fetchall())
    db.execute("DROP SCHEMA IF EXISTS keyplan_floor CASCADE")
    db.execute("CREATE SCHEMA keyplan_floor")
    # The same columns, defaults, constraints and indexes (foreign keys are not copied).
    like = "INCLUDING DEFAULTS INCLUDING IDENTITY" if bare else "INCLUDING ALL"
    db.execute(f"CREATE TABLE keyplan_floor.sales_saleline (LIKE public.sales_saleline {like})")
    db.commit()
    rows = 0
    wall, used = time.perf_counter(), cpu()
    with (
        db.cursor() as cursor,
        cursor.copy(f"COPY keyplan_floor.sales_saleline ({', '.join(COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in read_rows(csv_path, accounts, products, opportunities):
            copy.write_row(row)
            rows += 1
    db.commit()
    wall, used = time.perf_counter() - wall, cpu() - used
    db.execute("DROP SCHEMA keyplan_floor CASCADE")
    db.commit()
    db.close()
    return wall, used, rows


def floor(csv_path: Path, keyplan_db: str, *, bare: bool = False) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, rows)."""
    if keyplan_db.startswith("postgres"):
        return postgres_floor(csv_path, keyplan_db, bare)
    return sqlite_floor(csv_path, Path(keyplan_db.removeprefix("sqlite:///")), bare)


def default_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    data = Path(os.environ.get("KEYPLAN_DATA_DIR", "data"))
    return str(data / "keyplan.sqlite3")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--keyplan-db", default=None)
    parser.add_argument("--bare", action="store_true", help="a table without indexes")
    args = parser.parse_args()
    wall, used, rows = floor(args.csv, args.keyplan_db or default_database(), bare=args.bare)
    what = "bare table" if args.bare else "same schema"
    print(
        f"floor ({what}): {rows:,} rows in {wall:.1f} s wall, {used:.1f} s CPU = "
        f"{rows / wall:,.0f} rows/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`keyplan analyze all` against pandas and DuckDB on the same data.

    KEYPLAN_DEBUG=1 KEYPLAN_DATA_DIR=... .venv/bin/python benchmarks/bench_analyze.py

Times `keyplan analyze all` end to end (its own process, peak memory measured), then
loads the same facts into memory — the sales roll-up rows in the default window, the
accounts, the open opportunities — and computes the heaviest figures of the run the way
an analyst would in pandas, and in DuckDB (the floor): revenue per account and the
Pareto core set; white space by product (propensity within industry × size band, median
annual spend of owners in the band, expected value of every empty cell); share of wallet
(top-quartile revenue per employee per peer group). Loading is timed apart from
computing. Needs `pip install duckdb pandas` (not project dependencies).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
KEYPLAN = Path(sys.executable).parent / "keyplan"


def timed(label, fn):
    started = time.perf_counter()
    result = fn()
    print(f"{label:48} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> int:
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M %e", str(KEYPLAN), "analyze", "all"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(result.stderr)
    peak_kb, seconds = result.stderr.strip().splitlines()[-1].split()
    print(f"{'keyplan analyze all':48} {float(seconds):7.2f} s   peak {int(peak_kb) / 1024:.0f} MB")

    import django

    django.setup()
    import duckdb
    import pandas as pd

    from keyplan.accounts.models import Account
    from keyplan.catalog.models import Product
    from keyplan.sales.models import Opportunity, SalesMonth
    from keyplan.territory.analysis.params import Window

    window = Window.default()

    def load():
        rollup = pd.DataFrame.from_records(
            SalesMonth.objects.filter(month__gte=window.start, month__lte=window.end)
            .values_list("account_id", "product_id", "amount")
            .iterator(50000),
            columns=["account_id", "product_id", "amount"],
        )
        rollup["amount"] = rollup["amount"].astype(float)
        accounts = pd.DataFrame.from_records(
            Account.objects.values_list("id", "industry", "employees").iterator(50000),
            columns=["account_id", "industry", "employees"],
        )
        products = pd.DataFrame.from_records(
            Product.objects.filter(is_active=True).values_list("id"), columns=["product_id"]
        )
        opps = pd.DataFrame.from_records(
            Opportunity.objects.filter(status="open").values_list("account_id", "product_id"),
            columns=["account_id", "product_id"],
        )
        return rollup, accounts, products, opps

    rollup, accounts, products, opps = timed("load into memory (pandas frames)", load)
    print(
        f"  {len(rollup):,} roll-up rows, {len(accounts):,} accounts, "
        f"{len(products)} products, {len(opps):,} open opportunities"
    )
    bins = [0, 100, 1000, 10000, float("inf")]
    accounts["band"] = pd.cut(
        accounts["employees"].fillna(-1),
        [-2, *bins],
        labels=["unknown", "1-99", "100-999", "1000-9999", "10000+"],
        right=False,
    ).astype(str)

    def with_pandas():
        revenue = rollup.groupby("account_id")["amount"].sum()
        revenue = revenue.reindex(accounts["account_id"], fill_value=0.0).sort_values(
            ascending=False
        )
        cumulative = revenue.cumsum() / revenue.sum()
        core = int((cumulative.shift(fill_value=0) < 0.8).sum())
        owned = rollup.groupby(["account_id", "product_id"], as_index=False)["amount"].sum()
        owned = owned[owned["amount"] > 0].merge(accounts, on="account_id")
        group = accounts.groupby(["industry", "band"]).size().rename("n").reset_index()
        owners = owned.groupby(["industry", "band", "product_id"]).size().rename("owners")
        typical = owned.groupby(["band", "product_id"])["amount"].median().rename("typical")
        cells = accounts.merge(products, how="cross")
        cells = (
            cells.merge(group, on=["industry", "band"])
            .merge(owners.reset_index(), on=["industry", "band", "product_id"], how="left")
            .merge(typical.reset_index(), on=["band", "product_id"], how="left")
        )
        cells["value"] = cells["owners"].fillna(0) / cells["n"] * cells["typical"].fillna(0)
        taken = pd.concat([owned[["account_id", "product_id"]], opps]).drop_duplicates()
        taken["taken"] = True
        cells = cells.merge(taken, on=["account_id", "product_id"], how="left")
        white = cells[cells["taken"].isna()]["value"].sum()
        per_employee = revenue.rename("revenue").reset_index().merge(accounts, on="account_id")
        per_employee = per_employee[(per_employee["revenue"] > 0) & per_employee["employees"]]
        per_employee["rpe"] = per_employee["revenue"] / per_employee["employees"]
        q = per_employee.groupby(["industry", "band"])["rpe"].quantile(0.75)
        return core, white, len(q)

    def with_duckdb():
        con = duckdb.connect()
        con.register("rollup", rollup)
        con.register("accounts", accounts)
        con.register("products", products)
        con.register("opps", opps)
        core = con.execute("""
            with r as (select a.account_id, coalesce(sum(s.amount), 0) revenue
                       from accounts a left join rollup s using (account_id) group by 1),
            c as (select revenue, sum(revenue) over (order by revenue desc rows unbounded
                  preceding) / sum(revenue) over () cum from r)
            select count(*) from c where cum - revenue / (select sum(revenue) from r) < 0.8
        """).fetchone()[0]
        white = con.execute("""
            with owned as (select account_id, product_id, sum(amount) amount from rollup
                           group by 1, 2 having sum(amount) > 0),
            o as (select owned.*, industry, band from owned join accounts using (account_id)),
            g as (select industry, band, count(*) n from accounts group by 1, 2),
            ow as (select industry, band, product_id, count(*) owners from o group by 1, 2, 3),
            ty as (select band, product_id, median(amount) typical from o group by 1, 2),
            taken as (select account_id, product_id from owned union
                      select account_id, product_id from opps)
            select sum(coalesce(ow.owners, 0) / g.n * coalesce(ty.typical, 0))
            from accounts a cross join products p
            join g using (industry, band)
            left join ow on ow.industry = a.industry and ow.band = a.band
                        and ow.product_id = p.product_id
            left join ty on ty.band = a.band and ty.product_id = p.product_id
            left join taken t on t.account_id = a.account_id and t.product_id = p.product_id
            where t.account_id is null
        """).fetchone()[0]
        q = con.execute("""
            with r as (select account_id, sum(amount) revenue from rollup group by 1)
            select industry, band, quantile_cont(revenue / employees, 0.75)
            from r join accounts using (account_id) where employees > 0 group by 1, 2
        """).fetchall()
        return core, white, len(q)

    p = timed("pandas: Pareto + white space + wallet", with_pandas)
    d = timed("DuckDB: Pareto + white space + wallet", with_duckdb)
    print(
        f"  core set {p[0]:,} / {d[0]:,}; white space {p[1]:,.0f} / {d[1]:,.0f}; "
        f"peer groups {p[2]} / {d[2]} (pandas / DuckDB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

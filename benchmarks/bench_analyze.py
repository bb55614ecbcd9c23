"""`keyplan analyze all` against pandas and DuckDB on the same data.

    KEYPLAN_DEBUG=1 KEYPLAN_DATA_DIR=... .venv/bin/python benchmarks/bench_analyze.py [--repeat 3]

Times `keyplan analyze all` end to end — as it runs by default (the analyses in worker
processes, one per CPU) and with ``--jobs 1`` (one after another in one process) — with
peak memory summed over the process and its workers (PSS, sampled every 50 ms), then
loads the same facts into pandas frames — the sales roll-up rows in the default window,
the accounts, products and their lines, the open opportunities, the potential estimates,
the stakeholder roles, the active contacts, the interaction–contact pairs with their
dates, and the current ICP version — and computes the figures of the run the way an
analyst would in pandas (vectorised, ``str.contains``), and in DuckDB (SQL, the floor).
The timings come in rounds (``--repeat``, default 3) — keyplan, keyplan with one process,
pandas, DuckDB, one after another — and the medians and the median ratio are printed: a
shared machine's speed drifts over minutes, and a round compares like with like.

* Pareto: revenue per account and the core set that makes 80% of revenue;
* tiers: every account's ICP score from the current version's weighted criteria
  (industry / country / region in a set, employees or company revenue between bounds,
  owns a product line in the window, has an open opportunity) and the A/B/C counts, by
  thresholds or by quantiles as the version says;
* white space by product: owned / in pipeline / white-space cells, and the expected value
  of every white-space cell — propensity within industry × size band (over all accounts
  when the group has fewer than 5), times the median annual spend of owners in the band
  (of all owners when none there), rounded to the cent;
* audience: per product line, the account × stakeholder-role slots known (an active
  contact matches the role: title contains a keyword, or function — and seniority, if
  the role has one — equal) and engaged (such a contact met in the last 180 days);
  coverage and engagement per line and over core / other lines;
* wallet: potential per account (the latest estimate, else the top-quartile revenue per
  employee of its industry × size band, falling back to the band, then all accounts, when
  fewer than 5 peers buy; times employees, at least the revenue) and the overall share
  of wallet; and the number of industry × band peer groups.

Loading is timed apart from computing. Afterwards (untimed) keyplan's own functions
compute the reference figures in-process, and agreement lines compare core set, tier
counts, white-space cells and value, coverage and engagement per line, share of wallet
and the accounts with a potential across pandas, DuckDB and keyplan (counts exactly,
shares to 4 decimals, the white-space value to within 1: cell values are rounded to the
cent in floating point). Needs `pip install duckdb pandas` (not project dependencies).
"""

import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
KEYPLAN = Path(sys.executable).parent / "keyplan"
MIN_PEERS = 5  # wallet: fewer buying peers than this → fall back to a wider group
DAYS = 180  # audience: engaged = an interaction in the last DAYS days


def timed(label, fn):
    started = time.perf_counter()
    result = fn()
    print(f"{label:52} {time.perf_counter() - started:7.2f} s")
    return result


def tree_pss_kb(root: int) -> int:
    """Proportional set size of a process and all its descendants, in KB: what the
    processes together hold in memory (pages shared after fork counted once)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                todo += [int(child) for child in f.read().split()]
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total


def run_keyplan(*args) -> float:
    """Seconds of one run of ``keyplan *args`` in its own process."""
    started = time.perf_counter()
    subprocess.run([str(KEYPLAN), *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def peak_memory_kb(*args) -> int:
    """Peak memory summed over the process and its workers (sampling every 50 ms costs
    CPU, so this run is not timed)."""
    process = subprocess.Popen([str(KEYPLAN), *args], stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss_kb(process.pid))
        time.sleep(0.05)
    return peak


KEYPLAN_RUNS = (
    ("keyplan analyze all", ["analyze", "all"]),
    ("keyplan analyze all --jobs 1 (one process)", ["analyze", "all", "--jobs", "1"]),
)


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="rounds; each round times keyplan, pandas and DuckDB one after another, so a "
        "machine that slows down or speeds up during the run affects all three alike",
    )
    repeat = parser.parse_args().repeat
    for label, args in KEYPLAN_RUNS:
        print(f"{label:52} peak {peak_memory_kb(*args) / 1024:.0f} MB (all processes)")

    import django

    django.setup()
    import duckdb
    import numpy as np
    import pandas as pd

    from keyplan.accounts.models import Account, Contact, Interaction
    from keyplan.catalog.models import Product
    from keyplan.sales.models import Opportunity, SalesMonth
    from keyplan.territory.analysis.params import Window
    from keyplan.territory.analysis.tiers import current_version
    from keyplan.territory.models import PotentialEstimate, StakeholderRole

    window = Window.default()
    months = (window.end.year - window.start.year) * 12 + window.end.month - window.start.month
    annualise = 12 / max(1, months + 1)
    as_of = datetime.date.today()
    since = as_of - datetime.timedelta(days=DAYS)

    def load():
        rollup = pd.DataFrame.from_records(
            SalesMonth.objects.filter(month__gte=window.start, month__lte=window.end)
            .values_list("account_id", "product_id", "amount")
            .iterator(50000),
            columns=["account_id", "product_id", "amount"],
        )
        rollup["amount"] = rollup["amount"].astype(float)
        accounts = pd.DataFrame.from_records(
            Account.objects.values_list(
                "id", "name", "industry", "country", "region", "employees", "annual_revenue"
            ).iterator(50000),
            columns=[
                "account_id",
                "name",
                "industry",
                "country",
                "region",
                "employees",
                "annual_revenue",
            ],
        )
        accounts["employees"] = accounts["employees"].astype(float)
        accounts["annual_revenue"] = accounts["annual_revenue"].astype(float)
        products = pd.DataFrame.from_records(
            Product.objects.filter(is_active=True).values_list("id"), columns=["product_id"]
        )
        lines = pd.DataFrame.from_records(  # every product, active or not, and its line
            Product.objects.values_list("id", "product_line__name"), columns=["product_id", "line"]
        )
        opps = pd.DataFrame.from_records(
            Opportunity.objects.filter(status="open").values_list("account_id", "product_id"),
            columns=["account_id", "product_id"],
        )
        estimates = pd.DataFrame.from_records(
            PotentialEstimate.objects.values_list(
                "id", "account_id", "annual_amount", "entered_at"
            ),
            columns=["estimate_id", "account_id", "amount", "entered_at"],
        )
        estimates["amount"] = estimates["amount"].astype(float)
        estimates["entered_at"] = pd.to_datetime(estimates["entered_at"], utc=True)
        roles = pd.DataFrame.from_records(
            StakeholderRole.objects.values_list(
                "id",
                "product_line__name",
                "product_line__is_core",
                "title_keywords",
                "function",
                "seniority",
            ),
            columns=["role_id", "line", "is_core", "keywords", "function", "seniority"],
        )
        contacts = pd.DataFrame.from_records(
            Contact.objects.filter(is_active=True)
            .order_by()
            .values_list("id", "account_id", "title", "function", "seniority")
            .iterator(50000),
            columns=["contact_id", "account_id", "title", "function", "seniority"],
        )
        touches = pd.DataFrame.from_records(
            Interaction.contacts.through.objects.values_list("contact_id", "interaction__date")
            .order_by()
            .iterator(50000),
            columns=["contact_id", "date"],
        )
        touches["date"] = pd.to_datetime(touches["date"])
        return {
            "rollup": rollup,
            "accounts": accounts,
            "products": products,
            "lines": lines,
            "opps": opps,
            "estimates": estimates,
            "roles": roles,
            "contacts": contacts,
            "touches": touches,
            "icp": current_version(),
        }

    frames = timed("load into memory (pandas frames)", load)
    rollup, accounts, products, lines, opps, estimates, roles, contacts, touches, icp = (
        frames.values()
    )
    print(
        f"  {len(rollup):,} roll-up rows, {len(accounts):,} accounts, "
        f"{len(products)} products, {len(opps):,} open opportunities, "
        f"{len(estimates):,} estimates, {len(roles)} roles, {len(contacts):,} active "
        f"contacts, {len(touches):,} interaction–contact pairs"
    )
    bins = [0, 100, 1000, 10000, float("inf")]
    accounts["band"] = pd.cut(
        accounts["employees"].fillna(-1),
        [-2, *bins],
        labels=["unknown", "1-99", "100-999", "1000-9999", "10000+"],
        right=False,
    ).astype(str)
    criteria = icp.criteria if icp else []
    total_weight = sum(c["weight"] for c in criteria)

    def with_pandas():
        out = {}
        # Pareto.
        revenue = rollup.groupby("account_id")["amount"].sum()
        revenue = revenue.reindex(accounts["account_id"], fill_value=0.0).sort_values(
            ascending=False
        )
        cumulative = revenue.cumsum() / revenue.sum()
        out["core"] = int((cumulative.shift(fill_value=0) < 0.8).sum())

        # Tiers: points per criterion met, score 0–100 (rounded half to even, as Python).
        points = pd.Series(0, index=accounts.index)
        for c in criteria:
            kind, values = c["kind"], c.get("values") or []
            if kind in ("industry_in", "country_in", "region_in"):
                met = accounts[kind.removesuffix("_in")].isin(values)
            elif kind in ("employees_between", "revenue_between"):
                column = accounts["employees" if kind == "employees_between" else "annual_revenue"]
                low, high = values
                met = pd.Series(True, index=accounts.index)
                if low is not None:
                    met &= column >= low
                if high is not None:
                    met &= column <= high
            elif kind == "owns_line":
                net = (
                    rollup.merge(lines[lines["line"].isin(values)], on="product_id")
                    .groupby(["account_id", "product_id"])["amount"]
                    .sum()
                    .round(2)
                )
                met = accounts["account_id"].isin(net[net > 0].index.get_level_values(0))
            else:  # open opportunity
                met = accounts["account_id"].isin(opps["account_id"])
            points += met.astype(int) * c["weight"]
        score = (100 * points / total_weight).round() if total_weight else points * 0
        if icp and icp.method == "quantiles":
            ranked = accounts.assign(score=score, key=accounts["name"].str.casefold())
            ranked = ranked.sort_values(
                ["score", "key", "account_id"], ascending=[False, True, True]
            )
            position = pd.Series(np.arange(len(ranked)), index=ranked.index)
            a_count = round(len(ranked) * icp.a_share / 100)
            b_count = round(len(ranked) * icp.b_share / 100)
            tier = np.select([position < a_count, position < a_count + b_count], ["A", "B"], "C")
        elif icp:
            tier = np.select([score >= icp.a_threshold, score >= icp.b_threshold], ["A", "B"], "C")
        else:
            tier = np.full(len(accounts), "C")
        out["tiers"] = {t: int((tier == t).sum()) for t in "ABC"}

        # White space by product: propensity among peers (all accounts when the group has
        # fewer than MIN_PEERS), times the median annual spend of owners in the band (all
        # owners when none there); a cell's value is rounded to the cent.
        owned = rollup.groupby(["account_id", "product_id"], as_index=False)["amount"].sum()
        owned = owned[
            owned["product_id"].isin(products["product_id"]) & (owned["amount"].round(2) > 0)
        ]
        owned = owned.merge(accounts[["account_id", "industry", "band"]], on="account_id")
        owned["annual"] = owned["amount"] * annualise
        values = (
            accounts.groupby(["industry", "band"])
            .size()
            .rename("n")
            .reset_index()
            .merge(products, how="cross")
            .merge(
                owned.groupby(["industry", "band", "product_id"]).size().rename("owners"),
                on=["industry", "band", "product_id"],
                how="left",
            )
            .merge(
                owned.groupby("product_id").agg(
                    anywhere=("account_id", "size"), typical_all=("annual", "median")
                ),
                on="product_id",
                how="left",
            )
            .merge(
                owned.groupby(["band", "product_id"])["annual"].median().rename("typical"),
                on=["band", "product_id"],
                how="left",
            )
        )
        propensity = (values["owners"].fillna(0) / values["n"]).where(
            values["n"] >= MIN_PEERS, values["anywhere"].fillna(0) / len(accounts)
        )
        typical = values["typical"].fillna(values["typical_all"]).fillna(0)
        values["value"] = (propensity * typical).round(2)
        pipeline = opps.drop_duplicates().assign(state="pipeline")
        taken = pd.concat([owned[["account_id", "product_id"]].assign(state="owned"), pipeline])
        taken = taken.drop_duplicates(["account_id", "product_id"])  # owned first
        cells = (
            accounts[["account_id", "industry", "band"]]
            .merge(products, how="cross")
            .merge(values, on=["industry", "band", "product_id"])
            .merge(taken, on=["account_id", "product_id"], how="left")
            .fillna({"state": "white_space"})
        )
        out["white"] = cells.loc[cells["state"] == "white_space", "value"].sum()
        out["cells"] = cells["state"].value_counts().to_dict()

        # Audience: match each distinct (title, function, seniority) to the roles once.
        profile = ["title", "function", "seniority"]
        profiles = contacts[profile].drop_duplicates()
        title = profiles["title"].fillna("").str.casefold()
        function = profiles["function"].fillna("").str.casefold()
        matched = []
        for role in roles.itertuples():
            keys = [k.strip().casefold() for k in role.keywords.split(",") if k.strip()]
            hit = pd.Series(False, index=profiles.index)
            if keys:
                hit |= title.str.contains("|".join(map(re.escape, keys)), regex=True)
            if role.function:
                same = function == role.function.casefold()
                if role.seniority:
                    same &= profiles["seniority"] == role.seniority
                hit |= same
            matched.append(profiles[hit].assign(role_id=role.role_id))
        matched = pd.concat([profiles.head(0).assign(role_id=0), *matched])
        matched = matched.merge(contacts, on=profile)
        recent = touches[
            (touches["date"] > pd.Timestamp(since)) & (touches["date"] <= pd.Timestamp(as_of))
        ]
        matched["engaged"] = matched["contact_id"].isin(recent["contact_id"])
        slots = matched.groupby(["account_id", "role_id"])["engaged"].any().reset_index()
        slots = slots.merge(roles[["role_id", "line"]], on="role_id")
        per_line = roles.groupby("line").agg(roles=("role_id", "size"), core=("is_core", "first"))
        per_line["roles"] *= len(accounts)
        per_line["known"] = slots.groupby("line").size()
        per_line["engaged"] = slots.groupby("line")["engaged"].sum()
        per_line = per_line.fillna({"known": 0, "engaged": 0})
        out["audience"] = _audience_totals(per_line.reset_index().to_dict("records"))

        # Wallet: potential per account and the overall share of wallet.
        wallet = accounts.merge(
            rollup.groupby("account_id")["amount"].sum().mul(annualise).rename("raw"),
            left_on="account_id",
            right_index=True,
            how="left",
        ).fillna({"raw": 0.0})
        wallet["revenue"] = wallet["raw"].round(2)
        peers = wallet[(wallet["raw"] > 0) & (wallet["employees"] > 0)]
        peers = peers.assign(rpe=peers["raw"] / peers["employees"])

        def top_quartile(grouped):
            stats = grouped["rpe"].agg(["size", lambda s: s.quantile(0.75)])
            return stats.iloc[:, 1].where(stats["size"] >= MIN_PEERS)

        by_group = top_quartile(peers.groupby(["industry", "band"])).rename("g").reset_index()
        by_band = top_quartile(peers.groupby("band")).rename("b").reset_index()
        overall = peers["rpe"].quantile(0.75) if len(peers) >= MIN_PEERS else np.nan
        wallet = wallet.merge(by_group, on=["industry", "band"], how="left").merge(
            by_band, on="band", how="left"
        )
        rate = wallet["g"].fillna(wallet["b"]).fillna(overall)
        wallet["potential"] = np.fmax(
            (rate * wallet["employees"]).round(2), wallet["revenue"]
        ).where(rate.notna() & (wallet["employees"] > 0))
        latest = estimates.sort_values(["entered_at", "estimate_id"]).drop_duplicates(
            "account_id", keep="last"
        )
        estimate = wallet["account_id"].map(latest.set_index("account_id")["amount"])
        wallet["potential"] = estimate.fillna(wallet["potential"])
        known = wallet[wallet["potential"].fillna(0) != 0]
        out["wallet"] = {
            "share": known["revenue"].sum() / known["potential"].sum() if len(known) else 0.0,
            "with_potential": len(known),
        }
        out["peer_groups"] = peers.groupby(["industry", "band"]).ngroups
        return out

    def with_duckdb():
        out = {}
        con = duckdb.connect()
        for name, frame in frames.items():
            if name != "icp":
                con.register(name, frame)
        out["core"] = con.execute("""
            with r as (select a.account_id, coalesce(sum(s.amount), 0) revenue
                       from accounts a left join rollup s using (account_id) group by 1),
            c as (select revenue, sum(revenue) over (order by revenue desc rows unbounded
                  preceding) / sum(revenue) over () cum from r)
            select count(*) from c where cum - revenue / (select sum(revenue) from r) < 0.8
        """).fetchone()[0]

        # Tiers: one boolean expression per criterion, its values as parameters.
        terms, params = [], []
        for c in criteria:
            kind, values = c["kind"], c.get("values") or []
            if kind in ("industry_in", "country_in", "region_in"):
                expr = f"list_contains(?::varchar[], a.{kind.removesuffix('_in')})"
                params.append(list(values))
            elif kind in ("employees_between", "revenue_between"):
                column = "a.employees" if kind == "employees_between" else "a.annual_revenue"
                low, high = values
                parts = ["true"]
                for bound, op in ((low, ">="), (high, "<=")):
                    if bound is not None:
                        parts.append(f"{column} {op} ?")
                        params.append(bound)
                expr = " and ".join(parts)
            elif kind == "owns_line":
                expr = """a.account_id in (
                    select account_id from rollup join lines using (product_id)
                    where list_contains(?::varchar[], line)
                    group by account_id, product_id having round(sum(amount), 2) > 0)"""
                params.append(list(values))
            else:
                expr = "a.account_id in (select account_id from opps)"
            terms.append(f"case when coalesce({expr}, false) then {int(c['weight'])} else 0 end")
        points = " + ".join(terms) or "0"
        score = f"round_even(100 * ({points}) / {total_weight}, 0)" if total_weight else "0"
        if icp and icp.method == "quantiles":
            a_count = f"round_even(count(*) over () * {icp.a_share} / 100, 0)"
            b_count = f"round_even(count(*) over () * {icp.b_share} / 100, 0)"
            tier = f"""case when row_number() over w <= {a_count} then 'A'
                when row_number() over w <= {a_count} + {b_count} then 'B' else 'C' end"""
        elif icp:
            tier = f"""case when score >= {icp.a_threshold} then 'A'
                when score >= {icp.b_threshold} then 'B' else 'C' end"""
        else:
            tier = "'C'"
        rows = con.execute(
            f"""
            with s as (select a.account_id, a.name, {score} score from accounts a),
            t as (select {tier} tier from s
                  window w as (order by score desc, lower(name), account_id))
            select tier, count(*) from t group by 1
            """,
            params,
        ).fetchall()
        out["tiers"] = {t: 0 for t in "ABC"} | {t: n for t, n in rows}

        rows = con.execute(f"""
            with owned as (select account_id, product_id, sum(amount) * {annualise} annual
                           from rollup where product_id in (select product_id from products)
                           group by 1, 2 having round(sum(amount), 2) > 0),
            o as (select owned.*, industry, band from owned join accounts using (account_id)),
            g as (select industry, band, count(*) n from accounts group by 1, 2),
            ow as (select industry, band, product_id, count(*) owners from o group by 1, 2, 3),
            anywhere as (select product_id, count(*) owners, median(annual) typical
                         from o group by 1),
            ty as (select band, product_id, median(annual) typical from o group by 1, 2),
            v as (select g.industry, g.band, p.product_id, round(
                      case when g.n >= {MIN_PEERS} then coalesce(ow.owners, 0) / g.n
                           else coalesce(anywhere.owners, 0) / (select count(*) from accounts)
                      end * coalesce(ty.typical, anywhere.typical, 0), 2) as value
                  from g cross join products p
                  left join ow on ow.industry = g.industry and ow.band = g.band
                              and ow.product_id = p.product_id
                  left join anywhere on anywhere.product_id = p.product_id
                  left join ty on ty.band = g.band and ty.product_id = p.product_id),
            taken as (select account_id, product_id, min(state) state from (
                          select account_id, product_id, 'owned' state from owned
                          union all select account_id, product_id, 'pipeline' from opps)
                      group by 1, 2)
            select coalesce(t.state, 'white_space') state, count(*), sum(v.value)
            from accounts a cross join products p
            join v on v.industry = a.industry and v.band = a.band and v.product_id = p.product_id
            left join taken t on t.account_id = a.account_id and t.product_id = p.product_id
            group by 1
        """).fetchall()
        out["cells"] = {state: n for state, n, _value in rows}
        out["white"] = next((value for state, _n, value in rows if state == "white_space"), 0.0)

        rows = con.execute(
            """
            with kw as (select role_id, lower(trim(k)) keyword
                        from roles, unnest(string_split(keywords, ',')) t(k)
                        where trim(k) <> ''),
            m as (select c.account_id, c.contact_id, kw.role_id from contacts c
                  join kw on contains(lower(coalesce(c.title, '')), kw.keyword)
                  union
                  select c.account_id, c.contact_id, r.role_id from contacts c join roles r
                  on r.function <> '' and lower(coalesce(c.function, '')) = lower(r.function)
                  and (r.seniority = '' or c.seniority = r.seniority)),
            e as (select distinct contact_id from touches where date > ? and date <= ?),
            slots as (select m.account_id, m.role_id, bool_or(e.contact_id is not null) engaged
                      from m left join e using (contact_id) group by 1, 2),
            filled as (select line, count(*) known, count(*) filter (where engaged) engaged
                       from slots join roles using (role_id) group by 1)
            select l.line, l.core, l.n * (select count(*) from accounts) roles,
                   coalesce(f.known, 0) known, coalesce(f.engaged, 0) engaged
            from (select line, any_value(is_core) core, count(*) n from roles group by 1) l
            left join filled f using (line)
            """,
            [since, as_of],
        ).fetchall()
        out["audience"] = _audience_totals(
            [dict(zip(("line", "core", "roles", "known", "engaged"), r, strict=True)) for r in rows]
        )

        share, with_potential = con.execute(
            f"""
            with r as (select a.account_id, a.industry, a.band, a.employees,
                              coalesce(sum(s.amount), 0) * {annualise} raw
                       from accounts a left join rollup s using (account_id) group by all),
            peers as (select industry, band, raw / employees rpe from r
                      where raw > 0 and employees > 0),
            g as (select industry, band, quantile_cont(rpe, 0.75) q from peers
                  group by 1, 2 having count(*) >= {MIN_PEERS}),
            b as (select band, quantile_cont(rpe, 0.75) q from peers
                  group by 1 having count(*) >= {MIN_PEERS}),
            al as (select quantile_cont(rpe, 0.75) q from peers
                   having count(*) >= {MIN_PEERS}),
            est as (select account_id, amount from estimates
                    qualify row_number() over (partition by account_id
                                               order by entered_at desc, estimate_id desc) = 1),
            w as (select round(r.raw, 2) revenue,
                         coalesce(r.employees, 0) > 0 as counted,
                         coalesce(g.q, b.q, (select q from al)) rate,
                         r.employees, est.amount estimate
                  from r left join g using (industry, band) left join b using (band)
                  left join est using (account_id)),
            p as (select revenue, case
                    when estimate is not null then estimate
                    when counted and rate is not null
                        then greatest(round(rate * employees, 2), revenue)
                  end potential from w)
            select sum(revenue) / sum(potential), count(*) from p
            where potential is not null and potential <> 0
            """
        ).fetchone()
        out["wallet"] = {"share": share or 0.0, "with_potential": with_potential}
        out["peer_groups"] = len(
            con.execute("""
                with r as (select account_id, sum(amount) revenue from rollup group by 1)
                select industry, band, quantile_cont(revenue / employees, 0.75)
                from r join accounts using (account_id) where employees > 0 and revenue > 0
                group by 1, 2
            """).fetchall()
        )
        return out

    import statistics

    seconds: dict[str, list[float]] = {}
    for _round in range(repeat):
        for label, args in KEYPLAN_RUNS:
            seconds.setdefault(label, []).append(run_keyplan(*args))
        for label, compute in (("pandas", with_pandas), ("DuckDB", with_duckdb)):
            started = time.perf_counter()
            result = compute()
            seconds.setdefault(label, []).append(time.perf_counter() - started)
            if label == "pandas":
                p = result
            else:
                d = result
    print(f"\n{repeat} rounds, seconds (median; each round):")
    for label, values in seconds.items():
        shown = label if label.startswith("keyplan") else f"{label}, compute only"
        each = " ".join(f"{v:.2f}" for v in values)
        print(f"  {shown:50} {statistics.median(values):7.2f}   ({each})")
    everything = seconds[KEYPLAN_RUNS[0][0]]
    for label in ("pandas", "DuckDB"):
        ratios = [k / b for k, b in zip(everything, seconds[label], strict=True)]
        print(f"  keyplan analyze all ÷ {label:34} {statistics.median(ratios):7.2f}×")
    print(f"  wallet peer groups {p['peer_groups']} / {d['peer_groups']} (pandas / DuckDB)")

    # keyplan's own figures, in-process and untimed, for the agreement check.
    from decimal import Decimal

    from keyplan.territory.analysis.audience import audience
    from keyplan.territory.analysis.pareto import pareto
    from keyplan.territory.analysis.tiers import score_accounts
    from keyplan.territory.analysis.wallet import wallets
    from keyplan.territory.analysis.whitespace import whitespace

    k = {"core": pareto(user=None, window=window).core_count}
    white = whitespace(user=None, window=window)
    k["white"], k["cells"] = float(white.total_white_space), white.counts
    scores = score_accounts(user=None, version=current_version(), window=window)
    k["tiers"] = {t: sum(1 for s in scores if s.tier == t) for t in "ABC"}
    k["audience"] = audience(user=None, as_of=as_of).totals
    known = [w for w in wallets(user=None, window=window) if w.potential]
    potential = sum((w.potential for w in known), Decimal(0))
    k["wallet"] = {
        "share": float(sum((w.revenue for w in known), Decimal(0)) / potential)
        if potential
        else 0.0,
        "with_potential": len(known),
    }

    print("\nagreement (pandas / DuckDB / keyplan):")
    mismatches = 0

    def check(label, values, fmt="{:,}", exact=True, tolerance=5e-5):
        nonlocal mismatches
        same = len(set(values)) == 1 if exact else max(values) - min(values) < tolerance
        mismatches += not same
        shown = " / ".join(fmt.format(v) for v in values)
        print(f"  {label:40} {shown:32} {'ok' if same else 'DIFFERENT'}")

    check("core set (accounts)", [r["core"] for r in (p, d, k)])
    for t in "ABC":
        check(f"tier {t} (accounts)", [r["tiers"][t] for r in (p, d, k)])
    for state in ("owned", "pipeline", "white_space"):
        check(f"white space: {state} cells", [r["cells"].get(state, 0) for r in (p, d, k)])
    check(
        "white space: value", [r["white"] for r in (p, d, k)], "{:,.2f}", exact=False, tolerance=1
    )
    for line in k["audience"]:
        for measure in ("coverage", "engagement"):
            check(
                f"{line}: {measure}",
                [r["audience"].get(line, {}).get(measure, float("nan")) for r in (p, d, k)],
                "{:.4f}",
                exact=False,
            )
    check("share of wallet", [r["wallet"]["share"] for r in (p, d, k)], "{:.4f}", exact=False)
    check("accounts with a potential", [r["wallet"]["with_potential"] for r in (p, d, k)])
    print(f"  {'all agree' if not mismatches else f'{mismatches} figure(s) differ'}")
    return 0


def _audience_totals(per_line: list[dict]) -> dict[str, dict[str, float]]:
    """Coverage and engagement per line, then over core and over other lines, from
    (line, core, roles × accounts, known, engaged) — keyplan's ``Audience.totals``."""

    def ratios(r, k, e):
        return {"coverage": k / r if r else 0.0, "engagement": e / r if r else 0.0}

    totals = {
        row["line"]: ratios(row["roles"], row["known"], row["engaged"])
        for row in sorted(per_line, key=lambda row: row["line"])
    }
    for label, is_core in (("core lines", True), ("other lines", False)):
        rows = [row for row in per_line if bool(row["core"]) == is_core]
        totals[label] = ratios(
            *(sum(row[f] for row in rows) for f in ("roles", "known", "engaged"))
        )
    return totals


if __name__ == "__main__":
    sys.exit(main())

"""Time the sales plan's pages and roll-ups on a generated territory (issue 16).

Usage (against a database with quotas, account goals and territory plans, e.g. made by
``keyplan generate`` and ``salesplan.demo_territory``, and its forecast computed):

    KEYPLAN_DEBUG=1 DATABASE_URL=... .venv/bin/python benchmarks/bench_salesplan.py [--repeat 5]

Signs in as ``rep``, ``manager`` and ``exec`` through Django's test client (no network,
no browser), requests each page ``--repeat`` times and prints the median and worst wall
time and the number of SQL queries per page: the rep's territory plan, the plans list,
the team board, the company view by every dimension (the executive's home is the company
view by team), the quota board and the roll-ups API.

Then the time to recompute every roll-up after a quota change: one rep's quota is saved
(through the service, +1, then put back), and every manager's team board roll-up (by rep,
over their people) and the company's roll-up by every dimension are computed again —
what a stored roll-up would have to refresh. Quotas, goals, objectives and plans are read
on each request; won, forecast and pipeline per account come from the period's arrays
(``salesplan.period_arrays``, cached by sales version), which the script computes first
as the worker does after a sales change, and times.

``--profile LABEL`` runs cProfile on one page (as the user in its label) and prints the
top functions by cumulative time and the slowest SQL.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
os.environ.setdefault("KEYPLAN_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

BY = ("rep", "team", "tier", "product_line", "channel")


def pages_for(username, user, period=None):
    """(label, url) of the pages timed as ``username``; ``period`` (a fiscal year): the
    pages open on it instead of the planning year."""
    from keyplan.salesplan.periods import planning_year

    year = period or planning_year().fiscal_year
    pages = _pages(username, user, year)
    if period is None:
        return pages
    out = []
    for label, url in pages:
        sep = "&" if "?" in url else "?"
        if url.startswith(("/territory-plans/?", "/quotas/")) or url == "/territory-plans/":
            url += f"{sep}year={year}"
        elif not url.startswith("/territory-plans/"):
            url += f"{sep}period=FY{year}"
        out.append((label, url))
    return out


def _pages(username, user, year):
    from django.db.models import Case, When

    from keyplan.salesplan.models import TerritoryPlan

    pages = []
    if username == "rep":
        # The rep's plan of the year, else their latest.
        plan = (
            TerritoryPlan.objects.filter(rep=user)
            .order_by(Case(When(fiscal_year=year, then=0), default=1), "-fiscal_year")
            .first()
        )
        if plan is not None:
            pages.append(("territory plan (own)", f"/territory-plans/{plan.pk}/"))
        pages += [
            ("territory plans list", "/territory-plans/"),
            ("quotas", "/quotas/"),
            ("API rollups", "/api/v1/rollups/"),
        ]
    elif username == "manager":
        from keyplan.people.scope import scope_for

        ids = scope_for(user).user_ids - {user.pk}
        plan = (
            TerritoryPlan.objects.filter(rep_id__in=ids)
            .order_by(Case(When(fiscal_year=year, then=0), default=1), "-fiscal_year", "pk")
            .first()
        )
        if plan is not None:
            pages.append(("territory plan (a rep's)", f"/territory-plans/{plan.pk}/"))
        pages += [
            ("territory plans list", "/territory-plans/"),
            ("team board", "/team/"),
            ("home", "/"),
            ("quotas", "/quotas/"),
            ("API rollups by rep", "/api/v1/rollups/"),
            ("API rollups by team", "/api/v1/rollups/?by=team"),
        ]
    else:
        pages += [
            ("home (company by team)", "/"),
            *[(f"company ?by={b}", f"/company/?by={b}") for b in BY],
            ("team board (all reps)", "/team/"),
            ("territory plans list", "/territory-plans/"),
            ("quotas", "/quotas/"),
            *[(f"API rollups by={b}", f"/api/v1/rollups/?by={b}") for b in BY],
        ]
    return pages


def time_pages(users, repeat, period=None):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for username, user in users.items():
        client = Client()
        client.force_login(user)
        print(f"\nas {username}:")
        print(
            f"{'page':30} {'median ms':>10} {'worst ms':>10} {'cpu ms':>8} {'queries':>8}  status"
        )
        for label, url in pages_for(username, user, period):
            times, cpus, status, queries = [], [], None, 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as ctx:
                    start, cpu = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    cpus.append((time.process_time() - cpu) * 1000)
                status = response.status_code
                queries = len(ctx.captured_queries)
            print(
                f"{label:30} {statistics.median(times):10.1f} {max(times):10.1f} "
                f"{statistics.median(cpus):8.1f} {queries:8d}  {status}  first {times[0]:.0f}  "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )


def warm_arrays(year=None):
    """The roll-ups' per-account arrays of the period (``salesplan.period_arrays``, when
    the code has them): computed as the worker does after a sales change, timed."""
    try:
        from keyplan.salesplan.period_arrays import cached_arrays, compute_cached
    except ImportError:
        print("\n(no salesplan.period_arrays in this code: every page sums the sales)")
        return
    from django.utils import timezone

    from keyplan.salesplan.periods import Period, planning_year
    from keyplan.salesplan.tasks import warm_period_arrays

    today = timezone.localdate()
    period = Period(year) if year else planning_year()
    held = cached_arrays(period, today) is not None
    start, cpu = time.perf_counter(), time.process_time()
    arrays = compute_cached(period, today)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    # And what the worker computes after the forecast (this and last quarter: the home).
    start_all, cpu_all = time.perf_counter(), time.process_time()
    warmed = warm_period_arrays(today)
    print(
        f"\nthe worker's periods ({', '.join(p.name for p in warmed)}): "
        f"{time.perf_counter() - start_all:.1f} s ({time.process_time() - cpu_all:.1f} s CPU)",
        flush=True,
    )
    print(
        f"\nper-account arrays of {period.name}: "
        f"{'held in the cache' if held else 'computed'} in "
        f"{seconds:.1f} s ({cpu_seconds:.1f} s CPU), "
        f"{len(arrays.accounts):,} accounts, {len(arrays.line_account):,} (account, line) pairs, "
        f"forecast {'in' if arrays.forecast is not None else 'not computed'}; "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def recompute_all(users, year=None):
    """Change one rep's quota, then compute every manager's team board roll-up and the
    company roll-up by every dimension; the quota is put back afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keyplan.people.choices import Role
    from keyplan.people.models import User
    from keyplan.salesplan.choices import QuotaLevel
    from keyplan.salesplan.models import Quota
    from keyplan.salesplan.periods import Period, planning_year
    from keyplan.salesplan.rollups import rollup
    from keyplan.salesplan.services import quota_save

    period = Period(year) if year else planning_year()
    quotas = Quota.objects.filter(level=QuotaLevel.REP, quarter=0)
    quota = quotas.filter(fiscal_year=period.fiscal_year).order_by("pk").first()
    if quota is None:
        quota = quotas.order_by("-fiscal_year", "pk").first()
        print(f"\n(no rep quota in {period.name}: the quota changed is of FY {quota.fiscal_year})")
    managers = list(User.objects.filter(is_active=True, role=Role.MANAGER).order_by("pk"))
    exec_user = users["exec"]
    before = quota.amount
    quota_save(
        user=exec_user,
        level=QuotaLevel.REP,
        period=Period(quota.fiscal_year),
        amount=before + 1,
        rep=quota.rep,
        check_permission=False,
    )
    try:
        with CaptureQueriesContext(connection) as ctx:
            start, cpu = time.perf_counter(), time.process_time()
            slowest = (0.0, "")
            for manager in managers:
                t = time.perf_counter()
                rollup(user=manager, period=period, by="rep")
                slowest = max(slowest, (time.perf_counter() - t, manager.username))
            teams_s = time.perf_counter() - start
            company = {}
            for by in BY:
                t = time.perf_counter()
                rollup(user=exec_user, period=period, by=by)
                company[by] = time.perf_counter() - t
            total = time.perf_counter() - start
            total_cpu = time.process_time() - cpu
    finally:
        quota_save(
            user=exec_user,
            level=QuotaLevel.REP,
            period=Period(quota.fiscal_year),
            amount=before,
            rep=quota.rep,
            check_permission=False,
        )
    print(f"\nrecompute every roll-up after a quota change ({period.name}):")
    print(
        f"  {len(managers)} managers' team boards: {teams_s:.1f} s "
        f"(slowest {slowest[0] * 1000:.0f} ms, {slowest[1]})"
    )
    for by, s in company.items():
        print(f"  company by {by}: {s * 1000:.0f} ms")
    print(
        f"  total: {total:.1f} s ({total_cpu:.1f} s CPU), {len(ctx.captured_queries)} queries, "
        f"load {os.getloadavg()[0]:.1f}"
    )


def profile(users, label, period=None):
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for username, user in users.items():
        for page_label, url in pages_for(username, user, period):
            if f"{username}: {page_label}" != label:
                continue
            client = Client()
            client.force_login(user)
            client.get(url)
            prof = cProfile.Profile()
            with CaptureQueriesContext(connection) as ctx:
                prof.enable()
                client.get(url)
                prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
            slow = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:10]
            print(f"{len(ctx.captured_queries)} queries; slowest:")
            for q in slow:
                print(f"  {q['time']} s  {q['sql'][:600]}")
            return
    print(f"no page labelled {label!r}: use 'USER: PAGE' as printed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-recompute", action="store_true")
    parser.add_argument("--profile", metavar="'USER: PAGE'")
    parser.add_argument(
        "--year", type=int, help="fiscal year the pages open on (default: the planning year)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from keyplan.accounts.models import Account
    from keyplan.people.models import User
    from keyplan.salesplan.models import Quota, TerritoryPlan
    from keyplan.salesplan.rollups import forecast_result

    users = {name: User.objects.get(username=name) for name in ("rep", "manager", "exec")}
    if args.profile:
        profile(users, args.profile, args.year)
        return 0
    print(
        f"database: {connection.vendor}; accounts {Account.objects.count():,}; "
        f"active reps {User.objects.filter(is_active=True, role='rep').count():,}; "
        f"quotas {Quota.objects.count():,}; territory plans {TerritoryPlan.objects.count():,}; "
        f"forecast {'cached' if forecast_result() is not None else 'NOT computed'}"
    )
    warm_arrays(args.year)
    if not args.skip_pages:
        time_pages(users, args.repeat, args.year)
    if not args.skip_recompute:
        recompute_all(users, args.year)
    return 0


if __name__ == "__main__":
    sys.exit(main())

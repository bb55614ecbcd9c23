"""Time keyplan's pages on a generated territory.

Usage (against a database already filled by ``keyplan generate --accounts N``):

    KEYPLAN_DEBUG=1 DATABASE_URL=... .venv/bin/python benchmarks/bench_pages.py [--repeat 5]

Signs in as ``rep`` and ``exec`` through Django's test client (no network, no browser),
requests each page ``--repeat`` times and prints the median and worst wall time and the
number of SQL queries per page. Record results in benchmarks/README.md.

If the rep has no account plan yet, one is written (through the plan services) for their
account with the most sales: 12 ideas, 6 objectives with 3 strategies and 4 actions each,
so the plan pages are timed with realistic content. The first request of each page is the
cold one when the page caches are empty (``--cold`` empties them first); "worst" is
usually that one, and the first request's time is printed too.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
os.environ.setdefault("KEYPLAN_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="clear the page caches first")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from keyplan.accounts.models import Account, Contact
    from keyplan.people.models import User
    from keyplan.sales.models import SaleLine, SalesMonth

    print(
        f"database: {connection.vendor}; accounts {Account.objects.count():,}; "
        f"sale lines {SaleLine.objects.count():,}"
    )

    def pages_for(user):
        """Each user's own heaviest pages: the visible account with most roll-up rows, a
        visible top parent with children, one of their contacts."""
        visible = Account.objects.visible_to(user)
        biggest = (
            SalesMonth.objects.filter(account__in=visible)
            .values("account_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("account_id", flat=True)
            .first()
        )
        top = visible.filter(parent__isnull=True, children__isnull=False).first()
        contact = Contact.objects.visible_to(user).order_by("pk").first()
        return [
            ("home", "/"),
            ("accounts list", "/accounts/"),
            ("accounts list, page 50", "/accounts/?page=50"),
            ("accounts search", "/accounts/?q=group"),
            ("accounts sorted by owner", "/accounts/?sort=owner"),
            ("account page, most sales", f"/accounts/{biggest}/"),
            ("account page, a group", f"/accounts/{top.pk}/"),
            ("contacts list", "/contacts/"),
            ("contact page", f"/contacts/{contact.pk}/"),
            ("opportunities, open", "/opportunities/?status=open"),
            ("products", "/products/"),
            ("API accounts", "/api/v1/accounts/"),
            ("API sale lines", "/api/v1/sale-lines/"),
        ]

    plan = ensure_plan(User.objects.get(username="rep"))

    def plan_pages():
        return [
            ("plans list", "/plans/"),
            ("plan page", f"/plans/{plan.pk}/"),
            ("relationship map", f"/plans/{plan.pk}/map/"),
            ("plan versions", f"/plans/{plan.pk}/versions/?a=1&b=0"),
            ("my work", "/my-work/"),
            ("capacity", "/capacity/"),
        ]

    def territory_pages():
        return [
            ("territory (Pareto, tiers, lists)", "/territory/"),
            ("white space heatmap", "/territory/whitespace/"),
            ("white space by line", "/territory/whitespace/?by=line"),
            ("audience matrix", "/territory/audience/"),
            ("tiers", "/territory/tiers/"),
            ("strategic accounts", "/territory/strategic/"),
            ("history (two wallet runs compared)", "/territory/history/"),
        ]

    if args.cold:
        from django.core.cache import cache

        cache.clear()  # every analysis page computes on its first request
        print("page caches cleared: the first request of each page is cold")

    for username in ("rep", "exec"):
        client = Client()
        user = User.objects.get(username=username)
        client.force_login(user)
        pages = pages_for(user) + plan_pages() + territory_pages()
        print(f"\nas {username}:")
        print(f"{'page':32} {'median ms':>10} {'worst ms':>10} {'queries':>8}  status")
        for label, url in pages:
            times = []
            status = None
            queries = 0
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                status = response.status_code
                queries = len(ctx.captured_queries)
            print(
                f"{label:32} {statistics.median(times):10.1f} {max(times):10.1f} "
                f"{queries:8d}  {status}  first {times[0]:.0f}"
            )
    return 0


def ensure_plan(rep):
    """The rep's plan for their account with most sales, written once through services."""
    import datetime
    from decimal import Decimal

    from django.db.models import Sum

    from keyplan.accounts.models import Account
    from keyplan.plans import services
    from keyplan.plans.models import AccountPlan
    from keyplan.sales.models import SalesMonth

    existing = AccountPlan.objects.filter(owner=rep).order_by("pk").first()
    if existing is not None:
        return existing
    account_id = (
        SalesMonth.objects.filter(account__in=Account.objects.filter(owner=rep))
        .values("account_id")
        .annotate(s=Sum("amount"))
        .order_by("-s")
        .values_list("account_id", flat=True)
        .first()
    )
    account = Account.objects.get(pk=account_id)
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("1000000"))
    for n in range(12):
        services.element_save(
            kind="idea",
            plan=plan,
            user=rep,
            title=f"Idea {n}",
            annual_value=Decimal(50000 + 10000 * n),
            root_cause="Benchmark",
        )
    day = plan.period_start + datetime.timedelta(days=40)
    for n in range(6):
        objective = services.element_save(
            kind="objective",
            plan=plan,
            user=rep,
            category="revenue",
            title=f"Objective {n}",
            metric="revenue",
            target=Decimal("100000"),
            due_date=plan.period_end,
            owner=rep,
            progress_source="revenue",
        )
        for m in range(3):
            strategy = services.element_save(
                kind="strategy",
                plan=plan,
                user=rep,
                objective=objective,
                description=f"Strategy {n}.{m}",
            )
            for k in range(4):
                services.element_save(
                    kind="action",
                    plan=plan,
                    user=rep,
                    strategy=strategy,
                    title=f"Action {n}.{m}.{k}",
                    owner=rep,
                    due_date=day + datetime.timedelta(days=7 * k),
                    effort_hours=Decimal("2"),
                )
    services.plan_activate(plan=plan, user=rep)
    return plan


if __name__ == "__main__":
    sys.exit(main())

"""Time keyplan's pages on a generated territory.

Usage (against a database already filled by ``keyplan generate --accounts N``):

    KEYPLAN_DEBUG=1 DATABASE_URL=... .venv/bin/python benchmarks/bench_pages.py [--repeat 5]

Signs in as ``rep`` and ``exec`` through Django's test client (no network, no browser),
requests each page ``--repeat`` times and prints the median and worst wall time and the
number of SQL queries per page. Record results in benchmarks/README.md.
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

    for username in ("rep", "exec"):
        client = Client()
        user = User.objects.get(username=username)
        client.force_login(user)
        pages = pages_for(user)
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
                f"{queries:8d}  {status}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time the quota pages on a generated territory.

Usage (against a database filled by ``keyplan generate --accounts N``, which gives every
rep a quota and distributes the demo rep's):

    KEYPLAN_DEBUG=1 DATABASE_URL=... .venv/bin/python benchmarks/bench_quotas.py [--repeat 5]

Signs in as ``ops`` (sees every quota), ``manager`` and ``rep`` through Django's test
client and requests the quota board and the demo rep's account goals page, plain and
with a proposal by each basis, ``--repeat`` times. Prints per page the median wall time,
the median CPU time of this process (the machine is shared: CPU time is the steadier
figure) and the number of SQL queries. Record results in benchmarks/README.md.
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
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from keyplan.accounts.models import Account
    from keyplan.people.models import User
    from keyplan.salesplan.models import Quota
    from keyplan.salesplan.periods import current_year

    year = current_year()
    rep = User.objects.get(username="rep")
    quota = Quota.objects.get(rep=rep, fiscal_year=year.fiscal_year, quarter=0)
    print(
        f"database: {connection.vendor}; accounts {Account.objects.count():,}; quotas "
        f"{Quota.objects.count():,}; the rep owns {rep.owned_accounts.count():,} accounts"
    )
    goals = f"/quotas/{quota.pk}/goals/"
    propose = "?stretch=1.1&weight_a=5&weight_b=3&weight_c=1&propose=1&basis="
    pages = [
        ("ops", "quota board", f"/quotas/?year={year.fiscal_year}"),
        ("manager", "quota board", f"/quotas/?year={year.fiscal_year}"),
        ("rep", "account goals", goals),
        ("rep", "propose by last period", goals + propose + "last_period"),
        ("rep", "propose by tier", goals + propose + "tier"),
        ("rep", "propose by headroom", goals + propose + "headroom"),
        ("rep", "propose by forecast", goals + propose + "forecast"),
        ("ops", "API quotas", "/api/v1/quotas/"),
    ]
    clients = {}
    for username in ("ops", "manager", "rep"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    print(f"{'as':8} {'page':28} {'wall ms':>8} {'CPU ms':>8} {'queries':>8}")
    for who, name, url in pages:
        walls, cpus, queries = [], [], 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                wall, cpu = time.perf_counter(), time.process_time()
                answer = clients[who].get(url)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            if answer.status_code != 200:
                print(f"{name}: {answer.status_code}", file=sys.stderr)
                return 1
            queries = len(ctx.captured_queries)
        print(
            f"{who:8} {name:28} {statistics.median(walls):8.0f} "
            f"{statistics.median(cpus):8.0f} {queries:8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

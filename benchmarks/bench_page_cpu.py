"""CPU time and SQL queries of each page the 30-user load run walks, on the demo.

Usage (against a database filled by ``keyplan migrate`` and ``keyplan generate --seed 42``):

    KEYPLAN_DEBUG=1 DATABASE_URL=sqlite:///... .venv/bin/python benchmarks/bench_page_cpu.py \
        [--repeat 5] [--only plans]

Through Django's test client (no network, no server): for each role the locustfile
signs in as (rep, manager, exec, ops, admin), each page of ``benchmarks/load/locustfile.py``
is requested once to warm the caches, then ``--repeat`` times; printed are the median
CPU milliseconds of this process (``time.process_time``: what the page costs the
machine, whatever else runs on it), the median wall milliseconds and the number of SQL
queries. A plan section save (the htmx POST of the "insights" section with the version
its form carried) is measured the same way. The figures go in benchmarks/README.md.
"""

import argparse
import itertools
import os
import re
import statistics
import sys
import time
from html.parser import HTMLParser

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
os.environ.setdefault("KEYPLAN_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="only pages whose URL contains this")
    parser.add_argument("--users", default="rep,exec", help="comma-separated usernames")
    parser.add_argument(
        "--after-sales-change",
        action="store_true",
        help="only the white-space pages' first visit after the sales version moves on "
        "(as a roll-up commit does; the background warm-up is not run)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from keyplan.people.models import User

    def first_id(client, url, prefix):
        found = re.findall(rf'href="{re.escape(prefix)}(\d+)/"', client.get(url).content.decode())
        return int(found[0]) if found else None

    def measure(client, method, url, data_of=None, **extra):
        cpu, wall, queries, status = [], [], 0, None
        for n in range(args.repeat + 1):
            data = data_of() if data_of else None
            with CaptureQueriesContext(connection) as ctx:
                c0, w0 = time.process_time(), time.perf_counter()
                if method == "get":
                    response = client.get(url, **extra)
                else:
                    response = client.post(url, data, **extra)
                c1, w1 = time.process_time(), time.perf_counter()
            status = response.status_code
            if n == 0:
                continue  # warming
            cpu.append((c1 - c0) * 1000)
            wall.append((w1 - w0) * 1000)
            queries = len(ctx.captured_queries)
        return statistics.median(cpu), statistics.median(wall), queries, status

    import logging

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the 403s of other roles
    if args.after_sales_change:
        return after_sales_change(args)
    print(f"database: {connection.vendor}; repeat {args.repeat} (median, after one warm-up)")
    for username in args.users.split(","):
        client = Client()
        client.force_login(User.objects.get(username=username))
        account = first_id(client, "/accounts/", "/accounts/")
        plan = first_id(client, "/plans/", "/plans/")
        opportunity = first_id(client, "/opportunities/", "/opportunities/")
        contact = first_id(client, "/contacts/", "/contacts/")
        pages = [
            "/",
            "/accounts/",
            "/accounts/?q=group",
            "/accounts/?sort=owner&page=2",
            f"/accounts/{account}/",
            "/contacts/",
            f"/contacts/{contact}/",
            "/opportunities/?status=open",
            f"/opportunities/{opportunity}/",
            "/products/",
            "/plans/",
            f"/plans/{plan}/",
            f"/plans/{plan}/map/",
            f"/plans/{plan}/versions/",
            "/territory/",
            "/territory/tiers/",
            "/territory/whitespace/",
            "/territory/whitespace/?by=line",
            "/territory/audience/",
            "/territory/strategic/",
            "/territory/history/",
            "/my-work/",
            "/capacity/",
            "/notifications/",
            *(["/imports/", "/api/v1/sale-lines/"] if username in ("ops", "admin") else []),
            *(["/audit-log/", "/people/"] if username == "admin" else []),
            "/api/v1/accounts/",
            "/api/v1/opportunities/?status=open",
            f"/api/v1/accounts/{account}/",
            f"/api/v1/plans/{plan}/",
            "/api/v1/analyses/pareto/",
            "/api/v1/analyses/tiers/",
            "/api/v1/analyses/wallet/",
            "/api/v1/analyses/whitespace/",
        ]
        print(f"\nas {username}:")
        print(f"{'page':44} {'CPU ms':>8} {'wall ms':>8} {'queries':>8}  status")
        for url in pages:
            if args.only and args.only not in url:
                continue
            cpu, wall, queries, status = measure(client, "get", url)
            print(f"{url:44} {cpu:8.1f} {wall:8.1f} {queries:8d}  {status}")
        if plan and (not args.only or args.only in "/plans/section save"):
            url = f"/plans/{plan}/section/insights/"
            htmx = {"HTTP_HX_REQUEST": "true", "HTTP_REFERER": f"http://testserver/plans/{plan}/"}

            def data_of(client=client, url=url, htmx=htmx):
                fields = form_fields(client.get(url, **htmx).content.decode())
                return _encode(
                    [(n, with_marker(v) if n == "value_perception" else v) for n, v in fields]
                )

            # The form is read before each save (not measured), as the page does.
            probe = client.get(url, **htmx)
            if probe.status_code == 200 and "version" in probe.content.decode():
                cpu, wall, queries, status = measure(client, "post", url, data_of, **htmx)
                label = f"POST /plans/{plan}/section/insights/"
                print(f"{label:44} {cpu:8.1f} {wall:8.1f} {queries:8d}  {status}")
    return 0


def after_sales_change(args) -> int:
    """The first visit of each white-space page (and the API list) after the facts
    changed, ``--repeat`` times: CPU ms of that one request (which also computes the
    white-space matrix of the new facts, as the warm-up would have)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from keyplan.people.models import User
    from keyplan.sales.rollup import _bump_version

    client = Client()
    client.force_login(User.objects.get(username="exec"))
    print("first visit after the sales version moved on (no worker running)")
    print(f"{'page':44} {'CPU ms':>8} {'wall ms':>8} {'queries':>8}  status")
    for url in (
        "/territory/whitespace/",
        "/territory/whitespace/?by=line",
        "/api/v1/analyses/whitespace/",
    ):
        client.get(url)  # a model learned for the old facts
        cpu, wall = [], []
        for _ in range(args.repeat):
            _bump_version()
            with CaptureQueriesContext(connection) as ctx:
                c0, w0 = time.process_time(), time.perf_counter()
                response = client.get(url)
                c1, w1 = time.process_time(), time.perf_counter()
            cpu.append((c1 - c0) * 1000)
            wall.append((w1 - w0) * 1000)
        print(
            f"{url:44} {statistics.median(cpu):8.1f} {statistics.median(wall):8.1f} "
            f"{len(ctx.captured_queries):8d}  {response.status_code}"
        )
    return 0


class _Fields(HTMLParser):
    """The fields a browser submits from a form fragment."""

    def __init__(self):
        super().__init__()
        self.fields, self.area, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self.area = [name, ""]
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "textarea" and self.area:
            self.fields.append(tuple(self.area))
            self.area = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.area:
            self.area[1] += data


def form_fields(html: str) -> list[tuple[str, str]]:
    parser = _Fields()
    parser.feed(html)
    return parser.fields


_marker = itertools.count(1)


def with_marker(text: str) -> str:
    """The text with a changing marker at its end, so every save changes something."""
    return re.sub(r" \[bench \d+\]$", "", text.rstrip()) + f" [bench {next(_marker)}]"


def _encode(pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


if __name__ == "__main__":
    sys.exit(main())

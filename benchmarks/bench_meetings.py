"""Time the executive meeting requests' pages on a generated territory.

Usage (against a database already filled by ``keyplan generate --accounts N``):

    KEYPLAN_DEBUG=1 DATABASE_URL=... .venv/bin/python benchmarks/bench_meetings.py \\
        [--requests 200] [--repeat 5]

Requests, ``--repeat`` times each through Django's test client: the briefing of the
demo's accepted request (page and PDF) as the demo manager, and the executive program
and My work as the demo executive — first as the demo leaves them, then with
``--requests`` more requests (asked through the service on the plans' pairings, every
other one accepted), printing the median and worst wall time and the SQL queries.
Everything it writes is rolled back. Record results in benchmarks/README.md.
"""

import argparse
import datetime
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
os.environ.setdefault("KEYPLAN_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


class Rollback(Exception):
    pass


def _time(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), len(queries), len(response.content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from keyplan.accounts.models import Contact
    from keyplan.people.models import User
    from keyplan.plans import services
    from keyplan.plans.choices import MeetingStatus
    from keyplan.plans.models import ExecutiveMeetingRequest, ExecutivePairing

    accepted = ExecutiveMeetingRequest.objects.filter(status=MeetingStatus.ACCEPTED).first()
    if accepted is None:
        print("No accepted meeting request: run `keyplan generate` first.")
        return 1
    manager = User.objects.get(username="manager")
    executive = User.objects.get(username="exec")
    as_manager, as_exec = Client(), Client()
    as_manager.force_login(manager)
    as_exec.force_login(executive)
    print(
        f"database: {connection.vendor}; plans with pairings "
        f"{ExecutivePairing.objects.values('plan').distinct().count():,}"
    )

    def report(label, client, url):
        median, worst, queries, size = _time(client, url, args.repeat)
        print(
            f"{label:<34} median {median:7.0f} ms  worst {worst:7.0f} ms  "
            f"{queries:3} queries  {size:,} bytes"
        )

    report("briefing page (manager)", as_manager, f"/executive-meetings/{accepted.pk}/briefing/")
    report("briefing PDF (manager)", as_manager, f"/executive-meetings/{accepted.pk}/briefing.pdf")
    report("executive program (exec)", as_exec, "/executive-program/")
    report("my work (exec)", as_exec, "/my-work/")
    try:
        with transaction.atomic():
            pairing = ExecutivePairing.objects.filter(our_executive=executive).first()
            plan = pairing.plan
            leaders = list(
                Contact.objects.filter(account=plan.account, is_active=True)[: args.requests]
            )
            when = timezone.now() + datetime.timedelta(days=10)
            made = 0
            for i, leader in enumerate(leaders):
                meeting = services.meeting_request(
                    plan=plan,
                    user=manager,
                    executive=executive,
                    contacts=[leader],
                    purpose=f"Bench meeting {i}",
                    wished_from=timezone.localdate(),
                    wished_until=timezone.localdate() + datetime.timedelta(days=30),
                )
                if i % 2:
                    services.meeting_accept(
                        meeting=meeting,
                        user=executive,
                        starts_at=when + datetime.timedelta(hours=i),
                    )
                made += 1
            print(f"... with {made:,} more requests on {plan.account} ({made // 2:,} accepted)")
            report("executive program (exec)", as_exec, "/executive-program/")
            report("my work (exec)", as_exec, "/my-work/")
            report("calendar feed (exec)", as_exec, _feed(executive))
            raise Rollback
    except Rollback:
        pass
    return 0


def _feed(user) -> str:
    from keyplan.rhythm import services

    token = services.calendar_token(user) or services.calendar_regenerate(user=user)
    return f"/calendar/{token}.ics"


if __name__ == "__main__":
    sys.exit(main())

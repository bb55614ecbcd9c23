"""Time the personal calendar feed and the email run on a generated territory.

Usage (against a database already filled by ``keyplan generate --accounts N``):

    KEYPLAN_DEBUG=1 DATABASE_URL=... .venv/bin/python benchmarks/bench_rhythm.py \\
        [--actions 2000] [--repeat 5]

Adds ``--actions`` open actions to the rep's first plan (and as many milestones), then
requests the feed of ``rep``, their manager and ``exec`` ``--repeat`` times through
Django's test client, printing the median and worst wall time, the events and the SQL
queries; then times one email run (``send_due_emails``) with every person's morning
come, email kept in memory (Django's locmem backend). Everything it writes is rolled
back. Record results in benchmarks/README.md.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from keyplan.people.models import User
    from keyplan.plans.models import AccountPlan, Action, Milestone
    from keyplan.rhythm import services
    from keyplan.rhythm.mail import send_due_emails

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    rep = User.objects.get(username="rep")
    people = [rep, rep.manager or rep, User.objects.get(username="exec")]
    plan = AccountPlan.objects.filter(owner=rep).order_by("pk").first()
    if plan is None:
        print("The rep has no plan: run `keyplan generate` first.")
        return 1
    print(f"database: {connection.vendor}; people {User.objects.count():,}")
    try:
        with transaction.atomic():
            today = timezone.localdate()
            Action.objects.bulk_create(
                Action(
                    plan=plan,
                    title=f"Bench action {i}",
                    owner=rep,
                    due_date=today + datetime.timedelta(days=i % 500 - 60),
                    effort_hours=2,
                )
                for i in range(args.actions)
            )
            Milestone.objects.bulk_create(
                Milestone(
                    plan=plan,
                    title=f"Bench milestone {i}",
                    date=today + datetime.timedelta(days=i % 500),
                )
                for i in range(args.actions)
            )
            for person in people:
                url = f"/calendar/{services.calendar_regenerate(user=person)}.ics"
                times, queries, events = [], 0, 0
                for _ in range(args.repeat):
                    client = Client()
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(url)
                        times.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.status_code
                    queries = len(captured)
                    events = response.content.count(b"BEGIN:VEVENT")
                print(
                    f"feed of {person.username:10} {events:6,} events, {queries:2} queries, "
                    f"median {statistics.median(times) * 1000:7.1f} ms, "
                    f"worst {max(times) * 1000:7.1f} ms, {len(response.content) / 1e6:.2f} MB"
                )
            morning = timezone.now().replace(hour=12, minute=0)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                counts = send_due_emails(now=morning)
                elapsed = time.perf_counter() - started
            print(
                f"email run: {counts}, {len(mail.outbox)} emails, {len(captured)} queries, "
                f"{elapsed * 1000:.0f} ms"
            )
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                send_due_emails(now=morning)
                elapsed = time.perf_counter() - started
            print(f"email run again (all sent): {len(captured)} queries, {elapsed * 1000:.0f} ms")
            raise Rollback
    except Rollback:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

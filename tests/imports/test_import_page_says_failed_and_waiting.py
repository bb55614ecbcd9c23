"""An import's page in words: a failed import shows no full progress bar (which reads
as done) but its failure, and a queued import while no background worker runs says it
waits for that worker, since when it has not run, and whom to ask."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from keyplan.imports import services
from keyplan.imports.models import ImportRun, ImportStatus
from keyplan.operations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

CSV = b"Customer Id,Company,Sector\nW1,Wayne Enterprises,Defense\nW2,Stark Industries,Defense\n"
MAPPING = {"external_id": "Customer Id", "name": "Company", "industry": "Sector"}


def queued_run(client) -> ImportRun:
    """Uploaded and queued through the web; no worker has taken it (the queueing request's
    transaction is never committed in the test, so nothing runs it)."""
    client.post("/imports/", {"kind": "accounts", "file": SimpleUploadedFile("crm.csv", CSV)})
    run = ImportRun.objects.get()
    services.import_queue(run=run, mapping=MAPPING, dry_run=False, skip_invalid=False)
    run.refresh_from_db()
    assert run.status == ImportStatus.QUEUED
    return run


def beat(at):
    WorkerHeartbeat.objects.create(
        process=uuid.uuid4(), worker_id="w1", host="here:boot", pid=4242,
        started_at=at, beat_at=at,
    )  # fmt: skip


def test_a_failed_import_shows_its_failure_not_a_full_bar(client, org):
    client.force_login(org.ops)
    run = queued_run(client)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    services.import_worker_lost(run_id=run.pk)

    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert 'data-testid="import-progress"' not in page  # no bar filled as if done
    assert 'aria-valuenow="100"' not in page and "100%" not in page
    assert "Failed</strong>: what went wrong is below." in page
    assert "The background worker stopped while importing this file" in page


def test_a_queued_import_with_no_worker_running_says_it_waits_for_one(client, org):
    client.force_login(org.ops)
    run = queued_run(client)

    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert (
        "Waiting for the background worker, which has not run on this server yet: ask "
        "your administrator to start it." in page
    )
    history = client.get("/imports/").content.decode()
    assert (
        "Queued imports are waiting for the background worker, which has not run on this "
        "server yet: ask your administrator to start it." in history
    )

    # A worker last heard from an hour ago: since when, as the page's dates read.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    beat(an_hour_ago)
    page = client.get(f"/imports/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    since = timezone.localtime(an_hour_ago).strftime("%Y-%m-%d %H:%M")
    assert (
        f"Waiting for the background worker, which has not run since {since}: ask your "
        "administrator to start it." in page
    )

    # A worker that beats: the import is simply queued, next in line.
    beat(timezone.now() - datetime.timedelta(seconds=20))
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "Waiting for the background worker" not in page
    assert "waiting for the background worker" not in client.get("/imports/").content.decode()
    assert 'data-testid="import-status">Queued<' in page


def test_the_api_says_a_queued_import_waits_for_a_worker_that_is_not_running(client, org):
    """An integration following its import through the API learns what the page says: no
    worker has run (and since when), or nothing at all once one beats or the import ended."""
    client.force_login(org.ops)
    run = queued_run(client)

    def answer():
        one = client.get(f"/api/v1/imports/{run.pk}/")
        listed = client.get("/api/v1/imports/")
        assert one.status_code == listed.status_code == 200
        (same,) = [r for r in listed.json()["results"] if r["id"] == run.pk]
        assert same["worker_away"] == one.json()["worker_away"]
        return one.json()

    data = answer()
    assert data["status"] == "queued" and data["worker_away"] == {"last_seen": None}

    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    beat(an_hour_ago)
    seen = datetime.datetime.fromisoformat(answer()["worker_away"]["last_seen"])
    assert abs((seen - an_hour_ago).total_seconds()) < 1

    beat(timezone.now() - datetime.timedelta(seconds=20))
    assert answer()["worker_away"] is None

    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.DONE)
    WorkerHeartbeat.objects.all().delete()
    assert answer()["worker_away"] is None  # a finished import waits for nothing

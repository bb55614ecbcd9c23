"""An import the background worker lost (it was ended, or its machine restarted) failed
through no fault of the file: its page offers to start the same kept file again, through
the same service as any import, once. When the file is no longer kept as uploaded, the
page says why and links to the upload form with the kind chosen."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from keyplan.accounts.models import Account
from keyplan.imports import services
from keyplan.imports.models import ImportRun, ImportStatus

pytestmark = pytest.mark.django_db

CSV = b"Customer Id,Company,Sector\nW1,Wayne Enterprises,Defense\nW2,Stark Industries,Defense\n"
MAPPING = {"external_id": "Customer Id", "name": "Company", "industry": "Sector"}


def lost_run(client, *, kind="accounts", dry_run=False) -> ImportRun:
    """A file uploaded and queued through the web, taken by a worker that then stopped."""
    client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile("crm.csv", CSV)})
    run = ImportRun.objects.get()
    services.import_queue(run=run, mapping=MAPPING, dry_run=dry_run, skip_invalid=False)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    return services.import_worker_lost(run_id=run.pk)


def start_again(client, run):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/imports/{run.pk}/again/")


def test_a_lost_import_is_imported_again_from_the_kept_file_once(client, org):
    client.force_login(org.ops)
    lost = lost_run(client)
    page = client.get(f"/imports/{lost.pk}/").content.decode()
    assert "The background worker stopped while importing this file" in page
    assert 'data-testid="import-again-button"' in page and "Import this file again" in page

    response = start_again(client, lost)
    again = ImportRun.objects.exclude(pk=lost.pk).get()
    assert response["Location"] == f"/imports/{again.pk}/"
    assert (again.kind, again.mapping, again.dry_run) == ("accounts", MAPPING, False)
    assert again.stored_file == lost.stored_file and again.created_by == org.ops
    assert again.status == ImportStatus.DONE and again.committed and again.created == 2
    assert Account.objects.get(external_id="W1").name == "Wayne Enterprises"

    # The lost run now points to it, and a second click starts nothing.
    page = client.get(f"/imports/{lost.pk}/").content.decode()
    assert "This file was started again already" in page and f"/imports/{again.pk}/" in page
    assert 'data-testid="import-again-button"' not in page
    response = client.post(f"/imports/{lost.pk}/again/", follow=True)
    assert "This file was started again already" in response.content.decode()
    assert ImportRun.objects.count() == 2


def test_a_lost_check_is_checked_again_and_writes_nothing(client, org):
    client.force_login(org.ops)
    lost = lost_run(client, dry_run=True)
    page = client.get(f"/imports/{lost.pk}/").content.decode()
    assert "Check this file again" in page
    start_again(client, lost)
    again = ImportRun.objects.exclude(pk=lost.pk).get()
    assert again.dry_run and again.status == ImportStatus.DONE and again.rows == 2
    assert not Account.objects.filter(external_id="W1").exists()


def test_a_file_no_longer_kept_says_why_and_links_to_the_upload_form(client, org):
    client.force_login(org.ops)
    lost = lost_run(client, kind="contacts")
    services.import_stored_path(lost).unlink()
    page = client.get(f"/imports/{lost.pk}/").content.decode()
    assert "The uploaded file is no longer kept on the server" in page
    assert 'data-testid="import-again-button"' not in page
    assert 'href="/imports/?kind=contacts#upload"' in page
    form = client.get("/imports/?kind=contacts").content.decode()
    assert re.search(r'<option value="contacts" selected>', form)

    response = client.post(f"/imports/{lost.pk}/again/", follow=True)
    assert "no longer kept on the server" in response.content.decode()
    assert ImportRun.objects.count() == 1


def test_a_kept_file_that_changed_since_the_upload_is_not_imported(client, org):
    client.force_login(org.ops)
    lost = lost_run(client)
    services.import_stored_path(lost).write_bytes(CSV + b"W3,Injected Ltd,Defense\n")
    response = client.post(f"/imports/{lost.pk}/again/", follow=True)
    assert "no longer the one uploaded (its SHA-256 differs)" in response.content.decode()
    assert ImportRun.objects.count() == 1
    assert not Account.objects.filter(name="Injected Ltd").exists()


def test_only_a_lost_import_can_be_started_again(client, org):
    client.force_login(org.ops)
    client.post("/imports/", {"kind": "accounts", "file": SimpleUploadedFile("crm.csv", CSV)})
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.FAILED, failure="Bad file.")
    response = client.post(f"/imports/{run.pk}/again/", follow=True)
    assert "Only an import the background worker stopped" in response.content.decode()
    assert ImportRun.objects.count() == 1

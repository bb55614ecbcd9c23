"""A command-line import leaves the same history record as a web import, and an audit
event."""

import pytest

from keyplan.audit.models import AuditEvent
from keyplan.imports.models import ImportRun
from tests.conftest import login
from tests.imports.conftest import run_import, write  # noqa: F401

pytestmark = pytest.mark.django_db


def test_command_line_import_is_in_the_import_history_and_the_audit_log(
    run_import,  # noqa: F811
    tmp_path,
    org,
    client,
):
    path = write(tmp_path / "accounts.csv", "external_id,name\nA1,Acme Corp\nA2,Beta Ltd\n")
    code, report = run_import("accounts", path)
    assert code == 0 and report["created"] == 2

    run = ImportRun.objects.get()
    assert (run.file_name, run.kind, run.status, run.created, run.committed) == (
        "accounts.csv",
        "accounts",
        "done",
        2,
        True,
    )
    assert len(run.file_sha256) == 64
    event = AuditEvent.objects.get(action="imported")
    assert event.source == "command line"
    assert "2 created" in event.summary

    page = login(client, org.ops).get("/imports/").content.decode()
    assert "accounts.csv" in page and "command line" in page


def test_a_command_line_import_that_fails_is_recorded_with_its_reason(
    run_import,  # noqa: F811
    tmp_path,
):
    path = write(tmp_path / "nothing.csv", "")
    code, _report = run_import("accounts", path)
    assert code == 2
    run = ImportRun.objects.get()
    assert run.status == "failed" and run.failure
    assert AuditEvent.objects.get(action="imported").summary.startswith("Failed:")


def test_a_web_import_is_in_the_audit_log_with_who_ran_it(
    org, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, org.ops)
    client.post(
        "/imports/",
        {"kind": "accounts", "file": SimpleUploadedFile("crm.csv", b"Id,Company\nW1,Wayne\n")},
    )
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/imports/{run.pk}/map/", {"map_external_id": "Id", "map_name": "Company", "run": "1"}
        )
    event = AuditEvent.objects.get(action="imported")
    assert (event.user, event.object_label) == (org.ops, "accounts from crm.csv")
    assert "1 created" in event.summary

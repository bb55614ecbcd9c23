"""The API's import runs say when the background worker lost one (``worker_lost``), and
``POST /api/v1/imports/{id}/import-again/`` starts its kept file once more under the web
page's rules: only a lost import, once, the file kept as uploaded (SHA-256 checked), by
sales ops and admins. A refusal (409) says why and starts nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keyplan.accounts.models import Account
from keyplan.imports import services
from keyplan.imports.models import ImportRun, ImportStatus

pytestmark = pytest.mark.django_db

CSV = b"Customer Id,Company,Sector\nW1,Wayne Enterprises,Defense\nW2,Stark Industries,Defense\n"
MAPPING = '{"external_id": "Customer Id", "name": "Company", "industry": "Sector"}'


def lost_through_api(api_client, *, dry_run=False) -> ImportRun:
    """A file started through the API, taken by a worker that then stopped (the task is
    not run: its on-commit enqueue is never executed here)."""
    response = api_client.post(
        "/api/v1/imports/",
        {
            "kind": "accounts",
            "file": SimpleUploadedFile("crm.csv", CSV),
            "mapping": MAPPING,
            "dry_run": "true" if dry_run else "false",
        },
        format="multipart",
    )
    assert response.status_code == 202, response.json()
    run = ImportRun.objects.get(pk=response.json()["id"])
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    return services.import_worker_lost(run_id=run.pk)


def again(api_client, run):
    return api_client.post(f"/api/v1/imports/{run.pk}/import-again/")


def test_a_lost_import_says_so_and_is_imported_again_once(
    api_client, org, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(org.ops)
    lost = lost_through_api(api_client)
    shown = api_client.get(f"/api/v1/imports/{lost.pk}/").json()
    assert (shown["status"], shown["worker_lost"]) == ("failed", True)
    assert shown["failure"].startswith("The background worker stopped while importing")
    listed = api_client.get("/api/v1/imports/").json()["results"]
    assert [r["worker_lost"] for r in listed] == [True]

    with django_capture_on_commit_callbacks(execute=True):
        response = again(api_client, lost)
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["id"] != lost.pk and body["worker_lost"] is False
    run = api_client.get(f"/api/v1/imports/{body['id']}/").json()
    assert (run["status"], run["created"], run["committed"]) == ("done", 2, True)
    assert run["file_sha256"] == lost.file_sha256 and run["created_by"] == "ops"
    assert Account.objects.get(external_id="W1").name == "Wayne Enterprises"
    # The new run's messages are worded for the API, as the first one's were.
    assert ImportRun.objects.get(pk=body["id"]).options["via"] == "api"

    second = again(api_client, lost)
    assert second.status_code == 409
    assert second.json()["detail"].startswith("This file was started again already")
    assert ImportRun.objects.count() == 2


def test_a_lost_check_is_checked_again_and_writes_nothing(
    api_client, org, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(org.ops)
    lost = lost_through_api(api_client, dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = again(api_client, lost)
    assert response.status_code == 202
    run = ImportRun.objects.get(pk=response.json()["id"])
    assert run.dry_run and run.status == ImportStatus.DONE and run.rows == 2
    assert not Account.objects.filter(external_id="W1").exists()


def test_only_a_lost_import_is_started_again(api_client, org):
    api_client.force_authenticate(org.ops)
    response = api_client.post(
        "/api/v1/imports/",
        {"kind": "accounts", "file": SimpleUploadedFile("crm.csv", CSV), "mapping": MAPPING},
        format="multipart",
    )
    run = ImportRun.objects.get(pk=response.json()["id"])
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.FAILED, failure="Bad file.")
    refused = again(api_client, run)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Only an import the background worker stopped can be started again here."
    )
    assert ImportRun.objects.count() == 1


def test_a_kept_file_that_changed_or_is_gone_is_not_imported(api_client, org):
    api_client.force_authenticate(org.ops)
    lost = lost_through_api(api_client)
    services.import_stored_path(lost).write_bytes(CSV + b"W3,Injected Ltd,Defense\n")
    refused = again(api_client, lost)
    assert refused.status_code == 409
    assert "no longer the one uploaded (its SHA-256 differs)" in refused.json()["detail"]
    services.import_stored_path(lost).unlink()
    refused = again(api_client, lost)
    assert refused.status_code == 409
    assert "The uploaded file is no longer kept on the server" in refused.json()["detail"]
    assert ImportRun.objects.count() == 1
    assert not Account.objects.filter(name="Injected Ltd").exists()


def test_only_sales_ops_and_admins_start_an_import_again(api_client, org):
    api_client.force_authenticate(org.ops)
    lost = lost_through_api(api_client)
    for person in (org.rep, org.manager, org.executive):
        api_client.force_authenticate(person)
        assert again(api_client, lost).status_code == 403
    assert ImportRun.objects.count() == 1
    api_client.force_authenticate(org.ops)
    assert api_client.post("/api/v1/imports/999999/import-again/").status_code == 404


def test_the_schema_documents_the_field_and_the_action(client):
    schema = client.get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"]["ImportRun"]["properties"]["worker_lost"]
    assert field["type"] == "boolean" and field["readOnly"] is True
    assert "background worker stopped" in field["description"]
    operation = schema["paths"]["/api/v1/imports/{id}/import-again/"]["post"]
    assert "requestBody" not in operation
    assert set(operation["responses"]) >= {"202", "403", "404", "409"}
    assert "once" in operation["responses"]["409"]["description"]

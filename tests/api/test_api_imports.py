"""Start an import through the API and follow it to the end."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keyplan.accounts.models import Account
from keyplan.imports.models import ImportRun

pytestmark = pytest.mark.django_db


def start(api_client, content, **data):
    payload = {"kind": "accounts", "file": SimpleUploadedFile("crm.csv", content), **data}
    return api_client.post("/api/v1/imports/", payload, format="multipart")


def test_start_and_follow_an_import(api_client, org, django_capture_on_commit_callbacks):
    api_client.force_authenticate(org.ops)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(
            api_client,
            b"Id,Company\nQ1,Queued Inc\n",
            mapping='{"external_id": "Id", "name": "Company"}',
        )
    assert response.status_code == 202, response.json()
    run_id = response.json()["id"]
    run = api_client.get(f"/api/v1/imports/{run_id}/").json()
    assert run["status"] == "done" and run["created"] == 1 and run["committed"]
    assert run["progress"]["fraction"] == 1.0
    assert Account.objects.filter(external_id="Q1").exists()


def test_a_file_that_cannot_be_the_kind_is_refused_up_front(api_client, org):
    api_client.force_authenticate(org.ops)
    response = start(api_client, b"order,total\n1,2\n")
    assert response.status_code == 400
    assert "no column for Name" in response.json()["file"][0]
    assert ImportRun.objects.count() == 0


def test_api_messages_name_the_request_fields_not_command_line_flags(
    api_client, org, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(org.ops)
    refused = start(api_client, b"order,total\n1,2\n").json()["file"][0]
    assert "Name the column that holds each of them in the request's mapping" in refused
    assert "--map" not in refused
    with django_capture_on_commit_callbacks(execute=True):
        response = start(
            api_client,
            b"account,product,date,amount\nMine Group,P1,03/01/2025,10\n",
            kind="sales",
            dry_run="true",
        )
    run = api_client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    dates = [e["message"] for e in run["errors"] if e["column"] == "date"]
    assert dates == [
        "“03/01/2025” is ambiguous (day/month or month/day?); "
        "say which with the request's date_format (dmy or mdy)"
    ]


def test_errors_come_back_with_row_column_value(
    api_client, org, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(org.ops)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(api_client, b"name,employees\nOk,1\nBad,many\n")
    run = api_client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert run["committed"] is False
    assert run["errors"] == [
        {"row": 3, "column": "employees", "value": "many", "message": "“many” is not a number"}
    ]


def test_only_sales_ops_and_admins_import(api_client, org):
    api_client.force_authenticate(org.rep)
    assert start(api_client, b"name\nX\n").status_code == 403
    assert api_client.get("/api/v1/imports/").status_code == 403

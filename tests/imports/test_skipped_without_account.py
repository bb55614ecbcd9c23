"""An opportunity (or a contact) without an account — legal in Salesforce and most CRMs —
does not make the import fail: it is counted as skipped, with its reason, and written to
the rejects file."""

import csv
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from keyplan.accounts.models import Contact
from keyplan.sales.models import Opportunity
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

REASON = "it has no account; keyplan plans accounts and cannot place it"


def opportunities(acc):
    return (
        "external_id,name,account,stage,amount,close_date,Note\n"
        f"O1,Turbines,{acc},Negotiation,1000,2025-06-30,first\n"
        "O2,Early idea,,Prospecting,500,2025-09-30,no account yet\n"
        f"O3,Service,{acc},Closed Won,200,2025-03-31,won\n"
    )


def test_skipped_not_refused(tmp_path, run_import, org):
    path = write(tmp_path / "opps.csv", opportunities(org.mine.external_id))
    code, report = run_import("opportunities", path)
    assert code == 0 and report["ok"] and report["committed"]
    assert (report["created"], report["rejected"], report["skipped"]) == (2, 0, 1)
    assert report["skipped_rows"] == [{"row": 3, "reason": REASON}]
    assert report["errors"] == []
    assert sorted(Opportunity.objects.values_list("external_id", flat=True)) == ["O1", "O3"]
    # The skipped row is in the rejects file beside the source, whole, with the reason.
    assert report["rejects_file"] == str(tmp_path / "opps.rejects.csv")
    rows = list(csv.DictReader((tmp_path / "opps.rejects.csv").open(encoding="utf-8")))
    assert len(rows) == 1
    assert rows[0]["external_id"] == "O2" and rows[0]["Note"] == "no account yet"
    assert rows[0]["error"] == f"skipped: {REASON}"


def test_the_summary_line_counts_skipped_rows(tmp_path, org):
    path = write(tmp_path / "opps.csv", opportunities(org.mine.external_id))
    out = StringIO()
    call_command("import", "opportunities", str(path), stdout=out)
    text = out.getvalue()
    assert "Imported opps.csv (opportunities): 3 rows — 2 created, 0 updated, 0 unchanged, " in text
    assert "0 rejected, 1 skipped in " in text
    assert f"row 3 skipped: {REASON}" in text
    assert f"Skipped rows are in {tmp_path / 'opps.rejects.csv'}, with the reason." in text


def test_a_real_error_still_fails_and_skipped_rows_are_still_counted(tmp_path, run_import, org):
    path = write(
        tmp_path / "opps.csv",
        "external_id,name,account,stage,amount,close_date\n"
        "O1,Turbines,NOPE,Negotiation,1000,2025-06-30\n"
        "O2,Early idea,,Prospecting,500,2025-09-30\n",
    )
    code, report = run_import("opportunities", path)
    assert code == 1 and not report["committed"]
    assert (report["rejected"], report["skipped"]) == (1, 1)
    assert report["errors"][0]["row"] == 2 and report["errors"][0]["column"] == "account"
    assert Opportunity.objects.count() == 0
    assert not (tmp_path / "opps.rejects.csv").exists()  # nothing imported: no rejects file


def test_web_result_page_and_api_show_the_skipped_count(
    client, api_client, org, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(org.ops)
    content = opportunities(org.mine.external_id).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/imports/",
            {"kind": "opportunities", "file": SimpleUploadedFile("crm.csv", content)},
            format="multipart",
        )
    assert response.status_code == 202, response.json()
    run = api_client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert run["status"] == "done" and run["committed"]
    assert (run["created"], run["skipped"]) == (2, 1)
    assert run["skipped_rows"] == [{"row": 3, "reason": REASON}]
    client.force_login(org.ops)
    page = client.get(f"/imports/{run['id']}/").content.decode()
    assert 'data-testid="count-skipped">1<' in page
    assert "It has no account; keyplan plans accounts and cannot place it" in page
    assert "Download the skipped rows" in page
    history = client.get("/imports/").content.decode()
    assert '<th class="num">Skipped</th>' in history
    assert '<td class="num">0</td><td class="num">1</td></tr>' in history  # 0 rejected, 1 skipped
    rejects = client.get(f"/imports/{run['id']}/rejects/")
    body = b"".join(rejects.streaming_content).decode()
    assert "O2,Early idea,,Prospecting" in body and f"skipped: {REASON}" in body


def test_a_contact_without_an_account_is_skipped(tmp_path, run_import, org):
    path = write(
        tmp_path / "contacts.csv",
        "external_id,account,first_name,last_name,reports_to\n"
        f"K1,{org.mine.external_id},Cleo,Penny,\n"
        "K2,,Pat,Private,\n"
        f"K3,{org.mine.external_id},Carl,Count,K1\n",
    )
    code, report = run_import("contacts", path)
    assert code == 0 and report["committed"]
    assert (report["created"], report["skipped"]) == (2, 1)
    assert report["skipped_rows"] == [
        {
            "row": 3,
            "reason": "it has no account (a private contact); keyplan plans accounts and "
            "cannot place it",
        }
    ]
    assert sorted(Contact.objects.values_list("last_name", flat=True)) == ["Count", "Penny"]
    assert Contact.objects.get(last_name="Count").reports_to.last_name == "Penny"


def test_reporting_to_a_skipped_contact_says_so(tmp_path, run_import, org):
    path = write(
        tmp_path / "contacts.csv",
        "external_id,account,last_name,reports_to\n"
        "K2,,Private,\n"
        f"K3,{org.mine.external_id},Count,K2\n",
    )
    code, report = run_import("contacts", path)
    assert code == 1 and report["skipped"] == 1
    assert [(e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        (3, "reports_to", "K2")
    ]
    assert report["errors"][0]["message"].startswith(
        "is a contact without an account, skipped in this file"
    )


def test_the_command_says_one_row_not_one_rows(tmp_path):
    accounts = tmp_path / "one.csv"
    accounts.write_text("external_id,name,industry\nA1,Acme,Retail\n")
    out = StringIO()
    call_command("import", "accounts", str(accounts), stdout=out)
    assert "Imported one.csv (accounts): 1 row — 1 created, 0 updated" in out.getvalue()

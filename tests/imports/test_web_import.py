"""The web import for sales ops and admins: upload, preview, map, dry run, run, history."""

import contextlib
import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from keyplan.accounts.models import Account
from keyplan.imports.models import ImportRun, SavedMapping

pytestmark = pytest.mark.django_db

CSV = b"Customer Id,Company,Sector\nW1,Wayne Enterprises,Defense\nW2,Stark Industries,Defense\n"


def upload(client, content=CSV, name="crm.csv", kind="accounts"):
    return client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """Post the mapping form; the queued import runs when the request's transaction
    commits (the immediate task backend in tests)."""

    def post(run, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/imports/{run.pk}/map/", data)

    return post


@contextlib.contextmanager
def django_capture_on_commit_callbacks_for(client):
    """Post with the request's on-commit callbacks (the queued import) run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield client.post


def mapping(**extra):
    data = {"map_external_id": "Customer Id", "map_name": "Company", "map_industry": "Sector"}
    data.update(extra)
    return data


def test_reps_and_managers_cannot_import(client, org):
    for user in (org.rep, org.manager):
        client.force_login(user)
        assert client.get("/imports/").status_code == 403
        assert upload(client).status_code == 403
    assert ImportRun.objects.count() == 0


def test_upload_preview_map_and_run(client, org, submit):
    client.force_login(org.ops)
    response = upload(client)
    run = ImportRun.objects.get()
    assert response["Location"] == f"/imports/{run.pk}/map/"
    page = client.get(f"/imports/{run.pk}/map/").content.decode()
    assert "Wayne Enterprises" in page  # the preview
    response = submit(run, mapping(run="1"))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and run.committed and run.created == 2
    assert Account.objects.get(external_id="W2").industry == "Defense"
    detail = client.get(f"/imports/{run.pk}/").content.decode()
    assert "Imported" in detail and 'data-testid="count-created">2<' in detail
    history = client.get("/imports/").content.decode()
    assert "crm.csv" in history and run.file_sha256[:8] in history


def test_dry_run_writes_nothing(client, org, submit):
    client.force_login(org.ops)
    upload(client)
    run = ImportRun.objects.get()
    submit(run, mapping(dry_run="1"))
    run.refresh_from_db()
    assert run.dry_run and run.created == 2 and not run.committed
    assert not Account.objects.filter(external_id="W1").exists()


def test_a_column_mapped_twice_is_refused(client, org, submit):
    client.force_login(org.ops)
    upload(client)
    run = ImportRun.objects.get()
    response = submit(run, mapping(map_country="Company", run="1"))
    assert response.status_code == 200
    assert "already mapped" in response.content.decode()
    run.refresh_from_db()
    assert run.status == "uploaded"


def test_saved_mapping_is_offered_for_the_next_file(client, org, submit):
    client.force_login(org.ops)
    upload(client)
    run = ImportRun.objects.get()
    submit(run, mapping(save_as="Old CRM", run="1"))
    saved = SavedMapping.objects.get(name="Old CRM")
    assert saved.columns["name"] == "Company"
    upload(client, content=b"Company,Customer Id,Sector\nAcme,W3,Retail\n", name="next.csv")
    second = ImportRun.objects.exclude(pk=run.pk).get()
    page = client.get(f"/imports/{second.pk}/map/?mapping={saved.pk}")
    assert page.context["form"]["map_name"].initial == "Company"


def test_errors_are_listed_and_rejects_downloadable(client, org, submit):
    client.force_login(org.ops)
    upload(client, content=b"external_id,name,employees\nE1,Good,10\nE2,Bad,lots\n")
    run = ImportRun.objects.get()
    submit(
        run,
        {
            "map_external_id": "external_id",
            "map_name": "name",
            "map_employees": "employees",
            "skip_invalid": "on",
            "run": "1",
        },
    )
    run.refresh_from_db()
    assert (run.created, run.rejected) == (1, 1)
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "“lots” is not a number" in page
    rejects = client.get(f"/imports/{run.pk}/rejects/")
    body = b"".join(rejects.streaming_content).decode()
    assert "E2,Bad,lots" in body and "error" in body.splitlines()[0]


def test_unreadable_upload_shows_why(client, org):
    client.force_login(org.ops)
    upload(client, content=b"\x00\x01\x02" * 100, name="x.csv")
    run = ImportRun.objects.get()
    response = client.get(f"/imports/{run.pk}/map/", follow=True)
    assert "binary" in response.content.decode()


def test_unsupported_file_type_is_a_field_error(client, org):
    client.force_login(org.ops)
    response = upload(client, name="deck.pptx")
    assert response.status_code == 200
    assert "not “.pptx”" in response.content.decode()


def selected(page: str, field: str) -> str:
    """The column a mapping select shows as chosen, as the user sees it ("" for none)."""
    select = re.search(rf'<select name="map_{field}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select for {field}"
    option = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(1))
    return html.unescape(option.group(1)) if option else ""


def test_columns_are_preselected_by_name_and_alias_even_with_a_required_field_unmapped(client, org):
    client.force_login(org.ops)
    upload(
        client,
        content=b"Customer Id,Billing Country,Annual_Revenue,number of employees,Notes\n"
        b"W1,Germany,1000,10,hello\n",
    )
    run = ImportRun.objects.get()
    page = client.get(f"/imports/{run.pk}/map/").content.decode()
    assert selected(page, "external_id") == "Customer Id"
    assert selected(page, "country") == "Billing Country"
    assert selected(page, "annual_revenue") == "Annual_Revenue"
    assert selected(page, "employees") == "number of employees"
    assert selected(page, "name") == ""  # nothing here names the account: the user chooses
    assert selected(page, "website") == ""
    assert "it has no column for Name" in page
    assert "Choose the column that holds each of them in the mapping table" in page
    assert "--map" not in page


def test_crm_report_headers_are_preselected(client, org):
    client.force_login(org.ops)
    upload(
        client,
        content=b"Opportunity Name,Account Name,Stage,Amount,Close Date,Opportunity Owner\n"
        b"Big deal,Mine Group,Prospecting,100,2030-01-31,rep\n",
        kind="opportunities",
    )
    run = ImportRun.objects.get()
    page = client.get(f"/imports/{run.pk}/map/").content.decode()
    assert [
        selected(page, f) for f in ("name", "account", "stage", "amount", "close_date", "owner")
    ] == ["Opportunity Name", "Account Name", "Stage", "Amount", "Close Date", "Opportunity Owner"]
    assert 'data-testid="still-to-map"' not in page


def test_a_dry_run_that_passed_offers_import_now_without_uploading_again(client, org, submit):
    client.force_login(org.ops)
    upload(client)
    dry = ImportRun.objects.get()
    submit(dry, mapping(dry_run="1"))
    page = client.get(f"/imports/{dry.pk}/").content.decode()
    assert "The dry run passed: every row is valid." in page
    assert 'data-testid="import-now"' in page and "Import now" in page
    assert not Account.objects.filter(external_id="W1").exists()

    with django_capture_on_commit_callbacks_for(client) as post:
        response = post(f"/imports/{dry.pk}/import-now/")
    real = ImportRun.objects.exclude(pk=dry.pk).get()
    assert response["Location"] == f"/imports/{real.pk}/"
    assert real.stored_file == dry.stored_file and real.file_sha256 == dry.file_sha256
    assert (real.dry_run, real.committed, real.created) == (False, True, 2)
    assert Account.objects.get(external_id="W1").industry == "Defense"
    detail = client.get(f"/imports/{real.pk}/").content.decode()
    assert "Imported" in detail and 'data-testid="count-created">2<' in detail

    # The dry run now says so, and a second click imports nothing twice.
    page = client.get(f"/imports/{dry.pk}/").content.decode()
    assert "This file was imported already" in page and f"/imports/{real.pk}/" in page
    assert 'data-testid="import-now"' not in page
    response = client.post(f"/imports/{dry.pk}/import-now/", follow=True)
    assert "This file was imported already" in response.content.decode()
    assert ImportRun.objects.count() == 2


def test_a_dry_run_with_invalid_rows_does_not_offer_import_now(client, org, submit):
    client.force_login(org.ops)
    upload(client, content=b"external_id,name,employees\nE1,Good,10\nE2,Bad,lots\n")
    dry = ImportRun.objects.get()
    submit(dry, {"map_external_id": "external_id", "map_name": "name", "dry_run": "1"})
    page = client.get(f"/imports/{dry.pk}/").content.decode()
    assert 'data-testid="import-now"' not in page
    assert "The dry run found invalid rows" in page
    response = client.post(f"/imports/{dry.pk}/import-now/", follow=True)
    assert "The dry run found invalid rows" in response.content.decode()
    assert ImportRun.objects.count() == 1 and not Account.objects.filter(name="Good").exists()


def test_import_now_after_a_dry_run_that_set_invalid_rows_aside(client, org, submit):
    client.force_login(org.ops)
    upload(client, content=b"external_id,name,employees\nE1,Good,10\nE2,Bad,lots\n")
    dry = ImportRun.objects.get()
    submit(dry, {"map_name": "name", "skip_invalid": "on", "dry_run": "1"})
    page = client.get(f"/imports/{dry.pk}/").content.decode()
    assert "The dry run passed with 1 invalid row set aside." in page
    with django_capture_on_commit_callbacks_for(client) as post:
        post(f"/imports/{dry.pk}/import-now/")
    real = ImportRun.objects.exclude(pk=dry.pk).get()
    assert (real.skip_invalid, real.committed, real.created, real.rejected) == (True, True, 1, 1)
    assert Account.objects.filter(name="Good").exists()
    for run in (dry, real):  # each run keeps its own rejected rows
        body = b"".join(client.get(f"/imports/{run.pk}/rejects/").streaming_content).decode()
        assert "E2,Bad,lots" in body


def test_a_saved_mapping_that_fits_the_file_is_applied_automatically(client, org, submit):
    client.force_login(org.ops)
    upload(client, content=b"Kdnr,Firma,Branche\nW1,Wayne,Defense\n")
    first = ImportRun.objects.get()
    submit(
        first,
        {
            "map_external_id": "Kdnr",
            "map_name": "Firma",
            "map_industry": "Branche",
            "date_format": "dmy",
            "save_as": "Old ERP",
            "dry_run": "1",
        },
    )
    # The next file from the same source, columns in another order.
    upload(client, content=b"Branche,Firma,Kdnr\nRetail,Acme,W3\n", name="next.csv")
    second = ImportRun.objects.latest("pk")
    page = client.get(f"/imports/{second.pk}/map/").content.decode()
    assert "The saved mapping <strong>“Old ERP”</strong> was applied" in page
    assert [selected(page, f) for f in ("external_id", "name", "industry")] == [
        "Kdnr",
        "Firma",
        "Branche",
    ]
    assert 'value="dmy" selected' in page
    # The user may start from the headers instead.
    page = client.get(f"/imports/{second.pk}/map/?mapping=none").content.decode()
    assert "Old ERP</strong> was applied" not in page and selected(page, "name") == ""
    # A file lacking one of its columns does not get it applied.
    upload(client, content=b"Firma,Kdnr\nAcme,W3\n", name="short.csv")
    third = ImportRun.objects.latest("pk")
    page = client.get(f"/imports/{third.pk}/map/").content.decode()
    assert 'data-testid="mapping-applied"' not in page and selected(page, "name") == ""
    assert "Old ERP" in page  # still offered by name
    # Chosen by hand, it maps what it can and says what the file lacks.
    saved = SavedMapping.objects.get(name="Old ERP")
    page = client.get(f"/imports/{third.pk}/map/?mapping={saved.pk}").content.decode()
    assert "This file lacks the columns it names for Industry (“Branche”)" in page
    assert [selected(page, f) for f in ("external_id", "name", "industry")] == [
        "Kdnr",
        "Firma",
        "",
    ]


def test_the_web_never_advises_a_command_line_flag(client, org, submit):
    client.force_login(org.ops)
    # Ambiguous dates: the advice names the page's "Dates" setting.
    upload(
        client,
        content=b"account,product,date,amount\nMine Group,P1,03/01/2025,10\n",
        kind="sales",
    )
    run = ImportRun.objects.get()
    submit(run, {"map_account": "account", "map_date": "date", "dry_run": "1"})
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "ambiguous" in page and "say which under “Dates” when you map the columns" in page
    # A CSV whose bytes stop being UTF-8 after the part sampled for detection.
    body = b"name\n" + b"Plain Account\n" * 6000 + b"Caf\xe9 Bad\n"
    upload(client, content=body, name="late.csv")
    run = ImportRun.objects.latest("pk")
    submit(run, {"map_name": "name", "dry_run": "1"})
    run.refresh_from_db()
    assert run.status == "failed"
    assert "save it as a UTF-8 CSV or an Excel workbook (.xlsx)" in run.failure
    pages = [client.get(f"/imports/{r.pk}/").content.decode() for r in ImportRun.objects.all()]
    for flag in ("--map", "--skip-invalid", "--date-format", "--sheet", "--encoding", "--stage"):
        assert not any(flag in p for p in pages), flag


def test_uploads_never_run_are_discarded_after_a_day(client, org, settings, tmp_path, submit):
    settings.DATA_DIR = tmp_path
    client.force_login(org.ops)
    upload(client, name="old.csv")
    upload(client, name="young.csv")
    upload(client, name="imported.csv")
    old, young, imported = ImportRun.objects.order_by("pk")
    submit(imported, mapping(dry_run="1"))
    files = {run.pk: tmp_path / "imports" / run.stored_file for run in (old, young, imported)}
    assert all(path.exists() for path in files.values())
    now = timezone.now()
    ImportRun.objects.filter(pk__in=[old.pk, imported.pk]).update(
        created_at=now - datetime.timedelta(hours=25)
    )
    ImportRun.objects.filter(pk=young.pk).update(created_at=now - datetime.timedelta(hours=23))

    history = client.get("/imports/").content.decode()

    assert not ImportRun.objects.filter(pk=old.pk).exists() and not files[old.pk].exists()
    assert "old.csv" not in history
    assert files[young.pk].exists() and "young.csv" in history  # less than a day old
    assert files[imported.pk].exists() and "imported.csv" in history  # it was run
    assert client.get(f"/imports/{old.pk}/map/").status_code == 404


def test_the_progress_line_counts_one_row_as_a_row(client, org, submit):
    client.force_login(org.ops)
    upload(client, content=b"Customer Id,Company,Sector\nW1,Wayne Enterprises,Defense\n")
    run = ImportRun.objects.get()
    assert "Preview (first 1 row)" in client.get(f"/imports/{run.pk}/map/").content.decode()
    submit(run, {**mapping(), "dry_run": "1"})
    page = client.get(f"/imports/{run.pk}/").content.decode()
    line = re.search(r'data-testid="import-progress-text">(.*?)</p>', page, re.S).group(1)
    assert "100% · 1 row\n" in line and "1 rows" not in line


def test_a_web_import_is_in_the_audit_log_from_the_address_it_was_asked_from(
    client, org, django_capture_on_commit_callbacks
):
    """The background worker runs it, but the audit log says where it came from: the
    address of the browser, never "command line"."""
    from keyplan.audit.models import AuditEvent

    client.force_login(org.ops)
    upload(client)
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{run.pk}/map/", {**mapping(), "run": "1"}, REMOTE_ADDR="10.9.8.7")
    event = AuditEvent.objects.get(action="imported")
    assert (event.username, event.source) == ("ops", "10.9.8.7")
    assert "2 created" in event.summary


def test_an_import_refused_for_invalid_rows_says_how_to_import_the_rest(client, org, submit):
    """All or nothing, one bad row: the page links to the upload form for this kind and
    names the box that sets invalid rows aside — there is no such button on this page."""
    client.force_login(org.ops)
    upload(client, content=b"external_id,name,employees\nE1,Good,10\nE2,Bad,lots\n")
    run = ImportRun.objects.get()
    box = "Import the valid rows and set the invalid ones aside"
    assert box in client.get(f"/imports/{run.pk}/map/").content.decode()  # the box named
    submit(
        run,
        {
            "map_external_id": "external_id",
            "map_name": "name",
            "map_employees": "employees",
            "run": "1",
        },
    )
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "Nothing was imported" in page
    assert (
        'href="/imports/?kind=accounts#upload" data-testid="upload-again">upload the file again'
        in page
    )
    assert "tick “Import the valid rows and set the invalid ones aside”" in page
    form = client.get("/imports/?kind=accounts").content.decode()
    assert 'value="accounts" selected' in form
    # The history does not read "Done" alone for it, as if the file were in.
    assert "nothing imported: 1 invalid row</div>" in form

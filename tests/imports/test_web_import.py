"""The web import for sales ops and admins: upload, preview, map, dry run, run, history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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

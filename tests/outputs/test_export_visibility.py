"""Exports go through the plan's visibility: another rep gets 404 from the API and from
the page's download, the command refuses an unknown plan; a bad format is a 400 that
names the formats; files carry the account's name."""

import pytest
from django.core.management import CommandError, call_command

from keyplan.outputs.content import FORMATS
from tests.outputs.conftest import download_links

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_api_gives_the_file_with_its_type_and_name(org, plan, api_client, fmt):
    api_client.force_authenticate(org.rep)
    response = api_client.get(f"/api/v1/plans/{plan.pk}/export/?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt]
    assert response["Content-Disposition"] == (
        f'attachment; filename="Account plan - Mine Group - 2027-01.{fmt}"; '
        f"filename*=UTF-8''Account%20plan%20-%20Mine%20Group%20-%202027-01.{fmt}"
    )
    assert len(response.content) > 500


def test_another_rep_gets_404_from_the_api_and_the_page(org, plan, api_client, client):
    api_client.force_authenticate(org.other)
    assert api_client.get(f"/api/v1/plans/{plan.pk}/export/?format=pdf").status_code == 404
    client.force_login(org.other)
    assert client.get(f"/plans/{plan.pk}/export/xlsx/").status_code == 404
    # The rep's manager sees the plan and downloads it.
    client.force_login(org.manager)
    response = client.get(f"/plans/{plan.pk}/export/xlsx/")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_bad_format_is_400_naming_the_formats(org, plan, api_client, client):
    api_client.force_authenticate(org.rep)
    response = api_client.get(f"/api/v1/plans/{plan.pk}/export/?format=docx")
    assert response.status_code == 400
    message = (
        "format: 'docx' is not a format a plan is exported in; use one of pptx, pdf, xlsx, md."
    )
    assert response.json()["format"] == [message]
    assert api_client.get(f"/api/v1/plans/{plan.pk}/export/").status_code == 400
    client.force_login(org.rep)
    page = client.get(f"/plans/{plan.pk}/export/docx/")
    assert page.status_code == 400 and page.content.decode() == message


def test_signed_out_is_refused(plan, api_client, client):
    assert api_client.get(f"/api/v1/plans/{plan.pk}/export/?format=md").status_code == 401
    assert client.get(f"/plans/{plan.pk}/export/md/").status_code == 302  # to sign in


def test_plan_page_offers_the_downloads(org, plan, client):
    client.force_login(org.rep)
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert download_links(html, f"/plans/{plan.pk}/export/") == []


def test_command_writes_the_file(plan, tmp_path):
    out = tmp_path / "plan.md"
    call_command("export-plan", str(plan.pk), "--format", "md", "-o", str(out))
    assert out.read_text().startswith("# Account plan: Mine Group\n")


def test_command_refuses_unknown_plan_and_format(plan, tmp_path):
    with pytest.raises(CommandError, match="plan: no account plan has the id '999999'"):
        call_command("export-plan", "999999", "--format", "md", "-o", str(tmp_path / "x.md"))
    with pytest.raises(CommandError, match="format: 'doc' is not a format"):
        call_command("export-plan", str(plan.pk), "--format", "doc", "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="output: the folder .* does not exist"):
        call_command("export-plan", str(plan.pk), "--format", "md", "-o", "/nonexistent/x.md")


def test_openapi_describes_the_export(client):
    schema = client.get("/api/schema/?format=json").json()
    get = schema["paths"]["/api/v1/plans/{id}/export/"]["get"]
    parameter = next(p for p in get["parameters"] if p["name"] == "format")
    assert sorted(parameter["schema"]["enum"]) == ["md", "pdf", "pptx", "xlsx"]
    assert set(get["responses"]["200"]["content"]) == {
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/markdown",
    }
    assert set(get["responses"]) >= {"200", "400", "404"}

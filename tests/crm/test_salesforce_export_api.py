"""GET /api/v1/exports/salesforce/: the same files as a zip, for sales ops and
administrators only."""

import io
import zipfile

import pytest

from keyplan.crm.models import SalesforceExport
from keyplan.people.choices import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/salesforce/"


def test_sales_ops_download_the_files_as_a_zip(crm, api_client):
    ops = UserFactory(username="ops", role=Role.SALES_OPS)
    api_client.force_authenticate(ops)
    response = api_client.get(URL, {"since": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="keyplan-salesforce-')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        ["Contact.csv", "Opportunity.csv", "Task.csv", "Event.csv", "skipped.csv", "README.txt"]
    )
    opportunities = archive.read("Opportunity.csv").decode("utf-8")
    assert f"kp-opportunity-{crm.opportunity.pk}" in opportunities
    assert SalesforceExport.objects.get().user == ops


@pytest.mark.parametrize("role", [Role.REP, Role.MANAGER, Role.EXECUTIVE])
def test_others_are_refused_with_the_reason(crm, api_client, role):
    api_client.force_authenticate(UserFactory(username=f"u-{role}", role=role))
    response = api_client.get(URL)
    assert response.status_code == 403
    assert "Only administrators and sales operations export" in response.json()["detail"]
    assert not SalesforceExport.objects.exists()


def test_a_bad_since_is_a_400_saying_why(crm, api_client):
    api_client.force_authenticate(UserFactory(username="admin1", role=Role.ADMIN))
    response = api_client.get(URL, {"since": "last week"})
    assert response.status_code == 400
    assert response.json()["since"][0].startswith("“last week” is not a date")
    assert not SalesforceExport.objects.exists()

"""The imports page offers sales ops the Salesforce files; a bad date says why and
exports nothing; others are refused."""

import io
import zipfile

import pytest
from django.utils import timezone

from keyplan.crm.models import SalesforceExport
from keyplan.people.choices import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/crm/salesforce-export/"


def test_sales_ops_download_the_zip_from_the_imports_page(crm, client):
    ops = UserFactory(username="ops", role=Role.SALES_OPS, first_name="Olga", last_name="Ops")
    client.force_login(ops)
    page = client.get("/imports/").content.decode()
    assert "No export yet: the first holds everything keyplan made." in page
    response = client.get(URL, {"since": ""})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "Predictive maintenance" in archive.read("Opportunity.csv").decode()
    page = client.get("/imports/").content.decode()
    last = SalesforceExport.objects.get()
    when = timezone.localtime(last.at)
    assert f"Last export: {when:%Y-%m-%d %H:%M} by Olga Ops." in page


def test_a_date_in_the_future_is_refused_with_the_reason(crm, client):
    client.force_login(UserFactory(username="admin1", role=Role.ADMIN))
    page = client.get(URL, {"since": "2999-01-01"}, follow=True).content.decode()
    assert "is in the future: nothing has changed since then. Nothing was exported." in page
    assert not SalesforceExport.objects.exists()


def test_a_rep_is_refused(crm, client):
    client.force_login(crm.sam)
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only administrators and sales operations export" in response.content.decode()
    assert not SalesforceExport.objects.exists()

"""Exports from the web go through the visibility rule."""

import csv
import io
import json

import pytest

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_rep_exports_only_what_they_may_see(client, org):
    ContactFactory(account=org.mine, last_name="Visible")
    ContactFactory(account=org.theirs, last_name="Hidden")
    client.force_login(org.rep)
    names = {r["name"] for r in rows(client.get("/exports/accounts/"))}
    assert names == {"Mine Group", "Mine Division"}
    contacts = {r["last_name"] for r in rows(client.get("/exports/contacts/"))}
    assert contacts == {"Visible"}


def test_users_export_is_for_people_managers_only(client, org):
    client.force_login(org.rep)
    assert client.get("/exports/users/").status_code == 404
    client.force_login(org.ops)
    assert {r["username"] for r in rows(client.get("/exports/users/"))} >= {"rep", "ops"}


def test_json_and_xlsx_formats(client, org):
    client.force_login(org.executive)
    data = json.loads(client.get("/exports/accounts/?format=json").content)
    assert len(data) == 4
    response = client.get("/exports/accounts/?format=xlsx")
    assert response["Content-Disposition"].endswith('accounts.xlsx"')
    assert client.get("/exports/nothing/").status_code == 404

"""The audit log: sign-ins, permission-relevant changes to users, shown to administrators
(filterable, paginated) and exported as formula-safe CSV."""

import csv
import datetime
import io

import pytest
from django.test import Client

from keyplan.audit.models import AuditEvent
from keyplan.people.choices import Role
from keyplan.people.models import User
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org):
    return UserFactory(username="admin", role=Role.ADMIN)


def test_sign_ins_failures_and_lockouts_are_recorded_with_the_address(org):
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post("/login/", {"username": "rep", "password": "pw"})
    for n in range(5):
        client.post("/login/", {"username": "rep2", "password": f"guess-{n}"})

    signed_in = AuditEvent.objects.get(action="signed_in")
    assert (signed_in.user, signed_in.source) == (org.rep, "10.1.2.3")
    failed = AuditEvent.objects.filter(action="sign_in_failed")
    assert failed.count() >= 4 and {e.username for e in failed} == {"rep2"}
    locked = AuditEvent.objects.get(action="locked_out")
    assert (locked.username, locked.source) == ("rep2", "10.1.2.3")


def test_behind_a_trusted_proxy_the_log_records_the_address_the_lockout_sees(org, settings):
    """One rule for where a request came from: behind the reverse proxy the deployment
    trusts, a sign-in is logged from the client's address, not the proxy's."""
    settings.KEYPLAN_TRUSTED_PROXIES = 1
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    client.post("/login/", {"username": "rep", "password": "pw"})
    assert AuditEvent.objects.get(action="signed_in").source == "203.0.113.7"


def test_role_team_manager_active_and_password_changes_are_recorded(org, client):
    login(client, org.ops)
    client.post(
        f"/people/{org.rep.pk}/edit/",
        {
            "username": "rep",
            "first_name": org.rep.first_name,
            "last_name": org.rep.last_name,
            "email": "rep@example.com",
            "role": "manager",
            "team": "",
            "manager": "",
            "weekly_hours": "40",
            "password": "a-long-Secret-2026",
        },
    )
    rep = User.objects.get(pk=org.rep.pk)
    assert rep.role == "manager", "the edit went through"
    changed = AuditEvent.objects.get(
        action="user_changed", object_id=str(rep.pk), summary__startswith="role"
    )
    assert changed.user == org.ops
    assert "role: Sales rep → Sales manager" in changed.summary
    assert "team: Enterprise → —" in changed.summary
    assert f"manager: {org.manager} → —" in changed.summary
    assert "active: yes → no" in changed.summary
    assert AuditEvent.objects.filter(action="password_set", object_id=str(rep.pk)).exists()


def test_only_administrators_read_the_log_filtered_and_paginated(org, admin, client):
    for n in range(60):
        AuditEvent.objects.create(action="signed_in", username=f"user{n:02}", source="10.0.0.1")
    AuditEvent.objects.create(action="deleted", username="ops", object_label="Acme Corp")

    assert login(client, org.ops).get("/audit-log/").status_code == 403
    web = login(client, admin)
    assert 'href="/audit-log/"' in web.get("/people/").content.decode()
    page = web.get("/audit-log/").content.decode()
    assert "Page 1 of 2" in page
    only_deletes = web.get("/audit-log/?action=deleted").content.decode()
    assert "Acme Corp" in only_deletes and "user05" not in only_deletes
    assert "not a date" in web.get("/audit-log/?from=yesterday").content.decode()


def test_the_csv_export_is_formula_safe(org, admin, client):
    AuditEvent.objects.create(
        action="deleted", username="ops", object_label='=HYPERLINK("http://evil")'
    )
    response = login(client, admin).get("/audit-log/export.csv?action=deleted")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["when (UTC)", "who", "what"]
    assert rows[1][2] == "Deleted"
    assert rows[1][5] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize("zone, shown", [("UTC", "14:36:26"), ("Europe/Berlin", "15:36:26")])
def test_the_csv_export_gives_the_time_as_a_spreadsheet_reads_it_in_the_named_zone(
    org, admin, client, settings, zone, shown
):
    settings.TIME_ZONE = zone
    at = datetime.datetime(2026, 12, 6, 14, 36, 26, 512000, tzinfo=datetime.UTC)
    AuditEvent.objects.filter(
        pk=AuditEvent.objects.create(action="deleted", username="ops").pk
    ).update(at=at)
    rows = list(
        csv.reader(
            io.StringIO(
                login(client, admin).get("/audit-log/export.csv?action=deleted").content.decode()
            )
        )
    )
    assert rows[0][0] == f"when ({zone})"
    assert rows[1][0] == f"2026-12-06 {shown}"


def test_a_lockout_is_one_line_however_often_the_locked_name_is_tried(org):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for n in range(9):
        client.post("/login/", {"username": "rep2", "password": f"guess-{n}"})
    assert AuditEvent.objects.filter(action="locked_out").count() == 1
    # Another address locking the same name out is another event.
    other = Client(REMOTE_ADDR="10.9.9.9")
    for n in range(6):
        other.post("/login/", {"username": "rep2", "password": f"guess-{n}"})
    assert AuditEvent.objects.filter(action="locked_out").count() == 2


def test_the_log_names_people_and_finds_them_by_name(org, admin, client):
    client.post("/login/", {"username": "rep", "password": "pw"})
    name = org.rep.get_full_name()
    web = login(Client(), admin)
    page = web.get("/audit-log/?action=signed_in").content.decode()
    assert name in page
    by_name = web.get(f"/audit-log/?action=signed_in&user={org.rep.last_name}")
    assert name in by_name.content.decode()
    assert admin.get_full_name() not in by_name.content.decode().split("<tbody>")[1]
    rows = list(
        csv.reader(
            io.StringIO(web.get(f"/audit-log/export.csv?user={org.rep.last_name}").content.decode())
        )
    )
    assert rows[0][1] == "who" and rows[0][-1] == "user name"
    assert (rows[1][1], rows[1][-1]) == (name, "rep")


def test_who_finds_a_person_by_the_full_name_the_log_shows(org, admin, client):
    """An administrator copies "First Last" from the Who column into the Who filter: the
    person's events are found, on the page and in the export (each word may be any part
    of the name or the user name)."""
    client.post("/login/", {"username": "rep", "password": "pw"})
    name = org.rep.get_full_name()
    assert " " in name
    web = login(Client(), admin)
    page = web.get("/audit-log/", {"action": "signed_in", "user": name}).content.decode()
    assert "No events match" not in page
    assert name in page.split("<tbody>")[1]
    assert admin.get_full_name() not in page.split("<tbody>")[1]
    exported = web.get("/audit-log/export.csv", {"user": f"  {name.upper()} "}).content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert [row[1] for row in rows[1:]] == [name]
    # Words of two different people find neither.
    mixed = f"{org.rep.first_name} {admin.last_name}"
    assert "No events match" in web.get("/audit-log/", {"user": mixed}).content.decode()

"""Only admins and sales ops change users and teams."""

import pytest

from keyplan.people.models import Team, User

pytestmark = pytest.mark.django_db


def test_reps_managers_and_executives_may_not_manage_people(client, org):
    for user in (org.rep, org.manager, org.executive):
        client.force_login(user)
        for url in ("/people/", "/people/new/", f"/people/{org.rep.pk}/edit/", "/teams/new/"):
            response = client.get(url)
            assert response.status_code == 403, (user.username, url)
            # The 403 page says why (it used to say only "You are not allowed …").
            assert b"Only administrators and sales operations change users." in response.content
        response = client.post(f"/people/{org.rep.pk}/edit/", {"username": "x", "role": "admin"})
        assert response.status_code == 403
    org.rep.refresh_from_db()
    assert org.rep.role == "rep"
    assert "People" not in client.get("/").content.decode()


def test_sales_ops_creates_a_rep_who_can_then_sign_in(client, org):
    client.force_login(org.ops)
    response = client.post(
        "/people/new/",
        {
            "username": "newrep",
            "first_name": "New",
            "last_name": "Rep",
            "email": "newrep@example.com",
            "role": "rep",
            "team": Team.objects.get(name="Enterprise").pk,
            "manager": org.manager.pk,
            "weekly_hours": "25",
            "is_active": "on",
            "password": "a-long-Secret-2026",
        },
    )
    assert response.status_code == 302
    assert client.login(username="newrep", password="a-long-Secret-2026")
    newrep = User.objects.get(username="newrep")
    assert newrep.manager == org.manager and newrep.weekly_hours == 25


def test_weak_password_and_bad_hours_are_refused(client, org):
    client.force_login(org.ops)
    response = client.post(
        "/people/new/",
        {"username": "weak", "role": "rep", "weekly_hours": "200", "password": "123"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "password" in errors and "weekly_hours" in errors
    assert not User.objects.filter(username="weak").exists()


def test_management_cycle_is_refused(client, org):
    client.force_login(org.ops)
    response = client.post(
        f"/people/{org.manager.pk}/edit/",
        {
            "username": "manager",
            "role": "manager",
            "weekly_hours": "20",
            "manager": org.rep.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "cycle" in str(response.context["form"].errors["manager"])
    org.manager.refresh_from_db()
    assert org.manager.manager is None

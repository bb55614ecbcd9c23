"""Signing in and out, and what a user sees when something is wrong: plain pages,
never a stack trace."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_need_a_signed_in_user(client, org):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/accounts/")


def test_login_with_wrong_password_says_so(client, org):
    response = client.post("/login/", {"username": "rep", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_login_then_logout(client, org):
    response = client.post("/login/", {"username": "rep", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert b"Mine Group" in home.content
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_unknown_url_and_malformed_ids_are_404(client, org):
    client.force_login(org.rep)
    for url in ("/no-such-page/", "/accounts/abc/", "/accounts/999999999/", "/contacts/-1/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Traceback" not in response.content


def test_wrong_method_is_405(client, org):
    client.force_login(org.rep)
    assert client.post("/accounts/").status_code == 405
    assert client.delete(f"/accounts/{org.mine.pk}/").status_code == 405
    assert client.put("/").status_code == 405


def test_forms_need_a_csrf_token(org):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(org.rep)
    response = strict.post(f"/accounts/{org.mine.pk}/edit/", {"name": "No token"})
    assert response.status_code == 403
    org.mine.refresh_from_db()
    assert org.mine.name == "Mine Group"


def test_an_unexpected_failure_shows_a_plain_500_page(client, org, monkeypatch):
    from keyplan.accounts import selectors

    def explode(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "sales_by_month", explode)
    client.raise_request_exception = False
    client.force_login(org.rep)
    response = client.get(f"/accounts/{org.mine.pk}/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "database on fire" not in body and "Traceback" not in body

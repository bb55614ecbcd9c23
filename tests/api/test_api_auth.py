"""Signing in to the API: a token from /api/v1/auth/token/ or the web session; without
either, 401 with a WWW-Authenticate header telling the client to send a token."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from keyplan.accounts.models import Account

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "accounts",
    "contacts",
    "interactions",
    "products",
    "product-lines",
    "sale-lines",
    "opportunities",
    "users",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unauthenticated_requests_get_401_with_a_token_challenge(api_client, org, endpoint):
    for response in (
        api_client.get(f"/api/v1/{endpoint}/"),
        api_client.get(f"/api/v1/{endpoint}/1/"),
        api_client.post(f"/api/v1/{endpoint}/", {}, format="json"),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json() == {"detail": "Authentication credentials were not provided."}


def token_for(username, password="pw"):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password})


def test_a_token_signs_in_as_its_user(org):
    response = token_for("rep")
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    names = {row["name"] for row in client.get("/api/v1/accounts/").json()["results"]}
    assert names == {"Mine Group", "Mine Division"}
    created = client.post("/api/v1/accounts/", {"name": "By token"}, format="json")
    assert created.status_code == 201  # no CSRF token needed with a token
    assert Account.objects.get(name="By token").owner == org.rep


def test_asking_twice_gives_two_tokens_that_both_work(org):
    # Two scripts of one person each sign in; neither's token ends the other's.
    first, second = token_for("rep").json()["token"], token_for("rep").json()["token"]
    assert first != second
    for token in (first, second):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/accounts/").status_code == 200


def test_wrong_password_gets_no_token(org):
    response = token_for("rep", password="guess")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert "Unable to log in" in response.json()["non_field_errors"][0]


def test_a_user_who_left_gets_no_token_and_their_token_stops_working(org):
    token = token_for("rep").json()["token"]
    org.rep.is_active = False
    org.rep.save()
    assert token_for("rep").status_code == 400
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/accounts/").status_code == 401


def test_an_unknown_token_is_401(org):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    response = client.get("/api/v1/accounts/")
    assert response.status_code == 401 and response.json() == {"detail": "Invalid token."}


def test_the_web_session_signs_in_too(org):
    browser = Client()
    browser.force_login(org.rep)
    response = browser.get("/api/v1/accounts/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == {"Mine Group", "Mine Division"}


def test_session_writes_need_the_csrf_token(org):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org.rep)
    response = browser.post(
        "/api/v1/accounts/", {"name": "Forged"}, content_type="application/json"
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Account.objects.filter(name="Forged").exists()


def test_the_browsable_api_renders_for_a_signed_in_user(org):
    browser = Client()
    browser.force_login(org.rep)
    response = browser.get("/api/v1/accounts/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "Mine Group" in response.content.decode()

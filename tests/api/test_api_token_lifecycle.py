"""API tokens expire, can be revoked by their owner or an administrator, and die when the
password changes (whoever changes it)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from keyplan.people.models import ApiToken
from keyplan.people.tokens import token_digest

pytestmark = pytest.mark.django_db


def token_for(username, password="pw"):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password})


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_says_when_it_expires(org):
    body = token_for("rep").json()
    assert set(body) == {"token", "expires"}
    expires = datetime.datetime.fromisoformat(body["expires"])
    assert abs(expires - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(
        minutes=1
    )


def test_an_expired_token_is_refused_with_a_clear_message(org):
    token = token_for("rep").json()["token"]
    ApiToken.objects.filter(digest=token_digest(token)).update(
        created=timezone.now() - datetime.timedelta(days=31)
    )
    response = with_token(token).get("/api/v1/accounts/")
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert detail.startswith("This token expired on ")
    assert "Ask for a new one with POST /api/v1/auth/token/." in detail

    # Asking again gives a new token, which works.
    fresh = token_for("rep").json()["token"]
    assert fresh != token
    assert with_token(fresh).get("/api/v1/accounts/").status_code == 200


def test_the_lifetime_is_a_setting(org, settings):
    settings.KEYPLAN_API_TOKEN_DAYS = 1
    token = token_for("rep").json()["token"]
    ApiToken.objects.filter(digest=token_digest(token)).update(
        created=timezone.now() - datetime.timedelta(hours=25)
    )
    assert with_token(token).get("/api/v1/accounts/").status_code == 401


def test_the_owner_revokes_their_token(org):
    token = token_for("rep").json()["token"]
    client = with_token(token)
    response = client.delete("/api/v1/auth/token/")
    assert response.status_code == 204
    refused = client.get("/api/v1/accounts/")
    assert refused.status_code == 401 and refused.json() == {"detail": "Invalid token."}
    assert not ApiToken.objects.filter(user=org.rep).exists()


def test_revoking_needs_a_signed_in_user(org):
    token_for("rep")
    response = APIClient().delete("/api/v1/auth/token/")
    assert response.status_code == 401
    assert ApiToken.objects.filter(user=org.rep).exists()


def test_an_administrator_revokes_a_token_on_the_people_page(org):
    token = token_for("rep").json()["token"]
    admin = Client()
    admin.force_login(org.ops)
    page = admin.get(f"/people/{org.rep.pk}/edit/").content.decode()
    assert f"API token {token[:8]}… issued" in page and "expires" in page
    assert token not in page
    response = admin.post(f"/people/{org.rep.pk}/revoke-token/", follow=True)
    page = response.content.decode()
    assert f"1 API token of {org.rep.get_full_name()} revoked." in page
    assert "No API token." in page
    assert with_token(token).get("/api/v1/accounts/").status_code == 401


def test_a_rep_cannot_revoke_someone_elses_token(org):
    token = token_for("rep").json()["token"]
    other = Client()
    other.force_login(org.rep2)
    assert other.post(f"/people/{org.rep.pk}/revoke-token/").status_code == 403
    assert with_token(token).get("/api/v1/accounts/").status_code == 200


def test_an_administrator_setting_a_password_ends_the_token(org):
    token = token_for("rep").json()["token"]
    admin = Client()
    admin.force_login(org.ops)
    response = admin.post(
        f"/people/{org.rep.pk}/edit/",
        {
            "username": "rep",
            "role": "rep",
            "weekly_hours": "20",
            "is_active": "on",
            "password": "a-new-Secret-2026",
        },
    )
    assert response.status_code == 302
    assert with_token(token).get("/api/v1/accounts/").status_code == 401
    assert token_for("rep", "a-new-Secret-2026").status_code == 200


def test_any_password_change_ends_the_token(org):
    token = token_for("rep").json()["token"]
    org.rep.set_password("changed-Secret-2026")
    org.rep.save()
    assert with_token(token).get("/api/v1/accounts/").status_code == 401


def test_editing_a_person_without_touching_the_password_keeps_the_token(org):
    token = token_for("rep").json()["token"]
    org.rep.title = "Key account manager"
    org.rep.save()
    assert with_token(token).get("/api/v1/accounts/").status_code == 200


def test_a_person_made_inactive_loses_their_token_as_the_form_says(org):
    token = token_for("rep").json()["token"]
    admin = Client()
    admin.force_login(org.ops)
    form = admin.get(f"/people/{org.rep.pk}/edit/").content.decode()
    assert "their API token stops working" in form
    org.rep.is_active = False
    org.rep.save()
    assert with_token(token).get("/api/v1/accounts/").status_code == 401

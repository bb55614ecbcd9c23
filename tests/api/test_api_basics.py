"""Authentication, errors, pagination, query counts and the OpenAPI schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from keyplan.people.models import User
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_unauthenticated_requests_get_401(api_client, org):
    response = api_client.get("/api/v1/accounts/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_authentication(org):
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "rep", "password": "pw"}).json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    names = {row["name"] for row in client.get("/api/v1/accounts/").json()["results"]}
    assert names == {"Mine Group", "Mine Division"}
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert bad.get("/api/v1/accounts/").status_code == 401


def test_errors_are_json_and_plain(api_client, org):
    api_client.force_authenticate(org.rep)
    assert api_client.get("/api/v1/accounts/abc/").status_code == 404
    assert api_client.get("/api/v1/nothing/").status_code == 404
    response = api_client.put("/api/v1/users/1/", {}, format="json")
    assert response.status_code == 405
    assert "not allowed" in response.json()["detail"]


def test_pagination_is_bounded(api_client, org):
    for i in range(12):
        AccountFactory(owner=org.rep, name=f"Paged {i}")
    api_client.force_authenticate(org.rep)
    page = api_client.get("/api/v1/accounts/?page_size=5").json()
    assert page["count"] == 14 and len(page["results"]) == 5 and page["next"]
    huge = api_client.get("/api/v1/accounts/?page_size=100000").json()
    assert len(huge["results"]) == 14  # capped at 500, here all 14


@pytest.mark.parametrize("endpoint", ["accounts", "contacts"])
def test_list_queries_do_not_grow_with_rows(api_client, org, endpoint):
    api_client.force_authenticate(org.rep)

    def count():
        # A fresh user object per request, as in production (the scope is cached on it).
        api_client.force_authenticate(User.objects.get(pk=org.rep.pk))
        with CaptureQueriesContext(connection) as ctx:
            assert api_client.get(f"/api/v1/{endpoint}/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        ContactFactory(account=AccountFactory(owner=org.rep, parent=org.mine))
    few = count()
    for _ in range(20):
        ContactFactory(account=AccountFactory(owner=org.rep, parent=org.mine))
    assert count() == few


def test_schema_describes_every_endpoint_and_docs_are_offline(client, org):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for name in (
        "accounts",
        "contacts",
        "interactions",
        "products",
        "product-lines",
        "sale-lines",
        "opportunities",
        "users",
        "imports",
    ):
        assert f"/api/v1/{name}/" in paths and f"/api/v1/{name}/{{id}}/" in paths
    client.force_login(org.rep)
    docs = client.get("/api/docs/").content.decode()
    import re

    assets = re.findall(r'(?:src|href)="([^"]+)"', docs)
    assert assets and all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset

"""Errors a client can act on: 404 for malformed or unknown ids, 405 for methods an
endpoint does not have, 400 with field errors for invalid input, and never a 500."""

import pytest

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
HUGE = 10**30  # beyond any database integer


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("bad_id", ["abc", "1.5", "-1", "0", str(HUGE), "%20"])
def test_malformed_and_unknown_ids_are_404(as_user, org, endpoint, bad_id):
    response = as_user(org.executive).get(f"/api/v1/{endpoint}/{bad_id}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_unknown_endpoints_are_json_404(as_user, org):
    response = as_user(org.rep).get("/api/v1/nothing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is nothing here, or it is not visible to you."}


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("put", "/api/v1/accounts/"),
        ("patch", "/api/v1/contacts/"),
        ("delete", "/api/v1/opportunities/"),
        ("post", "/api/v1/accounts/{pk}/"),
        ("post", "/api/v1/users/"),
        ("delete", "/api/v1/users/{pk}/"),
        ("get", "/api/v1/auth/token/"),
    ],
)
def test_methods_an_endpoint_does_not_have_are_405(as_user, org, method, url):
    response = getattr(as_user(org.ops), method)(url.format(pk=org.mine.pk), {}, format="json")
    assert response.status_code == 405
    assert "not allowed" in response.json()["detail"]


def test_malformed_json_is_400_and_nothing_changes(as_user, org):
    url = f"/api/v1/accounts/{org.mine.pk}/"
    response = as_user(org.rep).generic(
        "PATCH", url, '{"name": "X",', content_type="application/json"
    )
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]
    org.mine.refresh_from_db()
    assert org.mine.name == "Mine Group"


def test_unsupported_media_type_is_415(as_user, org):
    response = as_user(org.rep).generic(
        "POST", "/api/v1/accounts/", "name=X", content_type="text/plain"
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    "query",
    [
        "owner=abc",
        f"owner={HUGE}",
        "within=abc",
        f"within={HUGE}",
        f"parent={HUGE}",
        "parent=1.5",
        "kind=galaxy",
        "q=%00",
    ],
)
def test_invalid_filters_are_400_with_the_field_named(as_user, org, query):
    response = as_user(org.rep).get(f"/api/v1/accounts/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/contacts/?account={HUGE}",
        f"/api/v1/interactions/?contact={HUGE}",
        "/api/v1/interactions/?date_after=2026-13-01",
        f"/api/v1/sale-lines/?product_line={HUGE}",
        f"/api/v1/sale-lines/?product={HUGE}",
        "/api/v1/opportunities/?status=maybe",
        "/api/v1/opportunities/?close_before=soon",
        f"/api/v1/products/?product_line={HUGE}",
        "/api/v1/users/?role=king",
    ],
)
def test_invalid_filters_on_every_endpoint_are_400(as_user, org, url):
    assert as_user(org.executive).get(url).status_code == 400


@pytest.mark.parametrize(
    "query", ["page=abc", "page=999", "page=0", "page_size=abc", "page_size=-1", "ordering=zzz"]
)
def test_odd_paging_and_ordering_never_break_the_list(as_user, org, query):
    response = as_user(org.rep).get(f"/api/v1/accounts/?{query}")
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "text",
        {"name": ["a list"]},
        {"name": "x", "parent": "abc"},
        {"name": "x", "parent": True},
        {"name": "x", "parent": {"id": 1}},
        {"name": "x", "parent": HUGE},
        {"name": "x", "owner": HUGE},
        {"name": "x", "employees": HUGE},
        {"name": "x", "annual_revenue": "NaN"},
        {"name": "x", "annual_revenue": "1e30"},
        {"name": "x" * 300},
        {"name": "nul\x00byte"},
    ],
)
def test_nonsense_account_data_is_400_and_nothing_is_created(as_user, org, payload):
    response = as_user(org.rep).post("/api/v1/accounts/", payload, format="json")
    assert response.status_code == 400
    assert response.json()  # says what is wrong
    assert Account.objects.count() == 4


@pytest.mark.parametrize(
    "payload",
    [
        {"contacts": [HUGE]},
        {"contacts": "abc"},
        {"participants": [HUGE]},
        {"date": "2026-02-30"},
    ],
)
def test_nonsense_interaction_data_is_400(as_user, org, payload):
    body = {"account": org.mine.pk, "kind": "call", "date": "2026-01-01", "contacts": []}
    response = as_user(org.rep).post("/api/v1/interactions/", {**body, **payload}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "payload",
    [
        {"amount": "99999999999999999999"},
        {"probability": 500},
        {"product": HUGE},
        {"stage": "x" * 100},
        {"created_date": None},
    ],
)
def test_nonsense_opportunity_data_is_400(as_user, org, payload):
    body = {
        "account": org.mine.pk,
        "name": "Deal",
        "amount": "1.00",
        "created_date": "2026-01-01",
        "close_date": "2026-01-31",
    }
    response = as_user(org.rep).post("/api/v1/opportunities/", {**body, **payload}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(payload)

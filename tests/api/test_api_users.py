"""The people list, so clients can resolve owner and participant ids: read-only, and
nothing personal beyond name, role and team."""

import pytest

pytestmark = pytest.mark.django_db


def test_users_resolve_owner_ids(as_user, org):
    account = as_user(org.rep).get(f"/api/v1/accounts/{org.mine.pk}/").json()
    user = as_user(org.rep).get(f"/api/v1/users/{account['owner']}/").json()
    assert user == {
        "id": org.rep.pk,
        "username": "rep",
        "name": str(org.rep),
        "role": "rep",
        "team": "Enterprise",
        "is_active": True,
    }


def test_users_filter_by_role_and_team(as_user, org):
    client = as_user(org.rep)
    reps = client.get("/api/v1/users/?role=rep").json()["results"]
    assert {u["username"] for u in reps} == {"rep", "rep2", "other"}
    team = client.get(f"/api/v1/users/?team={org.team.pk}").json()["results"]
    assert {u["username"] for u in team} == {"rep", "rep2"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_users_are_read_only(as_user, org, method):
    client = as_user(org.ops)
    url = "/api/v1/users/" if method == "post" else f"/api/v1/users/{org.rep.pk}/"
    response = getattr(client, method)(url, {"role": "admin"}, format="json")
    assert response.status_code == 405
    org.rep.refresh_from_db()
    assert org.rep.role == "rep"

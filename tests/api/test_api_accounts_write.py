"""Creating, changing and deleting accounts through the API: through accounts.services
(lineage and depth stay right), with field errors that change nothing."""

import pytest

from keyplan.accounts.models import Account, AccountLineage, Contact
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def test_rep_creates_an_account_they_own_and_can_open(as_user, org):
    client = as_user(org.rep)
    response = client.post(
        "/api/v1/accounts/",
        {"name": "Newco", "country": "France", "annual_revenue": "1250000.50"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == org.rep.pk and body["owner_name"] == str(org.rep)
    assert body["annual_revenue"] == "1250000.50"  # money as a string, never a float
    assert body["depth"] == 0 and body["parent"] is None
    assert client.get(f"/api/v1/accounts/{body['id']}/").status_code == 200


def test_account_created_under_a_visible_parent_joins_its_hierarchy(as_user, org):
    client = as_user(org.rep)
    response = client.post(
        "/api/v1/accounts/",
        {"name": "Mine Plant", "parent": org.mine_child.pk, "kind": "budget_centre"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parent_name"] == "Mine Division" and body["depth"] == 2
    plant = Account.objects.get(pk=body["id"])
    # The lineage closure knows every ancestor, so the plant is "within" Mine Group.
    assert set(
        AccountLineage.objects.filter(descendant=plant).values_list("ancestor_id", flat=True)
    ) == {plant.pk, org.mine_child.pk, org.mine.pk}
    within = client.get(f"/api/v1/accounts/?within={org.mine.pk}").json()
    assert {row["name"] for row in within["results"]} == {
        "Mine Group",
        "Mine Division",
        "Mine Plant",
    }


def test_invalid_account_gets_field_errors_and_nothing_changes(as_user, org):
    client = as_user(org.rep)
    response = client.patch(
        f"/api/v1/accounts/{org.mine.pk}/",
        {"name": "", "employees": -3, "website": "nope", "kind": "galaxy"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "employees", "website", "kind"}
    org.mine.refresh_from_db()
    assert org.mine.name == "Mine Group" and org.mine.employees == 1000


def test_creating_without_a_name_is_refused(as_user, org):
    response = as_user(org.rep).post("/api/v1/accounts/", {"country": "Spain"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["This field is required."]}
    assert Account.objects.count() == 4


def test_duplicate_external_id_is_refused(as_user, org):
    response = as_user(org.rep).post(
        "/api/v1/accounts/", {"name": "Copy", "external_id": org.mine.external_id}, format="json"
    )
    assert response.status_code == 400 and "external_id" in response.json()


def test_parent_cycle_is_refused_and_the_hierarchy_is_unchanged(as_user, org):
    client = as_user(org.rep)
    response = client.patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"parent": org.mine_child.pk}, format="json"
    )
    assert response.status_code == 400
    assert "cycle" in response.json()["parent"][0]
    itself = client.patch(f"/api/v1/accounts/{org.mine.pk}/", {"parent": org.mine.pk})
    assert itself.status_code == 400 and "cycle" in itself.json()["parent"][0]
    org.mine.refresh_from_db()
    assert org.mine.parent is None and org.mine.depth == 0


def test_moving_an_account_moves_its_subtree(as_user, org):
    new_top = AccountFactory(name="Mine Holding", owner=org.rep)
    client = as_user(org.rep)
    response = client.patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"parent": new_top.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["depth"] == 1 and response.json()["parent_name"] == "Mine Holding"
    child = client.get(f"/api/v1/accounts/{org.mine_child.pk}/").json()
    assert child["depth"] == 2
    within = client.get(f"/api/v1/accounts/?within={new_top.pk}").json()
    assert within["count"] == 3


def test_full_update_with_put(as_user, org):
    client = as_user(org.rep)
    current = client.get(f"/api/v1/accounts/{org.mine.pk}/").json()
    payload = {k: v for k, v in current.items() if v is not None}
    payload.update(name="Mine Group AG", region="DACH")
    response = client.put(f"/api/v1/accounts/{org.mine.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    org.mine.refresh_from_db()
    assert (org.mine.name, org.mine.region, org.mine.owner) == ("Mine Group AG", "DACH", org.rep)


def test_rep_cannot_hand_an_account_to_someone_else(as_user, org):
    client = as_user(org.rep)
    response = client.patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"owner": org.other.pk}, format="json"
    )
    assert response.status_code == 403
    assert "managers" in response.json()["detail"]
    created = client.post(
        "/api/v1/accounts/", {"name": "Gift", "owner": org.other.pk}, format="json"
    )
    assert created.status_code == 403
    org.mine.refresh_from_db()
    assert org.mine.owner == org.rep
    assert not Account.objects.filter(name="Gift").exists()


def test_manager_reassigns_an_account_within_the_team(as_user, org):
    response = as_user(org.manager).patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"owner": org.rep2.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["owner_name"] == str(org.rep2)
    listed = as_user(org.rep2).get("/api/v1/accounts/").json()
    assert "Mine Group" in {row["name"] for row in listed["results"]}


def test_only_sales_ops_delete_accounts(as_user, org):
    response = as_user(org.rep).delete(f"/api/v1/accounts/{org.mine_child.pk}/")
    assert response.status_code == 403
    assert Account.objects.filter(pk=org.mine_child.pk).exists()


def test_deleting_an_account_with_accounts_under_it_is_refused(as_user, org):
    response = as_user(org.ops).delete(f"/api/v1/accounts/{org.mine.pk}/")
    assert response.status_code == 400
    assert "1 account under it; move or delete it first" in response.json()["detail"]
    assert Account.objects.filter(pk=org.mine.pk).exists()


def test_sales_ops_delete_a_leaf_account_with_its_records(as_user, org):
    ContactFactory(account=org.mine_child)
    OpportunityFactory(account=org.mine_child)
    client = as_user(org.ops)
    assert client.delete(f"/api/v1/accounts/{org.mine_child.pk}/").status_code == 204
    assert client.get(f"/api/v1/accounts/{org.mine_child.pk}/").status_code == 404
    assert not Contact.objects.filter(account_id=org.mine_child.pk).exists()
    assert not AccountLineage.objects.filter(descendant_id=org.mine_child.pk).exists()

"""Every API endpoint that shows an account, or something under one, obeys the one
visibility rule (``visible_to``): another rep's records are 404 and absent from lists;
a manager sees their team's; an executive sees everything."""

import pytest

from keyplan.accounts.models import Contact, Interaction
from keyplan.sales.models import Opportunity, SaleLine
from tests.api.conftest import ACCOUNT_DATA_ENDPOINTS, listed_ids, records_at
from tests.factories import AccountFactory, AccountTeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("endpoint", ACCOUNT_DATA_ENDPOINTS)
def test_rep_gets_404_for_another_reps_record_and_does_not_list_it(as_user, org, records, endpoint):
    client = as_user(org.rep)
    for whose in ("theirs", "team"):
        hidden = records[whose][endpoint]
        response = client.get(f"/api/v1/{endpoint}/{hidden.pk}/")
        assert response.status_code == 404
        # The same answer as for an id that does not exist: nothing gives the record away.
        missing = client.get(f"/api/v1/{endpoint}/987654321/")
        assert response.json() == missing.json()
        assert hidden.pk not in listed_ids(client, endpoint)


@pytest.mark.parametrize("endpoint", ACCOUNT_DATA_ENDPOINTS)
def test_rep_sees_records_of_the_child_account_under_their_own(as_user, org, records, endpoint):
    client = as_user(org.rep)
    mine = records["mine"][endpoint]  # at Mine Division, which has no owner of its own
    assert client.get(f"/api/v1/{endpoint}/{mine.pk}/").status_code == 200
    assert mine.pk in listed_ids(client, endpoint)


def test_rep_account_list_is_exactly_their_hierarchy(as_user, org, records):
    grandchild = AccountFactory(name="Mine Plant", parent=org.mine_child, kind="budget_centre")
    response = as_user(org.rep).get("/api/v1/accounts/")
    names = [row["name"] for row in response.json()["results"]]
    assert names == ["Mine Division", "Mine Group", "Mine Plant"]
    assert response.json()["count"] == 3
    assert grandchild.pk in listed_ids(as_user(org.rep), "accounts")


@pytest.mark.parametrize("endpoint", ACCOUNT_DATA_ENDPOINTS)
def test_manager_sees_the_records_of_their_teams_reps_but_not_others(
    as_user, org, records, endpoint
):
    client = as_user(org.manager)
    listed = listed_ids(client, endpoint)
    assert records["mine"][endpoint].pk in listed
    assert records["team"][endpoint].pk in listed
    assert records["theirs"][endpoint].pk not in listed
    teammate_record = records["team"][endpoint]
    assert client.get(f"/api/v1/{endpoint}/{teammate_record.pk}/").status_code == 200
    theirs = records["theirs"][endpoint]
    assert client.get(f"/api/v1/{endpoint}/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize("endpoint", ACCOUNT_DATA_ENDPOINTS)
@pytest.mark.parametrize("who", ["executive", "ops"])
def test_executive_and_sales_ops_see_everything(as_user, org, records, endpoint, who):
    client = as_user(getattr(org, who))
    every = {records[whose][endpoint].pk for whose in ("mine", "team", "theirs")}
    assert every <= listed_ids(client, endpoint)
    theirs = records["theirs"][endpoint]
    assert client.get(f"/api/v1/{endpoint}/{theirs.pk}/").status_code == 200


@pytest.mark.parametrize("endpoint", ACCOUNT_DATA_ENDPOINTS)
def test_account_team_membership_grants_sight_of_the_account_and_its_records(
    as_user, org, records, endpoint
):
    client = as_user(org.rep)
    theirs = records["theirs"][endpoint]
    assert theirs.pk not in listed_ids(client, endpoint)
    AccountTeamMemberFactory(account=org.theirs, user=org.rep, role="solution_engineer")
    client = as_user(type(org.rep).objects.get(pk=org.rep.pk))  # a new request, a new scope
    assert theirs.pk in listed_ids(client, endpoint)
    assert client.get(f"/api/v1/{endpoint}/{theirs.pk}/").status_code == 200


def test_team_membership_shows_on_the_account(as_user, org):
    AccountTeamMemberFactory(account=org.theirs, user=org.rep, role="solution_engineer")
    account = as_user(org.rep).get(f"/api/v1/accounts/{org.theirs.pk}/").json()
    assert {"user": org.rep.pk, "username": "rep", "role": "solution_engineer"}.items() <= (
        account["team"][0].items()
    )


def test_a_manager_two_levels_up_sees_the_reps_accounts(as_user, org):
    from keyplan.people.choices import Role
    from tests.factories import UserFactory

    director = UserFactory(username="director", role=Role.MANAGER)
    org.manager.manager = director
    org.manager.save()
    listed = listed_ids(as_user(director), "accounts")
    assert {org.mine.pk, org.mine_child.pk, org.teammate.pk} <= listed
    assert org.theirs.pk not in listed


@pytest.mark.parametrize(
    ("endpoint", "field"),
    [
        ("contacts", "account"),
        ("interactions", "account"),
        ("sale-lines", "account"),
        ("opportunities", "account"),
        ("accounts", "within"),
        ("accounts", "parent"),
    ],
)
def test_filters_only_narrow_what_the_user_sees(as_user, org, records, endpoint, field):
    client = as_user(org.rep)
    response = client.get(f"/api/v1/{endpoint}/?{field}={org.theirs.pk}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("endpoint", "model"),
    [
        ("contacts", Contact),
        ("interactions", Interaction),
        ("sale-lines", SaleLine),
        ("opportunities", Opportunity),
    ],
)
def test_rep_cannot_change_or_delete_what_they_cannot_see(as_user, org, records, endpoint, model):
    client = as_user(org.rep)
    hidden = records["theirs"][endpoint]
    # Sale lines are written by sales ops and admins only (issue 14): 403 whatever the id.
    refused = 403 if endpoint == "sale-lines" else 404
    url = f"/api/v1/{endpoint}/{hidden.pk}/"
    assert client.patch(url, {}, format="json").status_code == refused
    assert client.put(url, {}, format="json").status_code == refused
    assert client.delete(url).status_code == refused
    assert model.objects.filter(pk=hidden.pk).exists()


def test_rep_cannot_rename_an_account_they_cannot_see(as_user, org):
    client = as_user(org.rep)
    response = client.patch(f"/api/v1/accounts/{org.theirs.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 404
    org.theirs.refresh_from_db()
    assert org.theirs.name == "Theirs Inc"


def test_a_user_without_a_team_or_accounts_sees_nothing(as_user, org, records):
    from tests.factories import UserFactory

    newcomer = UserFactory(username="newcomer")
    client = as_user(newcomer)
    for endpoint in ("accounts", "contacts", "interactions", "sale-lines", "opportunities"):
        assert listed_ids(client, endpoint) == set()


def test_records_of_a_new_account_under_a_visible_one_are_visible(as_user, org):
    plant = AccountFactory(name="Mine Plant", parent=org.mine_child)
    deal = records_at(plant)["opportunities"]
    assert deal.pk in listed_ids(as_user(org.rep), "opportunities")

"""Every API endpoint that shows an account, or something under one, obeys the
visibility rule: another rep's records are 404 and absent from lists."""

import pytest

from tests.factories import (
    AccountTeamMemberFactory,
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(org):
    def make(account):
        contact = ContactFactory(account=account)
        interaction = InteractionFactory(account=account)
        interaction.contacts.add(contact)
        return {
            "accounts": account,
            "contacts": contact,
            "interactions": interaction,
            "sale-lines": SaleLineFactory(account=account),
            "opportunities": OpportunityFactory(account=account),
        }

    return {"mine": make(org.mine_child), "team": make(org.teammate), "theirs": make(org.theirs)}


ENDPOINTS = ["accounts", "contacts", "interactions", "sale-lines", "opportunities"]


def ids(api_client, endpoint):
    response = api_client.get(f"/api/v1/{endpoint}/?page_size=500")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_rep_sees_own_and_gets_404_for_others(api_client, org, records, endpoint):
    api_client.force_authenticate(org.rep)
    mine, theirs = records["mine"][endpoint], records["theirs"][endpoint]
    assert api_client.get(f"/api/v1/{endpoint}/{mine.pk}/").status_code == 200
    response = api_client.get(f"/api/v1/{endpoint}/{theirs.pk}/")
    assert response.status_code == 404
    listed = ids(api_client, endpoint)
    assert mine.pk in listed and theirs.pk not in listed
    assert records["team"][endpoint].pk not in listed


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_manager_sees_the_team_but_not_others(api_client, org, records, endpoint):
    api_client.force_authenticate(org.manager)
    listed = ids(api_client, endpoint)
    assert records["mine"][endpoint].pk in listed and records["team"][endpoint].pk in listed
    assert records["theirs"][endpoint].pk not in listed


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_executive_sees_everything(api_client, org, records, endpoint):
    api_client.force_authenticate(org.executive)
    listed = ids(api_client, endpoint)
    assert {records[k][endpoint].pk for k in ("mine", "team", "theirs")} <= listed


def test_rep_cannot_change_or_delete_what_they_cannot_see(api_client, org, records):
    api_client.force_authenticate(org.rep)
    contact = records["theirs"]["contacts"]
    assert (
        api_client.patch(
            f"/api/v1/contacts/{contact.pk}/", {"title": "CEO"}, format="json"
        ).status_code
        == 404
    )
    assert (
        api_client.delete(
            f"/api/v1/opportunities/{records['theirs']['opportunities'].pk}/"
        ).status_code
        == 404
    )
    contact.refresh_from_db()
    assert contact.title != "CEO"


def test_team_membership_grants_sight(api_client, org, records):
    AccountTeamMemberFactory(account=org.theirs, user=org.rep, role="solution_engineer")
    api_client.force_authenticate(org.rep)
    assert api_client.get(f"/api/v1/accounts/{org.theirs.pk}/").status_code == 200
    assert records["theirs"]["contacts"].pk in ids(api_client, "contacts")


def test_filters_cannot_widen_visibility(api_client, org, records):
    api_client.force_authenticate(org.rep)
    response = api_client.get(f"/api/v1/contacts/?account={org.theirs.pk}")
    assert response.json()["count"] == 0

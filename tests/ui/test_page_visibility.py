"""Every page that shows an account, or something under one, obeys the visibility rule:
out-of-reach objects answer 404 and never appear in lists."""

import pytest

from tests.factories import (
    AccountTeamMemberFactory,
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(org):
    return {
        "mine": {
            "contact": ContactFactory(account=org.mine_child, last_name="Mineperson"),
            "opportunity": OpportunityFactory(account=org.mine_child, name="Mine deal"),
        },
        "theirs": {
            "contact": ContactFactory(account=org.theirs, last_name="Theirperson"),
            "opportunity": OpportunityFactory(account=org.theirs, name="Their deal"),
        },
    }


def detail_urls(account, contact, opportunity):
    return [
        f"/accounts/{account.pk}/",
        f"/accounts/{account.pk}/edit/",
        f"/accounts/{account.pk}/contacts/new/",
        f"/contacts/{contact.pk}/",
        f"/contacts/{contact.pk}/edit/",
        f"/opportunities/{opportunity.pk}/",
    ]


def test_rep_gets_404_for_another_reps_records(client, org, records):
    client.force_login(org.rep)
    theirs = records["theirs"]
    for url in detail_urls(org.theirs, theirs["contact"], theirs["opportunity"]):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"not visible to you" in response.content
        assert b"Traceback" not in response.content


def test_rep_cannot_post_to_another_reps_account(client, org):
    client.force_login(org.rep)
    response = client.post(f"/accounts/{org.theirs.pk}/edit/", {"name": "Hijacked"})
    assert response.status_code == 404
    org.theirs.refresh_from_db()
    assert org.theirs.name == "Theirs Inc"


def test_rep_sees_own_records_and_everything_under_own_accounts(client, org, records):
    client.force_login(org.rep)
    mine = records["mine"]
    # The contact and opportunity sit on the child division of the rep's group.
    for url in detail_urls(org.mine_child, mine["contact"], mine["opportunity"]):
        assert client.get(url).status_code == 200, url


def test_lists_show_only_visible_rows(client, org, records):
    client.force_login(org.rep)
    accounts = client.get("/accounts/").content.decode()
    assert "Mine Group" in accounts and "Mine Division" in accounts
    assert "Theirs Inc" not in accounts and "Teammate Corp" not in accounts
    contacts = client.get("/contacts/").content.decode()
    assert "Mineperson" in contacts and "Theirperson" not in contacts
    opportunities = client.get("/opportunities/").content.decode()
    assert "Mine deal" in opportunities and "Their deal" not in opportunities


def test_manager_sees_team_but_not_other_teams(client, org, records):
    client.force_login(org.manager)
    accounts = client.get("/accounts/").content.decode()
    assert "Mine Group" in accounts and "Teammate Corp" in accounts
    assert "Theirs Inc" not in accounts
    assert client.get(f"/accounts/{org.teammate.pk}/").status_code == 200
    assert client.get(f"/accounts/{org.theirs.pk}/").status_code == 404


def test_executive_and_ops_see_everything(client, org, records):
    for user in (org.executive, org.ops):
        client.force_login(user)
        accounts = client.get("/accounts/").content.decode()
        for name in ("Mine Group", "Teammate Corp", "Theirs Inc"):
            assert name in accounts
        assert client.get(f"/contacts/{records['theirs']['contact'].pk}/").status_code == 200


def test_account_team_membership_grants_sight(client, org):
    AccountTeamMemberFactory(account=org.theirs, user=org.rep, role="solution_engineer")
    client.force_login(org.rep)
    assert client.get(f"/accounts/{org.theirs.pk}/").status_code == 200


def test_interactions_of_hidden_accounts_do_not_leak_through_contacts(client, org):
    shared = ContactFactory(account=org.theirs)
    interaction = InteractionFactory(account=org.theirs, subject="Secret board meeting")
    interaction.contacts.add(shared)
    client.force_login(org.rep)
    assert client.get(f"/contacts/{shared.pk}/").status_code == 404
    home = client.get("/").content.decode()
    assert "Secret board meeting" not in home

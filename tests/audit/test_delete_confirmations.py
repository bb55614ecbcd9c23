"""Deleting an account or a contact on the web first shows what goes with it."""

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.audit.models import DeletedRecord
from keyplan.plans import services
from tests.conftest import login
from tests.factories import ContactFactory, InteractionFactory, OpportunityFactory, UserFactory
from tests.plans.conftest import plan  # noqa: F401

pytestmark = pytest.mark.django_db


def test_account_delete_page_lists_what_goes_with_it_then_deletes_into_the_bin(org, client):
    ContactFactory(account=org.teammate)
    ContactFactory(account=org.teammate)
    InteractionFactory(account=org.teammate)
    OpportunityFactory(account=org.teammate)
    web = login(client, org.ops)
    assert "Delete" in web.get(f"/accounts/{org.teammate.pk}/").content.decode()

    page = web.get(f"/accounts/{org.teammate.pk}/delete/").content.decode()
    assert "Delete the account Teammate Corp?" in page
    for words in ("2 contacts", "1 interaction", "1 opportunity"):
        assert words in page
    assert Account.objects.filter(pk=org.teammate.pk).exists(), "a GET deletes nothing"

    response = web.post(f"/accounts/{org.teammate.pk}/delete/", follow=True)
    assert "Account Teammate Corp deleted" in response.content.decode()
    assert not Account.objects.filter(pk=org.teammate.pk).exists()
    assert DeletedRecord.objects.get().object_label == "Teammate Corp"


def test_a_rep_may_not_delete_an_account_and_a_parent_is_refused_with_the_reason(org, client):
    response = login(client, org.rep).post(f"/accounts/{org.mine_child.pk}/delete/")
    assert response.status_code == 403
    assert "Only administrators and sales operations delete accounts." in response.content.decode()
    assert Account.objects.filter(pk=org.mine_child.pk).exists()

    page = login(client, org.ops).post(f"/accounts/{org.mine.pk}/delete/").content.decode()
    assert "Mine Group has 1 account under it; move or delete it first." in page
    assert Account.objects.filter(pk=org.mine.pk).exists()


def test_deleting_a_contact_in_an_executive_pairing_says_so(org, plan, client):  # noqa: F811
    chief = UserFactory(username="chief", first_name="Carl", last_name="Chief", role="executive")
    services.element_save(
        kind="pairing", plan=plan, user=org.rep, our_executive=chief, their_executive=org.cfo
    )
    web = login(client, org.rep)
    page = web.get(f"/contacts/{org.cfo.pk}/delete/").content.decode()
    assert "1 executive pairing" in page
    assert "The executive pairing of Carl Chief with Clara Finance" in page

    web.post(f"/contacts/{org.cfo.pk}/delete/")
    assert not Contact.objects.filter(pk=org.cfo.pk).exists()
    assert "1 executive pairing" in DeletedRecord.objects.get().summary


def test_an_account_with_a_plan_is_refused_with_the_reason_not_an_error(
    org,
    plan,  # noqa: F811
    client,
    api_client,
):
    """An account plan is kept on purpose (its history): the confirmation, the API's
    preview and the delete itself all say why, instead of failing."""
    account = plan.account
    org.mine_child.delete()  # so the plan is the only reason left
    web = login(client, org.ops)
    page = web.get(f"/accounts/{account.pk}/delete/").content.decode()
    assert f"{account} cannot be deleted while 1 account plan depends on it" in page
    web.post(f"/accounts/{account.pk}/delete/")
    assert Account.objects.filter(pk=account.pk).exists()

    api_client.force_authenticate(org.ops)
    preview = api_client.get(f"/api/v1/accounts/{account.pk}/deletion/")
    assert preview.status_code == 200
    assert "1 account plan depends on it" in preview.json()["refusal"]
    assert preview.json()["goes_with_it"] == []
    assert DeletedRecord.objects.count() == 0

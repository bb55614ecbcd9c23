"""Only those who may edit the plan share it or revoke its links — on the page, in the
API and in the service; a rep who cannot see the plan gets 404, one who can read but not
edit it 403 with the reason, and nothing is created."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from keyplan.mutual import services as mutual
from keyplan.mutual.models import PlanShare
from keyplan.people.choices import Role
from tests.factories import UserFactory
from tests.mutual.conftest import share


def _form(p):
    return {
        "recipients": [p.clara.pk],
        "expires_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "show_goals": "on",
        "show_actions": "on",
    }


def test_another_rep_cannot_share_a_plan_they_cannot_edit(mutual_plan, client, api_client):
    p = mutual_plan
    with pytest.raises(PermissionDenied):
        mutual.share_create(plan=p.plan, user=p.org.other, recipients=[p.clara])
    # "other" does not see Mine Group at all: 404, as for a plan that does not exist.
    client.force_login(p.org.other)
    assert client.get(f"/plans/{p.plan.pk}/shares/new/").status_code == 404
    assert client.post(f"/plans/{p.plan.pk}/shares/new/", _form(p)).status_code == 404
    api_client.force_authenticate(p.org.other)
    url = f"/api/v1/plans/{p.plan.pk}/shares/"
    assert api_client.post(url, {"recipients": [p.clara.pk]}, format="json").status_code == 404
    assert api_client.get(url).status_code == 404
    # An executive reads every plan but edits none of a rep's: 403 with the reason.
    executive = UserFactory(username="exec2", role=Role.EXECUTIVE)
    client.force_login(executive)
    refused = client.get(f"/plans/{p.plan.pk}/shares/new/")
    assert refused.status_code == 403
    assert "Only the plan&#x27;s owner, its account team" in refused.content.decode()
    api_client.force_authenticate(executive)
    refused = api_client.post(url, {"recipients": [p.clara.pk]}, format="json")
    assert refused.status_code == 403
    assert api_client.get(url).status_code == 200
    assert not PlanShare.objects.exists()
    share(p)
    assert [s["url"] for s in api_client.get(url).json()] == [None]


def test_another_rep_cannot_revoke_a_link(mutual_plan, client):
    p = mutual_plan
    item = share(p)
    executive = UserFactory(username="exec2", role=Role.EXECUTIVE)
    with pytest.raises(PermissionDenied):
        mutual.share_revoke(share=item, user=executive)
    client.force_login(executive)
    assert client.post(f"/plans/{p.plan.pk}/shares/{item.pk}/revoke/").status_code == 403
    assert PlanShare.objects.get(pk=item.pk).revoked_at is None


def test_the_owner_shares_and_revokes_on_the_page(mutual_plan, client):
    p = mutual_plan
    client.force_login(p.org.rep)
    form = client.get(f"/plans/{p.plan.pk}/shares/new/").content.decode()
    assert "Clara Finance" in form and "Walk the plant floor together" in form
    # Our own action is no joint action: it is not even offered.
    assert "Price the pilot below the rival" not in form
    created = client.post(f"/plans/{p.plan.pk}/shares/new/", _form(p))
    assert created.status_code == 302
    item = PlanShare.objects.get()
    assert item.show_goals and item.show_actions and not item.show_proposal
    assert list(item.recipients.all()) == [p.clara]
    page = client.get(p.plan.get_absolute_url()).content.decode()
    assert 'data-testid="shared-panel"' in page and "Active" in page
    assert "/shared/" in page  # the link to copy
    assert "added link for the customer “Clara Finance, until" in page  # in the feed
    client.post(f"/plans/{p.plan.pk}/shares/{item.pk}/revoke/")
    page = client.get(p.plan.get_absolute_url()).content.decode()
    assert "Revoked" in page and "/shared/" not in page
    # The manager of the owner may share too (they edit the plan).
    client.force_login(p.org.manager)
    assert client.post(f"/plans/{p.plan.pk}/shares/new/", _form(p)).status_code == 302


def test_the_api_lists_creates_and_revokes(mutual_plan, api_client):
    p = mutual_plan
    api_client.force_authenticate(p.org.rep)
    url = f"/api/v1/plans/{p.plan.pk}/shares/"
    created = api_client.post(
        url,
        {"recipients": [p.clara.pk, p.ivan.pk], "requires_code": True, "hidden_goals": [p.goal.pk]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "active" and "/shared/" in body["url"]
    assert body["recipient_names"] == ["Clara Finance", "Ivan Tech"]
    assert body["hidden_goals"] == [p.goal.pk]
    listed = api_client.get(url).json()
    assert [s["id"] for s in listed] == [body["id"]]
    revoked = api_client.post(f"{url}{body['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert revoked.json()["url"] is None
    again = api_client.post(f"{url}{body['id']}/revoke/")
    assert again.status_code == 400 and "already revoked" in str(again.json())
    wrong = api_client.post(url, {"recipients": [999999]}, format="json")
    assert wrong.status_code == 400
    assert "No contact of the plan’s accounts with id 999999." in str(wrong.json())

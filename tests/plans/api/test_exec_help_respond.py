"""A request for help is answered by the person asked, or their manager, even when they
cannot see the plan; anyone else is refused (403 when they see the plan, 404 when not)."""

import pytest

from keyplan.plans import services
from keyplan.plans.models import HelpRequest, PlanChange
from tests.factories import UserFactory
from tests.plans.api.conftest import get, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(org):
    """A specialist in another team (managed by ``boss``) who cannot see Mine Group."""
    boss = UserFactory(username="boss")
    return UserFactory(username="specialist", manager=boss)


@pytest.fixture
def help_request(as_user, org, plan, asked):
    data = {"plan": plan.pk, "what": "A lab demo", "asked_of": asked.pk, "needed_by": "2027-02-01"}
    response = post(as_user(org.rep), "plan-help-requests/", data)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "requested"
    assert response.json()["requested_by"] == org.rep.pk
    return response.json()


def test_the_person_asked_commits_without_seeing_the_plan(as_user, plan, asked, help_request):
    client = as_user(asked)
    assert get(client, f"plans/{plan.pk}/").status_code == 404
    assert get(client, f"plan-help-requests/{help_request['id']}/").status_code == 404
    url = f"plan-help-requests/{help_request['id']}/respond/"
    response = post(client, url, {"commit": True, "response": "Happy to", "version": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["response"], body["version"]) == ("committed", "Happy to", 2)
    assert body["responded_at"]
    assert PlanChange.objects.filter(plan=plan, subject="help", action="decided").exists()
    # Answered once only.
    again = post(client, url, {"commit": False, "response": "No"})
    assert again.status_code == 400 and list(again.json()) == ["status"]


def test_their_manager_declines_with_a_reason(as_user, asked, help_request):
    client = as_user(asked.manager)
    url = f"plan-help-requests/{help_request['id']}/respond/"
    without = post(client, url, {"commit": False})
    assert without.status_code == 400 and list(without.json()) == ["response"]
    response = post(client, url, {"commit": False, "response": "Booked until March"})
    assert response.status_code == 200 and response.json()["status"] == "declined"


def test_stale_answer_is_409(as_user, org, plan, asked, help_request):
    services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        instance=HelpRequest.objects.get(),
        what="A lab demo in Munich",
    )
    url = f"plan-help-requests/{help_request['id']}/respond/"
    response = post(as_user(asked), url, {"commit": True, "version": 1})
    assert response.status_code == 409
    assert HelpRequest.objects.get().status == "requested"


def test_others_are_refused(as_user, org, help_request):
    url = f"plan-help-requests/{help_request['id']}/respond/"
    # The plan's own rep and manager see the request but were not asked.
    for user in (org.rep, org.manager):
        response = post(as_user(user), url, {"commit": True})
        assert response.status_code == 403, user
    # Someone who neither sees the plan nor was asked does not learn it exists.
    assert post(as_user(org.other), url, {"commit": True}).status_code == 404
    assert HelpRequest.objects.get().status == "requested"

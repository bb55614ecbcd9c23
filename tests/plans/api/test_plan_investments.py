"""Investment cases: the team submits, a manager or executive who did not submit it
decides; nobody approves their own case, and a rep does not decide at all."""

import pytest

from keyplan.plans.models import InvestmentCase, Notification
from tests.plans.api.conftest import add_idea, get, patch, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(as_user, org, plan):
    idea = add_idea(as_user(org.rep), plan, needs_investment=True)
    response = post(
        as_user(org.rep),
        "plan-investments/",
        {
            "idea": idea["id"],
            "title": "Lab hardware",
            "cost": "120000",
            "expected_return": "900000",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_rep_submits_and_the_manager_approves(as_user, org, case):
    submitted = post(as_user(org.rep), f"plan-investments/{case['id']}/submit/", {"version": 1})
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert (body["status"], body["submitted_by"], body["version"]) == ("submitted", org.rep.pk, 2)
    assert Notification.objects.filter(recipient=org.manager).exists()
    # A submitted case is no longer changed.
    frozen = patch(as_user(org.rep), f"plan-investments/{case['id']}/", {"cost": "1"})
    assert frozen.status_code == 400 and "cannot be changed" in str(frozen.json())

    decided = post(
        as_user(org.manager),
        f"plan-investments/{case['id']}/decide/",
        {"approve": True, "comment": "Go", "version": 2},
    )
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert (body["status"], body["decided_by"], body["decision_comment"]) == (
        "approved",
        org.manager.pk,
        "Go",
    )
    assert [e["status"] for e in body["events"]] == ["submitted", "approved"]
    assert get(as_user(org.rep), f"plan-investments/{case['id']}/").json()["status"] == "approved"


def test_nobody_approves_their_own_case(as_user, org, plan, case):
    plan.team.add(org.manager)
    assert post(as_user(org.manager), f"plan-investments/{case['id']}/submit/").status_code == 200
    response = post(
        as_user(org.manager), f"plan-investments/{case['id']}/decide/", {"approve": True}
    )
    assert response.status_code == 403
    assert "someone else must decide" in response.json()["detail"]
    assert InvestmentCase.objects.get().status == "submitted"


def test_a_rep_does_not_decide_and_declining_needs_a_reason(as_user, org, case):
    post(as_user(org.rep), f"plan-investments/{case['id']}/submit/")
    url = f"plan-investments/{case['id']}/decide/"
    assert post(as_user(org.rep), url, {"approve": True}).status_code == 403
    response = post(as_user(org.manager), url, {"approve": False})
    assert response.status_code == 400 and list(response.json()) == ["comment"]
    assert post(as_user(org.manager), url, {}).json() == {"approve": ["This field is required."]}
    assert InvestmentCase.objects.get().status == "submitted"

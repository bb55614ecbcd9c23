"""Same permission rules as the plan: an executive reads the second half of a plan but
every write is refused with 403 and changes nothing; a rep of another team sees none of
it (404), and lists show them nothing."""

import pytest

from keyplan.plans import services
from keyplan.plans.models import PlanChange, PlanVersion
from tests.factories import ContactFactory
from tests.plans.api.conftest import END, get, patch, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(org, plan):
    save = services.element_save
    objective = save(
        kind="objective",
        plan=plan,
        user=org.rep,
        category="revenue",
        title="Sell",
        metric="revenue",
        target=1,
        due_date=END,
        owner=org.rep,
    )
    executive = ContactFactory(account=org.mine)
    return {
        "plan-objectives": objective,
        "plan-qualitative-goals": save(kind="qualitative", plan=plan, user=org.rep, text="T"),
        "plan-strategies": save(
            kind="strategy", plan=plan, user=org.rep, objective=objective, description="D"
        ),
        "plan-actions": save(
            kind="action",
            plan=plan,
            user=org.rep,
            title="A",
            owner=org.rep,
            due_date=END,
            effort_hours=2,
        ),
        "plan-milestones": save(kind="milestone", plan=plan, user=org.rep, title="M", date=END),
        "plan-help-requests": save(
            kind="help", plan=plan, user=org.rep, what="W", asked_of=org.rep2, needed_by=END
        ),
        "plan-pairings": save(
            kind="pairing",
            plan=plan,
            user=org.rep,
            our_executive=org.manager,
            their_executive=executive,
        ),
    }


def test_executive_reads_but_may_not_write(as_user, org, plan, parts):
    client = as_user(org.executive)
    before = PlanChange.objects.count()
    for endpoint, obj in parts.items():
        url = f"{endpoint}/{obj.pk}/"
        assert get(client, url).status_code == 200, endpoint
        assert get(client, f"{endpoint}/?plan={plan.pk}").json()["count"] == 1, endpoint
        assert patch(client, url, {"version": 1}).status_code == 403, endpoint
        assert client.delete(f"/api/v1/{url}").status_code == 403, endpoint
    response = patch(client, f"plan-actions/{parts['plan-actions'].pk}/", {"title": "B"})
    assert response.status_code == 403
    data = {"plan": plan.pk, "text": "Mine now"}
    assert post(client, "plan-qualitative-goals/", data).status_code == 403
    assert post(client, f"plans/{plan.pk}/confirm/").status_code == 403
    assert post(client, f"plans/{plan.pk}/versions/").status_code == 403
    assert get(client, f"plans/{plan.pk}/health/").status_code == 200
    assert get(client, f"plans/{plan.pk}/capacity/").status_code == 200
    assert PlanChange.objects.count() == before and not PlanVersion.objects.exists()


def test_rep_of_another_team_sees_nothing(as_user, org, plan, parts):
    client = as_user(org.other)
    for endpoint, obj in parts.items():
        url = f"{endpoint}/{obj.pk}/"
        assert get(client, url).status_code == 404, endpoint
        assert patch(client, url, {"version": 1}).status_code == 404, endpoint
        assert client.delete(f"/api/v1/{url}").status_code == 404, endpoint
        assert get(client, f"{endpoint}/").json()["count"] == 0, endpoint
    for suffix in ("health/", "capacity/", "versions/", "versions/compare/?a=1&b=0"):
        assert get(client, f"plans/{plan.pk}/{suffix}").status_code == 404, suffix
    assert post(client, f"plans/{plan.pk}/confirm/").status_code == 404
    # Naming the plan (or its objective) to add to it is answered as for a missing one.
    response = post(client, "plan-qualitative-goals/", {"plan": plan.pk, "text": "X"})
    assert response.status_code == 400 and list(response.json()) == ["plan"]
    objective = parts["plan-objectives"].pk
    response = post(client, "plan-strategies/", {"objective": objective, "description": "X"})
    assert response.status_code == 400 and list(response.json()) == ["objective"]

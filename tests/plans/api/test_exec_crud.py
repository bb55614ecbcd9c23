"""Every part of the plan's second half (objectives, qualitative goals, strategies,
actions, milestones, requests for help, executive pairings) is added, changed and
removed through the API, each write leaving a record in the plan's activity feed."""

import pytest

from keyplan.plans.models import PlanChange
from tests.factories import ContactFactory
from tests.plans.api.conftest import get, patch, post

pytestmark = pytest.mark.django_db


def test_each_part_is_added_changed_and_removed_with_activity(as_user, org, plan):
    client = as_user(org.rep)
    objective = post(
        client,
        "plan-objectives/",
        {
            "plan": plan.pk,
            "category": "revenue",
            "title": "Sell 2M",
            "metric": "revenue",
            "target": "2000000",
            "due_date": "2027-12-31",
            "owner": org.rep.pk,
        },
    )
    assert objective.status_code == 201, objective.content
    objective_id = objective.json()["id"]
    strategy = post(
        client, "plan-strategies/", {"objective": objective_id, "description": "Land IT first"}
    )
    assert strategy.status_code == 201, strategy.content
    strategy_id = strategy.json()["id"]
    executive = ContactFactory(account=org.mine, first_name="Erin", last_name="Chief")
    cases = [
        ("plan-qualitative-goals", {"text": "Be their automation partner"}, {"text": "Be it"}),
        (
            "plan-strategies",
            {"objective": objective_id, "description": "Win the plant managers"},
            {"resources": "A solution engineer"},
        ),
        (
            "plan-actions",
            {
                "strategy": strategy_id,
                "title": "Workshop with IT",
                "owner": org.rep.pk,
                "due_date": "2027-03-15",
                "effort_hours": "12.0",
                "contacts": [org.cfo.pk],
            },
            {"status": "done"},
        ),
        (
            "plan-milestones",
            {"title": "Pilot signed", "date": "2027-06-30", "objective": objective_id},
            {"reached": True},
        ),
        (
            "plan-help-requests",
            {"what": "A demo of the lab", "asked_of": org.rep2.pk, "needed_by": "2027-02-01"},
            {"what": "A demo of the lab in Munich"},
        ),
        (
            "plan-pairings",
            {"our_executive": org.manager.pk, "their_executive": executive.pk},
            {"cadence_days": 60},
        ),
        ("plan-objectives", None, {"manual_value": "500000.00"}),
    ]
    for endpoint, create, change in cases:
        if create is None:
            body = objective.json()
        else:
            data = create | ({} if endpoint == "plan-strategies" else {"plan": plan.pk})
            created = post(client, f"{endpoint}/", data)
            assert created.status_code == 201, (endpoint, created.content)
            body = created.json()
        assert body["plan"] == plan.pk and body["version"] == 1, endpoint
        url = f"{endpoint}/{body['id']}/"
        changed = patch(client, url, change | {"version": 1})
        assert changed.status_code == 200, (endpoint, changed.content)
        assert changed.json()["version"] == 2
        key, value = next(iter(change.items()))
        assert get(client, url).json()[key] == value, endpoint
        listed = get(client, f"{endpoint}/?plan={plan.pk}").json()
        assert body["id"] in [row["id"] for row in listed["results"]], endpoint
        if endpoint != "plan-objectives":
            assert client.delete(f"/api/v1/{url}").status_code == 204, endpoint
            assert get(client, url).status_code == 404
    subjects = set(PlanChange.objects.filter(plan=plan).values_list("subject", "action"))
    for kind in ("qualitative", "strategy", "action", "milestone", "help", "pairing"):
        assert {(kind, "created"), (kind, "updated"), (kind, "deleted")} <= subjects, kind
    assert {("objective", "created"), ("objective", "updated")} <= subjects
    feed = get(client, f"plans/{plan.pk}/activity/?page_size=100").json()
    assert feed["count"] == PlanChange.objects.filter(plan=plan).count()


def test_objective_shows_its_progress(as_user, org, plan):
    client = as_user(org.rep)
    created = post(
        client,
        "plan-objectives/",
        {
            "plan": plan.pk,
            "category": "business_development",
            "title": "Meet 10 plant managers",
            "metric": "contacts",
            "baseline": "2",
            "target": "12",
            "due_date": "2027-12-31",
            "owner": org.rep.pk,
            "progress_source": "manual",
            "manual_value": "7",
        },
    )
    assert created.status_code == 201, created.content
    progress = created.json()["progress"]
    assert progress["current"] == "7.00" and progress["percent"] == 50
    assert progress["source"].startswith("by hand, ")
    assert isinstance(progress["on_track"], bool)
    listed = get(client, f"plan-objectives/?plan={plan.pk}").json()["results"]
    assert listed[0]["progress"]["percent"] == 50

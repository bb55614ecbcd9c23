"""Every part of a plan is added, changed and removed through the API by the plan's
editors, each answer showing the record with its current ``version``."""

import pytest

from tests.factories import ProductLineFactory
from tests.plans.api.conftest import get, patch, post

pytestmark = pytest.mark.django_db


def test_goal_value_vendor_and_idea_are_added_changed_and_removed(as_user, org, plan):
    client = as_user(org.rep)
    line = ProductLineFactory(name="Automation")
    cases = [
        (
            "plan-goals",
            {"level": "corporate", "title": "Cut downtime", "contacts": [org.cfo.pk]},
            {"title": "Cut downtime by 30%"},
        ),
        (
            "plan-values",
            {"metric": "Downtime avoided", "amount": "1200000"},
            {"amount": "900000.00"},
        ),
        (
            "plan-vendors",
            {"name": "Rival AG", "product_lines": [line.pk], "estimated_share": "40"},
            {"strengths": "Local service"},
        ),
        (
            "plan-ideas",
            {"title": "Predictive maintenance", "annual_value": "250000"},
            {"confidence": 70},
        ),
    ]
    for endpoint, create, change in cases:
        created = post(client, f"{endpoint}/", {"plan": plan.pk} | create)
        assert created.status_code == 201, (endpoint, created.content)
        body = created.json()
        assert body["plan"] == plan.pk and body["version"] == 1
        url = f"{endpoint}/{body['id']}/"
        changed = patch(client, url, change | {"version": 1})
        assert changed.status_code == 200, (endpoint, changed.content)
        assert changed.json()["version"] == 2
        key, value = next(iter(change.items()))
        assert get(client, url).json()[key] == value
        listed = get(client, f"{endpoint}/?plan={plan.pk}").json()
        assert [row["id"] for row in listed["results"]] == [body["id"]]
        assert client.delete(f"/api/v1/{url}").status_code == 204
        assert get(client, url).status_code == 404


def test_investment_case_belongs_to_an_idea_and_reports_its_plan(as_user, org, plan):
    client = as_user(org.rep)
    idea = post(client, "plan-ideas/", {"plan": plan.pk, "title": "Lab", "annual_value": "1"})
    created = post(
        client,
        "plan-investments/",
        {
            "idea": idea.json()["id"],
            "title": "Lab hardware",
            "cost": "120000",
            "customer_share": "50",
            "expected_return": "900000",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["plan"], body["status"], body["our_cost"], body["version"]) == (
        plan.pk,
        "draft",
        "60000.00",
        1,
    )
    changed = patch(client, f"plan-investments/{body['id']}/", {"cost": "80000", "version": 1})
    assert changed.status_code == 200, changed.content
    assert changed.json()["our_cost"] == "40000.00"
    assert client.delete(f"/api/v1/plan-investments/{body['id']}/").status_code == 204

"""The OpenAPI schema describes the plan endpoints, their actions and the version
field, with every choice set a named enum; it generates without a warning."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ELEMENTS = ["plan-goals", "plan-values", "plan-vendors", "plan-ideas", "plan-investments"]


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_plan_paths_and_methods(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/plans/"]) == {"get", "post"}
    assert set(paths["/api/v1/plans/{id}/"]) == {"get", "patch"}
    for name in ("activate", "archive"):
        assert set(paths[f"/api/v1/plans/{{id}}/{name}/"]) == {"post"}
    assert set(paths["/api/v1/plans/{id}/activity/"]) == {"get"}
    for name in ELEMENTS:
        assert set(paths[f"/api/v1/{name}/"]) == {"get", "post"}
        assert set(paths[f"/api/v1/{name}/{{id}}/"]) == {"get", "patch", "delete"}
    assert set(paths["/api/v1/plan-ideas/{id}/move/"]) == {"post"}
    assert set(paths["/api/v1/plan-investments/{id}/submit/"]) == {"post"}
    assert set(paths["/api/v1/plan-investments/{id}/decide/"]) == {"post"}
    filters = {p["name"] for p in paths["/api/v1/plans/"]["get"]["parameters"]}
    assert {"account", "status", "owner", "page", "page_size"} <= filters
    activity = {p["name"] for p in paths["/api/v1/plans/{id}/activity/"]["get"]["parameters"]}
    assert activity == {"id", "page", "page_size"}


def test_version_is_returned_everywhere_and_sent_on_changes(schema):
    components = schema["components"]["schemas"]
    for name in ["Plan", "PlanDetail", "PlanGoal", "PlanValue", "PlanVendor", "PlanIdea"]:
        assert "version" in components[name]["properties"], name
    assert "version" in components["PlanInvestment"]["properties"]
    assert "version" in components["PatchedPlanUpdateRequest"]["properties"]
    assert "version" in components["PatchedPlanGoalUpdateRequest"]["properties"]
    detail = components["PlanDetail"]["properties"]
    assert {"coverage", "progress", "facts"} <= set(detail)
    assert components["PlanStatusEnum"]["enum"] == ["draft", "active", "archived"]


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))

"""A draft plan is activated (replacing the account's active plan for an overlapping
period) and archived; an archived plan is read but no longer changed."""

import pytest

from tests.plans.api.conftest import get, patch, post

pytestmark = pytest.mark.django_db


def test_activate_then_archive(as_user, org, plan):
    client = as_user(org.rep)
    response = post(client, f"plans/{plan.pk}/activate/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active" and response.json()["activated_at"]
    again = post(client, f"plans/{plan.pk}/activate/")
    assert again.status_code == 400 and "Only a draft plan" in again.json()["status"][0]

    response = post(client, f"plans/{plan.pk}/archive/")
    assert response.status_code == 200 and response.json()["status"] == "archived"
    assert get(client, f"plans/{plan.pk}/").status_code == 200
    refused = patch(client, f"plans/{plan.pk}/", {"our_offers": "More"})
    assert refused.status_code == 403 and "archived" in refused.json()["detail"]
    refused = post(client, "plan-values/", {"plan": plan.pk, "metric": "x", "amount": "1"})
    assert refused.status_code == 403


def test_a_plan_without_a_revenue_goal_is_not_activated(as_user, org):
    client = as_user(org.rep)
    plan = post(client, "plans/", {"account": org.mine.pk}).json()
    response = post(client, f"plans/{plan['id']}/activate/")
    assert response.status_code == 400
    assert list(response.json()) == ["revenue_goal"]


def test_plans_are_not_deleted_through_the_api(as_user, org, plan):
    response = as_user(org.rep).delete(f"/api/v1/plans/{plan.pk}/")
    assert response.status_code == 405

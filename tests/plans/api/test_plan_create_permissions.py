"""A rep starts a plan for their own account; not for another rep's (which they cannot
even name: the account id is answered as not found), and not as someone who only
reads the account (403). Another rep's plan is 404, as if it did not exist."""

import pytest

from keyplan.plans.models import AccountPlan
from tests.plans.api.conftest import get, patch, post

pytestmark = pytest.mark.django_db


def test_rep_creates_a_plan_for_their_account(as_user, org):
    response = post(
        as_user(org.rep),
        "plans/",
        {
            "account": org.mine.pk,
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
            "revenue_goal": "1000000",
            "stretch_goal": "1500000",
            "aspiration_statement": "Their partner for automation",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["account"] == org.mine.pk and body["account_name"] == "Mine Group"
    assert (body["status"], body["version"], body["owner"]) == ("draft", 1, org.rep.pk)
    assert body["revenue_goal"] == "1000000.00"
    assert get(as_user(org.rep), f"plans/{body['id']}/").status_code == 200


def test_rep_cannot_create_a_plan_for_another_reps_account(as_user, org):
    response = post(as_user(org.rep), "plans/", {"account": org.theirs.pk})
    assert response.status_code == 400
    assert "does not exist" in response.json()["account"][0]
    assert not AccountPlan.objects.exists()


def test_someone_who_only_reads_the_account_is_refused_with_403(as_user, org):
    response = post(as_user(org.executive), "plans/", {"account": org.mine.pk})
    assert response.status_code == 403
    assert "start its plan" in response.json()["detail"]
    assert not AccountPlan.objects.exists()


def test_another_reps_plan_is_404_and_not_listed(as_user, org, plan):
    client = as_user(org.other)
    missing = get(client, "plans/987654321/")
    response = get(client, f"plans/{plan.pk}/")
    assert response.status_code == 404
    assert response.json() == missing.json()
    assert patch(client, f"plans/{plan.pk}/", {"revenue_goal": "1"}).status_code == 404
    assert post(client, f"plans/{plan.pk}/activate/").status_code == 404
    assert get(client, "plans/").json()["count"] == 0

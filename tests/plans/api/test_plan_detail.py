"""One plan shows, beside its fields, the pipeline coverage of its revenue and stretch
goals (pipeline, ratio, gap, by delivery), the guided steps with what each still
misses, and the account's facts (run-rate, potential, share of wallet)."""

import pytest

from keyplan.plans.models import AccountPlan
from tests.plans.api.conftest import add_idea, get

pytestmark = pytest.mark.django_db


def test_plan_shows_coverage_progress_and_facts(as_user, org, plan):
    client = as_user(org.rep)
    add_idea(client, plan, annual_value="1000000", title="Retrofit")
    add_idea(client, plan, annual_value="500000", delivery="partner", partner_name="Integrator")
    body = get(client, f"plans/{plan.pk}/").json()
    assert body["version"] == 1 and body["status"] == "draft"

    coverage = body["coverage"]
    assert coverage["pipeline"] == "1500000.00"
    assert coverage["by_delivery"] == {
        "direct": "1000000.00",
        "joint": "0.00",
        "partner": "500000.00",
    }
    assert coverage["revenue"] == {
        "goal": "1000000.00",
        "pipeline": "1500000.00",
        "ratio": "1.50",
        "gap": "1000000.00",  # 2.5 x 1M - 1.5M
        "status": "low",
    }
    assert coverage["stretch"]["ratio"] == "1.00" and coverage["stretch"]["gap"] == "2250000.00"

    steps = {step["key"]: step for step in body["progress"]}
    assert [s["number"] for s in body["progress"]] == [1, 2, 3, 4, 5, 6]
    assert not steps["goals"]["done"] and "No customer goals yet" in steps["goals"]["missing"]
    assert "2 ideas without a root cause" in steps["ideas"]["missing"]

    facts = body["facts"]
    assert set(facts) == {
        "window_label",
        "run_rate",
        "potential",
        "potential_method",
        "share_of_wallet",
        "tier",
    }
    assert facts["run_rate"] == "0.00"


def test_a_plan_without_a_stretch_goal_has_an_empty_stretch_gauge(as_user, org, plan):
    AccountPlan.objects.filter(pk=plan.pk).update(stretch_goal=None)
    body = get(as_user(org.rep), f"plans/{plan.pk}/").json()
    assert body["coverage"]["stretch"]["status"] == "no-goal"
    assert body["coverage"]["stretch"]["ratio"] is None

"""A save made from a stale copy (an old ``version``) is refused with 409, saying who
changed what in the meantime; nothing is overwritten. Without a version the save
goes through (a script that does not track versions)."""

import pytest

from keyplan.plans.models import CustomerGoal
from tests.plans.api.conftest import get, patch, post

pytestmark = pytest.mark.django_db


def test_stale_plan_save_names_the_other_person_and_their_change(as_user, org, plan):
    loaded = get(as_user(org.rep), f"plans/{plan.pk}/").json()["version"]
    theirs = patch(
        as_user(org.manager), f"plans/{plan.pk}/", {"revenue_goal": "1200000", "version": loaded}
    )
    assert theirs.status_code == 200 and theirs.json()["version"] == loaded + 1
    mine = patch(
        as_user(org.rep), f"plans/{plan.pk}/", {"revenue_goal": "1100000", "version": loaded}
    )
    assert mine.status_code == 409
    message = mine.json()["detail"]
    assert str(org.manager) in message
    assert "revenue goal: “1,000,000 USD” → “1,200,000 USD”" in message
    plan.refresh_from_db()
    assert str(plan.revenue_goal) == "1200000.00"
    # Reloaded, the same change goes through.
    again = patch(
        as_user(org.rep), f"plans/{plan.pk}/", {"revenue_goal": "1100000", "version": loaded + 1}
    )
    assert again.status_code == 200 and again.json()["revenue_goal"] == "1100000.00"


def test_stale_element_save_is_refused(as_user, org, plan):
    goal = post(
        as_user(org.rep), "plan-goals/", {"plan": plan.pk, "level": "corporate", "title": "Grow"}
    ).json()
    url = f"plan-goals/{goal['id']}/"
    assert patch(as_user(org.manager), url, {"title": "Grow 10%", "version": 1}).status_code == 200
    response = patch(as_user(org.rep), url, {"title": "Grow 20%", "version": 1})
    assert response.status_code == 409
    assert str(org.manager) in response.json()["detail"] and "Grow 10%" in response.json()["detail"]
    assert CustomerGoal.objects.get().title == "Grow 10%"


def test_a_save_without_version_is_not_checked(as_user, org, plan):
    patch(as_user(org.manager), f"plans/{plan.pk}/", {"revenue_goal": "1200000"})
    response = patch(as_user(org.rep), f"plans/{plan.pk}/", {"our_offers": "Retrofit kits"})
    assert response.status_code == 200
    assert response.json()["version"] == 3

"""A save made from a stale copy (an old ``version``) is refused with 409, saying who
changed what in the meantime; nothing is overwritten. Without a version (neither the
field nor If-Match) a change or delete is refused with 428 (issue 14: it used to go
through unchecked)."""

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


def test_a_save_without_version_is_refused_with_428(api_client, org, plan):
    api_client.force_authenticate(org.rep)
    response = patch(api_client, f"plans/{plan.pk}/", {"our_offers": "Retrofit kits"})
    assert response.status_code == 428
    assert "Send the version you loaded" in response.json()["detail"]
    plan.refresh_from_db()
    assert plan.our_offers == "" and plan.version == 1
    # The ETag of a GET names the version; If-Match with it is as good as the field.
    etag = api_client.get(f"/api/v1/plans/{plan.pk}/")["ETag"]
    assert etag == '"1"'
    response = api_client.patch(
        f"/api/v1/plans/{plan.pk}/",
        {"our_offers": "Retrofit kits"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    assert response["ETag"] == '"2"'


def test_deleting_a_part_needs_its_version(api_client, org, plan):
    api_client.force_authenticate(org.rep)
    goal = post(api_client, "plan-goals/", {"plan": plan.pk, "level": "corporate", "title": "Grow"})
    part = f"plan-goals/{goal.json()['id']}/"
    url = f"/api/v1/{part}"
    assert api_client.delete(url).status_code == 428
    assert patch(api_client, part, {"title": "Grow 5%", "version": 1}).status_code == 200
    stale = api_client.delete(url + "?version=1")
    assert stale.status_code == 409 and "Grow 5%" in stale.json()["detail"]
    assert CustomerGoal.objects.filter(title="Grow 5%").exists()
    assert api_client.delete(url, HTTP_IF_MATCH='"2"').status_code == 204
    assert not CustomerGoal.objects.exists()

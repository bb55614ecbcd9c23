"""An action saved from a stale copy is refused with 409 naming who changed what;
nothing is overwritten."""

import pytest

from keyplan.plans.models import Action
from tests.plans.api.conftest import patch, post

pytestmark = pytest.mark.django_db


def test_stale_action_save_is_refused(as_user, org, plan):
    data = {
        "plan": plan.pk,
        "title": "Workshop",
        "owner": org.rep.pk,
        "due_date": "2027-03-01",
        "effort_hours": "8",
    }
    created = post(as_user(org.rep), "plan-actions/", data)
    assert created.status_code == 201, created.content
    url = f"plan-actions/{created.json()['id']}/"
    theirs = patch(as_user(org.manager), url, {"effort_hours": "16", "version": 1})
    assert theirs.status_code == 200 and theirs.json()["version"] == 2
    mine = patch(as_user(org.rep), url, {"effort_hours": "4", "version": 1})
    assert mine.status_code == 409
    assert str(org.manager) in mine.json()["detail"]
    action = Action.objects.get()
    assert (str(action.effort_hours), action.version) == ("16.0", 2)
    again = patch(as_user(org.rep), url, {"effort_hours": "4", "version": 2})
    assert again.status_code == 200 and again.json()["version"] == 3

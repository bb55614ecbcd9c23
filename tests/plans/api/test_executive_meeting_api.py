"""``/api/v1/executive-meeting-requests/``: the manager asks for a pairing's meeting,
only the executive asked accepts (with the time) or declines (with a reason), the asker
withdraws; the executive program then shows it planned; refusals are 400 / 403 / 409
and a request out of reach is 404."""

import datetime

import pytest
from django.utils import timezone

from keyplan.plans.executive_program import executive_program
from tests.plans.api.conftest import get, post
from tests.plans.test_executive_meeting_requests import days, paired  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "executive-meeting-requests/"


def _ask(client, paired, **extra):  # noqa: F811
    data = {
        "plan": paired.plan.pk,
        "pairing": paired.pairing.pk,
        "purpose": "Agree the roadmap",
        "wished_from": days(2).isoformat(),
        "wished_until": days(20).isoformat(),
    } | extra
    return post(client, URL, data)


def test_ask_accept_and_the_program_shows_it(as_user, paired):  # noqa: F811
    response = _ask(as_user(paired.manager), paired)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["executive_name"], body["contact_names"], body["status"]) == (
        "Eve Ekman",
        ["Carl Chief"],
        "requested",
    )
    url = f"{URL}{body['id']}/"
    starts = timezone.make_aware(datetime.datetime.combine(days(8), datetime.time(11)))
    refused = post(as_user(paired.manager), f"{url}accept/", {"starts_at": starts.isoformat()})
    assert refused.status_code == 403
    assert "Only Eve Ekman answers" in refused.json()["detail"]
    client = as_user(paired.executive)
    assert [r["id"] for r in get(client, f"{URL}?status=requested").json()["results"]] == [
        body["id"]
    ]
    accepted = post(
        client, f"{url}accept/", {"starts_at": starts.isoformat(), "place": "Oslo", "version": 1}
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["version"] == 2
    [row] = executive_program(paired.manager).rows
    assert row.next_planned == days(8)
    # Planned is not met: the pairing's last meeting stays empty in the API too.
    [pairing] = get(client, f"plan-pairings/?plan={paired.plan.pk}").json()["results"]
    assert pairing["last_met"] is None
    stale = post(client, f"{url}decline/", {"reason": "Travel", "version": 1})
    assert stale.status_code == 409
    withdrawn = post(as_user(paired.manager), f"{url}withdraw/", {"reason": "Reorg"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = post(as_user(paired.executive), f"{url}accept/", {"starts_at": starts.isoformat()})
    assert again.status_code == 400 and list(again.json()) == ["status"]
    assert executive_program(paired.manager).rows[0].next_planned is None


def test_refusals(as_user, paired):  # noqa: F811
    rep2 = as_user(paired.rep2)
    assert _ask(rep2, paired).status_code == 400  # cannot see the plan: no such plan
    bad = _ask(as_user(paired.manager), paired, purpose=" ", wished_until=days(-1).isoformat())
    assert bad.status_code == 400
    assert set(bad.json()) == {"purpose"}  # blank: the serializer says it first
    late = _ask(as_user(paired.manager), paired, wished_until=days(-1).isoformat())
    assert late.status_code == 400 and "wished_until" in late.json()
    asked = _ask(as_user(paired.manager), paired).json()
    assert get(as_user(paired.other), f"{URL}{asked['id']}/").status_code == 404
    decline = post(as_user(paired.executive), f"{URL}{asked['id']}/decline/", {"reason": ""})
    assert decline.status_code == 400 and list(decline.json()) == ["reason"]

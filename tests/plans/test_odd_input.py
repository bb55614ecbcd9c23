"""Odd input from a browser or a script gets a message, never a server error."""

import datetime

import pytest

from keyplan.plans import services
from tests.factories import ProductFactory
from tests.plans.conftest import add_idea


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "1e30", "abc"])
def test_white_space_value(org, plan, client, value):
    product = ProductFactory()
    client.force_login(org.rep)
    response = client.post(
        f"/plans/{plan.pk}/ideas/from-whitespace/",
        {"product": product.pk, "value": value},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "message error" in response.content.decode()
    assert not plan.ideas.exists()


def test_non_numeric_version_and_ids(org, plan, client):
    idea = add_idea(plan, org.rep, "1000")
    client.force_login(org.rep)
    for data in (
        {"stage": "qualified", "version": "abc"},
        {"stage": "qualified", "opportunity": "abc"},
    ):
        response = client.post(
            f"/plans/{plan.pk}/ideas/{idea.pk}/move/", data, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.stage == "idea"
    for data in ({"opportunity": "abc", "linked": "1"}, {"opportunity": "9" * 30, "linked": "1"}):
        assert client.post(f"/plans/{plan.pk}/opportunities/", data).status_code == 302
    assert (
        client.post(f"/plans/{plan.pk}/ideas/from-whitespace/", {"product": "x"}).status_code == 302
    )
    assert client.get("/capacity/?team=" + "9" * 30).status_code == 200


def test_a_long_help_request_notifies_without_overflowing(org, plan):
    org.mine.name = "N" * 250
    org.mine.save()
    org.rep.first_name = "F" * 150
    org.rep.save()
    services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="W" * 255,
        asked_of=org.manager,
        needed_by=datetime.date(2027, 2, 1),
    )
    assert (
        org.manager.notifications.get().text.endswith("W" * 10)
        or len(org.manager.notifications.get().text) == 500
    )


def test_archived_plans_leave_my_work(org, plan, client):
    request = services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="Demo please",
        asked_of=org.rep2,
        needed_by=datetime.date(2027, 2, 1),
    )
    services.plan_activate(plan=plan, user=org.rep)
    services.plan_archive(plan=plan, user=org.rep)
    client.force_login(org.rep2)
    assert "Demo please" not in client.get("/my-work/").content.decode()
    assert request.status == "requested"

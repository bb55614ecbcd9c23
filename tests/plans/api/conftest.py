"""Helpers for the plans API tests: a client signed in as one of the ``org`` fixture's
people, a draft plan for the rep's account, and short ways to call the endpoints."""

import datetime
from decimal import Decimal

import pytest

from keyplan.plans import services
from tests.factories import ContactFactory

START = datetime.date(2027, 1, 1)
END = datetime.date(2027, 12, 31)


@pytest.fixture
def as_user(loading_client):
    """A client signed in as ``user`` that reads an item before changing it (so it
    sends the version it read, as the API requires)."""

    def sign_in(user):
        loading_client.force_authenticate(user)
        return loading_client

    return sign_in


@pytest.fixture
def plan(org):
    """A draft plan for the rep's account "Mine Group" for 2027 (goal 1M, stretch 1.5M),
    with a CFO contact at the account."""
    org.cfo = ContactFactory(account=org.mine, first_name="Clara", last_name="Finance")
    return services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=START,
        period_end=END,
        revenue_goal=Decimal("1000000"),
        stretch_goal=Decimal("1500000"),
    )


def post(client, url, data=None):
    return client.post(f"/api/v1/{url}", data or {}, format="json")


def patch(client, url, data):
    return client.patch(f"/api/v1/{url}", data, format="json")


def get(client, url):
    return client.get(f"/api/v1/{url}")


def add_idea(client, plan, **fields):
    """An idea added through the API; its JSON."""
    data = {"plan": plan.pk, "title": "Joint innovation lab", "annual_value": "400000"} | fields
    response = post(client, "plan-ideas/", data)
    assert response.status_code == 201, response.content
    return response.json()

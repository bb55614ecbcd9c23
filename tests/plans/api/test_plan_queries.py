"""The plan list endpoints answer in a bounded number of queries however many rows
they show: related records are joined or prefetched, never fetched once per row."""

import datetime
from decimal import Decimal

import pytest

from keyplan.plans import services
from tests.factories import (
    AccountTeamMemberFactory,
    ContactFactory,
    ProductLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def many(org):
    """12 plans of the rep's account, each with its own owner (on the account team), a
    team, a covered account, a goal (with contacts), a value, a
    vendor (with product lines), an idea and a submitted investment case."""
    contacts = [ContactFactory(account=org.mine) for _ in range(2)]
    lines = [ProductLineFactory() for _ in range(2)]
    for n in range(ROWS):
        owner = AccountTeamMemberFactory(account=org.mine, user=UserFactory()).user
        plan = services.plan_create(
            account=org.mine,
            user=org.rep,
            owner=owner,
            period_start=datetime.date(2030 + n, 1, 1),
            period_end=datetime.date(2030 + n, 12, 31),
            team=[org.rep, owner],
            covered_accounts=[org.mine_child],
        )
        goal = services.element_save(
            kind="goal", plan=plan, user=org.rep, level="corporate", title="G", contacts=contacts
        )
        services.element_save(kind="value", plan=plan, user=org.rep, metric="M", amount=1)
        services.element_save(kind="vendor", plan=plan, user=org.rep, name="V", product_lines=lines)
        idea = services.element_save(
            kind="idea", plan=plan, user=org.rep, title="I", annual_value=1, goal=goal
        )
        case = services.element_save(
            kind="investment",
            plan=plan,
            user=org.rep,
            idea=idea,
            title="C",
            cost=Decimal(1),
            expected_return=Decimal(2),
        )
        services.investment_submit(case=case, user=org.rep)
        services.investment_decide(case=case, user=org.manager, approve=True, comment="ok")


@pytest.mark.parametrize(
    "endpoint",
    ["plans", "plan-goals", "plan-values", "plan-vendors", "plan-ideas", "plan-investments"],
)
def test_list_queries_are_bounded(as_user, org, many, endpoint, django_assert_max_num_queries):
    client = as_user(org.rep)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/{endpoint}/?page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == ROWS


def test_activity_feed_queries_are_bounded(as_user, org, many, django_assert_max_num_queries):
    from keyplan.plans.models import AccountPlan

    plan = AccountPlan.objects.order_by("pk").first()
    client = as_user(org.rep)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/plans/{plan.pk}/activity/?page_size=100")
    assert response.json()["count"] >= 7

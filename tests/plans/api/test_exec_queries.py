"""The list endpoints of the plan's second half, My work and Capacity answer in a
bounded number of queries however many rows they show."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.plans import services
from tests.factories import AccountTeamMemberFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def many(org):
    """12 plans of the rep's account (all current), each with one of every part: an
    objective (by hand), a qualitative goal, a strategy, an action with two contacts due
    this week, a milestone, a request for help of the rep and a pairing whose
    executives met."""
    today = timezone.localdate()
    contacts = [ContactFactory(account=org.mine) for _ in range(2)]
    for n in range(ROWS):
        owner = AccountTeamMemberFactory(account=org.mine).user
        plan = services.plan_create(
            account=org.mine,
            user=org.rep,
            owner=owner,
            period_start=today - datetime.timedelta(days=400 * n + 30),
            period_end=today - datetime.timedelta(days=400 * n - 300),
        )
        save = services.element_save
        objective = save(
            kind="objective",
            plan=plan,
            user=org.rep,
            category="revenue",
            title="O",
            metric="m",
            target=10,
            due_date=plan.period_end,
            owner=owner,
            manual_value=Decimal(n),
        )
        save(kind="qualitative", plan=plan, user=org.rep, text="Q")
        strategy = save(
            kind="strategy", plan=plan, user=org.rep, objective=objective, description="S"
        )
        save(
            kind="action",
            plan=plan,
            user=org.rep,
            title="A",
            strategy=strategy,
            owner=org.rep,
            due_date=today + datetime.timedelta(days=2),
            effort_hours=1,
            contacts=contacts,
            confirm_outside_period=True,
        )
        save(kind="milestone", plan=plan, user=org.rep, title="M", date=plan.period_end)
        save(
            kind="help",
            plan=plan,
            user=owner,
            what="H",
            asked_of=org.rep,
            needed_by=plan.period_end,
        )
        theirs = ContactFactory(account=org.mine)
        save(
            kind="pairing",
            plan=plan,
            user=org.rep,
            our_executive=org.manager,
            their_executive=theirs,
        )
        meeting = InteractionFactory(account=org.mine, is_executive=True)
        meeting.contacts.add(theirs)
        meeting.participants.add(org.manager)


@pytest.mark.parametrize(
    "endpoint",
    [
        "plan-objectives",
        "plan-qualitative-goals",
        "plan-strategies",
        "plan-actions",
        "plan-milestones",
        "plan-help-requests",
        "plan-pairings",
    ],
)
def test_list_queries_are_bounded(as_user, org, many, endpoint, django_assert_max_num_queries):
    client = as_user(org.rep)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/{endpoint}/?page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == ROWS
    if endpoint == "plan-pairings":
        assert all(row["last_met"] for row in response.json()["results"])


def test_my_work_and_capacity_queries_are_bounded(
    as_user, org, many, django_assert_max_num_queries
):
    client = as_user(org.rep)
    with django_assert_max_num_queries(16):
        body = client.get("/api/v1/my-work/").json()
    assert len(body["this_week"]) == ROWS and len(body["asked_of_me"]) == ROWS
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/capacity/").status_code == 200

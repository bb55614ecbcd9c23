"""My work through the API: the user's open actions across plans (overdue, due this
week, in the next 30 days), help asked of them and their own open requests, investment
cases they may decide and their own waiting — the My work page's rows."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.plans import services
from tests.plans.api.conftest import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(org):
    today = timezone.localdate()
    plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=today - datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=335),
    )
    save = services.element_save

    def act(title, days, owner=org.rep, status="planned"):
        return save(
            kind="action",
            plan=plan,
            user=org.rep,
            title=title,
            owner=owner,
            due_date=today + datetime.timedelta(days=days),
            effort_hours=Decimal("2"),
            status=status,
        )

    act("Overdue", -2)
    act("Today", 0)
    act("In a week", 7)
    act("In 8 days", 8)
    act("In 30 days", 30)
    act("In 31 days", 31)
    act("Done late", -5, status="done")
    act("Cancelled", 3, status="cancelled")
    act("The manager's", 1, owner=org.manager)

    def ask(user, of, what):
        return save(
            kind="help", plan=plan, user=user, what=what, asked_of=of, needed_by=plan.period_end
        )

    ask(org.manager, org.rep, "Asked of the rep")
    ask(org.rep, org.rep2, "The rep's request")
    answered = ask(org.rep, org.manager, "Answered already")
    services.help_respond(request=answered, user=org.manager, commit=True)

    idea = save(kind="idea", plan=plan, user=org.rep, title="Lab", annual_value=1)
    case = save(
        kind="investment",
        plan=plan,
        user=org.rep,
        idea=idea,
        title="Lab hardware",
        cost=Decimal(10),
        expected_return=Decimal(20),
    )
    services.investment_submit(case=case, user=org.rep)
    return plan


def _titles(rows, key="title"):
    return [row[key] for row in rows]


def test_rep_sees_their_own_work(as_user, org, work):
    response = get(as_user(org.rep), "my-work/")
    assert response.status_code == 200
    body = response.json()
    assert _titles(body["overdue"]) == ["Overdue"]
    assert _titles(body["this_week"]) == ["Today", "In a week"]
    assert _titles(body["next_30"]) == ["In 8 days", "In 30 days"]
    assert _titles(body["asked_of_me"], "what") == ["Asked of the rep"]
    assert _titles(body["my_requests"], "what") == ["The rep's request"]
    assert body["to_decide"] == []  # never one's own case
    assert _titles(body["my_cases"]) == ["Lab hardware"]
    assert body["overdue"][0]["plan"] == work.pk and body["overdue"][0]["version"] == 1


def test_manager_decides_the_reps_case(as_user, org, work):
    body = get(as_user(org.manager), "my-work/").json()
    assert _titles(body["this_week"]) == ["The manager's"]
    # Asked of their reports (the one asked of them was answered already).
    assert _titles(body["asked_of_me"], "what") == ["Asked of the rep", "The rep's request"]
    assert _titles(body["my_requests"], "what") == ["Asked of the rep"]
    assert _titles(body["to_decide"]) == ["Lab hardware"]
    assert body["my_cases"] == []


def test_someone_outside_sees_none_of_it(as_user, org, work):
    body = get(as_user(org.other), "my-work/").json()
    assert all(rows == [] for rows in body.values())


def test_an_archived_plan_is_no_work(as_user, org, work):
    services.plan_archive(plan=work, user=org.rep)
    for user in (org.rep, org.manager):
        body = get(as_user(user), "my-work/").json()
        assert all(rows == [] for rows in body.values()), user

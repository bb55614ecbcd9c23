"""My work: a user's open actions across plans by due date, and what waits for them."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from tests.plans.conftest import add_idea


def test_actions_requests_and_approvals(org, plan, client):
    today = datetime.date.today()

    def action(title, days, **extra):
        services.element_save(
            kind="action",
            plan=plan,
            user=org.rep,
            title=title,
            owner=org.rep,
            due_date=today + datetime.timedelta(days=days),
            effort_hours=Decimal("1"),
            confirm_outside_period=True,
            **extra,
        )

    action("Late call", -2)
    action("Workshop prep", 3)
    action("Exec dinner", 20)
    action("Far future", 90)
    action("Already done", -1, status="done")
    services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="Solution architect for pilot",
        asked_of=org.rep2,
        needed_by=today,
    )
    idea = add_idea(plan, org.rep, "100", needs_investment=True)
    case = services.element_save(
        kind="investment",
        plan=plan,
        user=org.rep,
        idea=idea,
        title="Pilot kit",
        cost=Decimal("10"),
        expected_return=Decimal("20"),
    )
    services.investment_submit(case=case, user=org.rep)

    client.force_login(org.rep)
    html = client.get("/my-work/").content.decode()
    section = lambda key: html.split(f'data-testid="work-{key}"')[1].split("</section>")[0]  # noqa: E731
    assert "Late call" in section("overdue") and "Workshop prep" not in section("overdue")
    assert "Workshop prep" in section("week")
    assert "Exec dinner" in section("month")
    assert "Far future" not in html and "Already done" not in html
    assert "Solution architect" in section("help")
    assert "Pilot kit" in section("approvals")  # waiting for a decision

    client.force_login(org.rep2)
    assert "Solution architect" in client.get("/my-work/").content.decode()
    client.force_login(org.manager)
    approvals = client.get("/my-work/").content.decode().split('data-testid="work-approvals"')[1]
    assert "Pilot kit" in approvals


def test_the_person_asked_commits_to_a_request(org, plan, client):
    request = services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="Legal review",
        asked_of=org.rep2,
        needed_by=datetime.date(2027, 2, 1),
    )
    client.force_login(org.other)
    client.post(f"/help/{request.pk}/respond/", {"decision": "commit"})
    request.refresh_from_db()
    assert request.status == "requested"  # only the person asked (or their manager) answers
    client.force_login(org.rep2)
    client.post(f"/help/{request.pk}/respond/", {"decision": "commit"})
    request.refresh_from_db()
    assert request.status == "committed"

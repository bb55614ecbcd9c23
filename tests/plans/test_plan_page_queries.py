"""The plan page reads each section's rows in one query per kind, and counts the guided
steps, the health and the capacity from what it read: its number of queries is small and
does not grow with the plan's rows, so a full plan opens as fast as an empty one."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.plans import services
from keyplan.plans.services.comments import comment_add
from tests.plans.conftest import add_idea, form_data

# Session, user, visibility, the plan and one query per kind of row, the account's facts
# and white-space row, the activity, capacity and health: 44 (64 before the guided steps,
# health and capacity were counted from the rows the page reads); and the account goal of
# the plan's year with its rep's quota (one query, since quotas and account goals): 45;
# the pipeline math (one UNION query of booked sales, open deals and closed history) and
# capacity counting territory-plan work (strategy people's hours and territory
# activities: two queries), since territory plans: 48; the "Shared with the customer"
# panel (keyplan.mutual): one query for a plan never shared, 49; the comments card (its
# comments, the "About" menu in one UNION query): 51, and with comments their mentions and
# the names of the parts they are about (one query per kind): 53; an investment case's
# history reads its people with its events (one query, not two): 52; the "About" menu
# named from the rows the page has read, and the account's own sales and pipeline in its
# white-space row cached per version of the sales roll-up: 50.
MOST_QUERIES = 50


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_rows(plan, org, n):
    """One more row of every kind of section: goal, value, competitor, idea with a
    submitted investment case, objective → strategy → action, milestone, qualitative goal,
    help request."""
    user = org.rep
    services.element_save(
        kind="goal", plan=plan, user=user, level="corporate", title=f"Goal {n}", contacts=[org.cfo]
    )
    services.element_save(
        kind="value", plan=plan, user=user, metric=f"Saved hours {n}", amount=Decimal(10 + n)
    )
    services.element_save(
        kind="vendor", plan=plan, user=user, relation="competitor", name=f"Rival {n}"
    )
    idea = add_idea(plan, user, str(100000 + n), title=f"Idea {n}", needs_investment=True)
    case = services.element_save(
        kind="investment",
        plan=plan,
        user=user,
        idea=idea,
        title=f"Case {n}",
        cost=Decimal("1000"),
        expected_return=Decimal("5000"),
    )
    services.investment_submit(case=case, user=user)
    objective = services.element_save(
        kind="objective",
        plan=plan,
        user=user,
        category="revenue",
        title=f"Objective {n}",
        metric="revenue",
        target=Decimal("10"),
        due_date=datetime.date(2027, 12, 31),
        owner=user,
        progress_source="revenue",
    )
    strategy = services.element_save(
        kind="strategy", plan=plan, user=user, objective=objective, description=f"Strategy {n}"
    )
    services.element_save(
        kind="action",
        plan=plan,
        user=user,
        strategy=strategy,
        title=f"Action {n}",
        owner=user,
        due_date=datetime.date(2027, 3, 1) + datetime.timedelta(days=30 * n),
        effort_hours=Decimal("2"),
        contacts=[org.cio],
    )
    services.element_save(
        kind="milestone",
        plan=plan,
        user=user,
        objective=objective,
        title=f"Milestone {n}",
        date=datetime.date(2027, 6, 1),
    )
    services.element_save(kind="qualitative", plan=plan, user=user, text=f"Be trusted {n}")
    comment_add(plan=plan, user=user, subject="idea", object_id=idea.pk, text=f"@manager {n}?")
    services.element_save(
        kind="help",
        plan=plan,
        user=user,
        what=f"A specialist for workshop {n}",
        asked_of=org.rep2,
        needed_by=datetime.date(2027, 4, 1),
        hours=Decimal("4"),
    )


def test_plan_page_queries_are_few_and_do_not_grow_with_rows(org, plan, client):
    client.force_login(org.rep)
    url = plan.get_absolute_url()
    _add_rows(plan, org, 0)
    _queries(client, url)  # warm the session and the caches
    one = _queries(client, url)
    for n in range(1, 8):
        _add_rows(plan, org, n)
    page = client.get(url).content.decode()
    assert page.count("Case ") >= 8 and "Action 7" in page and "Milestone 7" in page
    many = _queries(client, url)
    assert many == one
    assert many <= MOST_QUERIES


# A section's save answers with the section and the parts showing what it holds (views/
# sections.py). The save itself as before (session, user, visibility, the form's plan,
# who may edit — in the view and again in the service —, the lock, the validation, the
# update and the change record), then the answer: the plan again, its accounts, one
# query per kind of row the steps count, the linked opportunities, the objectives with
# what they are measured by, who may edit, overdue actions, decision makers, activity
# and versions. Research also reads the vendors' product lines, proposal the contacts
# it may be presented to; basics validates the owner, team and accounts and reads the
# facts, the account goal, the pipeline math and the header's people, accounts and
# pairings. (Before, every save answered with the whole plan body: 66 queries for an
# insights save on the demo, 40 now.)
SECTION_SAVE_MOST_QUERIES = {"insights": 39, "research": 40, "proposal": 41, "basics": 65}
CHANGED_FIELD = {
    "insights": "value_perception",
    "research": "customer_trends",
    "proposal": "proposal_vision",
    "basics": "aspiration_statement",
}


def _section_save(client, plan, section, text) -> tuple[int, str]:
    url = f"/plans/{plan.pk}/section/{section}/"
    data = form_data(client, url) | {CHANGED_FIELD[section]: [text]}
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Retarget"] == f"#{section}"
    html = response.content.decode()
    assert text in html.split('id="plan-version"')[0]  # shown in the saved section
    return len(ctx.captured_queries), html


@pytest.mark.parametrize("section", list(CHANGED_FIELD))
def test_section_save_queries_are_few_and_do_not_grow_with_rows(org, plan, client, section):
    client.force_login(org.rep)
    _add_rows(plan, org, 0)
    _section_save(client, plan, section, "Warm")  # the session and the caches
    one, _ = _section_save(client, plan, section, "With one row of each kind")
    for n in range(1, 8):
        _add_rows(plan, org, n)
    many, html = _section_save(client, plan, section, "With eight rows of each kind")
    # The parts sent show the rows: the activity lists the latest changes, and the
    # section its own rows.
    assert html.count('<li><span class="muted">') >= 40
    if section == "insights":
        assert "Saved hours 7" in html
    if section == "research":
        assert "Rival 7" in html
    assert many == one
    assert many <= SECTION_SAVE_MOST_QUERIES[section]

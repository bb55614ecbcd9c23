"""Executive pairings show the last executive meeting of both leaders, when the next is
due and whether the cadence was missed; actions filter by plan, owner, status and due
dates; an objective measured by keyplan's facts shows where its value comes from."""

import datetime

import pytest
from django.utils import timezone

from keyplan.plans import services
from tests.factories import ContactFactory, InteractionFactory
from tests.plans.api.conftest import END, get, post

pytestmark = pytest.mark.django_db


def test_pairing_last_met_and_overdue(as_user, org, plan):
    today = timezone.localdate()
    met, never = ContactFactory(account=org.mine), ContactFactory(account=org.mine)
    for contact in (met, never):
        services.element_save(
            kind="pairing",
            plan=plan,
            user=org.rep,
            our_executive=org.manager,
            their_executive=contact,
            cadence_days=91,
        )
    for days, executive in ((100, True), (120, True), (5, False)):
        meeting = InteractionFactory(
            account=org.mine, is_executive=executive, date=today - datetime.timedelta(days=days)
        )
        meeting.contacts.add(met)
        meeting.participants.add(org.manager)
    rows = get(as_user(org.rep), f"plan-pairings/?plan={plan.pk}").json()["results"]
    by_contact = {row["their_executive"]: row for row in rows}
    last = today - datetime.timedelta(days=100)  # the 5-day-old meeting was not executive
    assert by_contact[met.pk]["last_met"] == last.isoformat()
    assert by_contact[met.pk]["next_due"] == (last + datetime.timedelta(days=91)).isoformat()
    assert by_contact[met.pk]["overdue"] is True
    assert by_contact[never.pk]["last_met"] is None and by_contact[never.pk]["overdue"] is True
    assert by_contact[met.pk]["our_executive_name"] == str(org.manager)
    one = get(as_user(org.rep), f"plan-pairings/{by_contact[met.pk]['id']}/").json()
    assert one["last_met"] == last.isoformat()


def test_action_filters(as_user, org, plan):
    client = as_user(org.rep)
    for title, owner, due, status in (
        ("A", org.rep, "2027-02-01", "planned"),
        ("B", org.rep, "2027-05-01", "done"),
        ("C", org.manager, "2027-08-01", "planned"),
    ):
        data = {
            "plan": plan.pk,
            "title": title,
            "owner": owner.pk,
            "due_date": due,
            "effort_hours": "3",
            "status": status,
        }
        assert post(client, "plan-actions/", data).status_code == 201

    def titles(query):
        response = get(client, f"plan-actions/?{query}")
        assert response.status_code == 200, response.content
        return [row["title"] for row in response.json()["results"]]

    assert titles(f"plan={plan.pk}") == ["A", "B", "C"]
    assert titles(f"owner={org.rep.pk}") == ["A", "B"]
    assert titles("status=planned") == ["A", "C"]
    assert titles("due_before=2027-05-01") == ["A", "B"]
    assert titles("due_after=2027-05-01") == ["B", "C"]
    assert titles("due_after=2027-03-01&due_before=2027-06-01") == ["B"]
    assert titles(f"plan={plan.pk + 1000}") == []
    assert get(client, "plan-actions/?status=someday").status_code == 400


def test_objective_measured_by_facts(as_user, org, plan):
    ContactFactory(account=org.theirs)  # another account: does not count
    response = post(
        as_user(org.rep),
        "plan-objectives/",
        {
            "plan": plan.pk,
            "category": "business_development",
            "title": "Know 4 people",
            "metric": "contacts",
            "target": "4",
            "due_date": END.isoformat(),
            "owner": org.rep.pk,
            "progress_source": "contacts_known",
        },
    )
    assert response.status_code == 201, response.content
    progress = response.json()["progress"]
    assert progress["current"] == "1.00" and progress["percent"] == 25  # the CFO
    assert progress["source"] == "Contacts we know at the plan's accounts"

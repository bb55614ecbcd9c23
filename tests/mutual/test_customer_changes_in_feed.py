"""What the customer's people do on the shared plan — confirm or comment on a goal, mark
a joint action done, add and finish actions of their own — lands in the plan's activity
feed under their name, and is refused with a sentence (nothing changed) when it does not
fit."""

import datetime

from django.test import Client

from keyplan.mutual.links import share_path
from keyplan.mutual.models import CustomerAction, GoalResponse
from keyplan.plans.choices import ActionStatus
from keyplan.plans.models import Action, PlanChange
from tests.mutual.conftest import share


def _post(client, path, **data):
    return client.post(path, data)


def test_customer_changes_show_in_the_feed_with_the_contacts_name(mutual_plan, client):
    p = mutual_plan
    path = share_path(share(p))
    customer = Client()
    clara = str(p.clara.pk)

    assert _post(customer, path, do="confirm", item=p.goal.pk, contact=clara).status_code == 302
    assert (
        _post(
            customer,
            path,
            do="comment",
            item=p.goal.pk,
            contact=clara,
            comment="Downtime in the Lyon plant counts double",
        ).status_code
        == 302
    )
    before = Action.objects.get(pk=p.joint.pk).version
    assert _post(customer, path, do="done", item=p.joint.pk, contact=clara).status_code == 302
    assert (
        _post(
            customer,
            path,
            do="add",
            contact=str(p.ivan.pk),
            title="Send the downtime log of 2026",
            due_date=(datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        ).status_code
        == 302
    )
    own = CustomerAction.objects.get(plan=p.plan)
    assert (
        _post(customer, path, do="own_done", item=own.pk, contact=str(p.ivan.pk)).status_code == 302
    )

    joint = Action.objects.get(pk=p.joint.pk)
    assert joint.status == ActionStatus.DONE and joint.completed_at is not None
    assert joint.version == before + 1
    assert GoalResponse.objects.filter(goal=p.goal, confirmed=True).count() == 1
    by = list(
        PlanChange.objects.filter(plan=p.plan)
        .exclude(by_name="")
        .order_by("pk")
        .values_list("by_name", "subject")
    )
    assert by == [
        ("Clara Finance", "customer confirmation"),
        ("Clara Finance", "customer comment"),
        ("Clara Finance", "action"),
        ("Ivan Tech", "customer action"),
        ("Ivan Tech", "customer action done"),
    ]

    client.force_login(p.org.rep)
    feed = client.get(p.plan.get_absolute_url()).content.decode().split('data-testid="activity"')[1]
    assert (
        'Clara Finance</strong> <span class="muted">(customer)</span> '
        "confirmed their goal “Halve unplanned downtime”" in feed
    )
    assert "commented on their goal" in feed and "Downtime in the Lyon plant counts double" in feed
    assert "moved action “Walk the plant floor together”" in feed and "Planned → Done" in feed
    assert "Ivan Tech</strong>" in feed and "Send the downtime log of 2026" in feed

    # The API's feed names them too.
    api = client.get(f"/api/v1/plans/{p.plan.pk}/activity/").json()["results"]
    assert [c["by_name"] for c in api if c["by_name"]][:2] == ["Ivan Tech", "Ivan Tech"]
    assert all(c["user"] is None for c in api if c["by_name"])

    # The customer sees what they said.
    page = customer.get(path).content.decode()
    assert "Downtime in the Lyon plant counts double" in page
    assert "confirmed" in page


def test_what_the_link_does_not_show_cannot_be_changed(mutual_plan):
    p = mutual_plan
    path = share_path(share(p, hidden_actions=[], show_goals=False))
    customer = Client()
    clara = str(p.clara.pk)
    changes = PlanChange.objects.count()
    # Our own action (no customer contact on it) is not joint: not on the page, not changeable.
    refused = _post(customer, path, do="done", item=p.ours.pk, contact=clara)
    assert refused.status_code == 400
    assert "This action is not part of the shared plan." in refused.content.decode()
    assert Action.objects.get(pk=p.ours.pk).status == ActionStatus.PLANNED
    # Goals are not shared by this link.
    refused = _post(customer, path, do="confirm", item=p.goal.pk, contact=clara)
    assert (
        refused.status_code == 400
        and "This goal is not part of the shared plan." in refused.content.decode()
    )
    assert PlanChange.objects.count() == changes and not GoalResponse.objects.exists()


def test_bad_input_from_the_customer_gets_a_sentence_and_changes_nothing(mutual_plan):
    p = mutual_plan
    path = share_path(share(p))
    customer = Client()
    changes = PlanChange.objects.count()

    nobody = _post(customer, path, do="confirm", item=p.goal.pk)
    assert (
        nobody.status_code == 400
        and "Say who you are: choose your name." in nobody.content.decode()
    )
    stranger = _post(customer, path, do="confirm", item=p.goal.pk, contact="999999")
    assert stranger.status_code == 400
    empty = _post(
        customer, path, do="comment", item=p.goal.pk, contact=str(p.clara.pk), comment="  "
    )
    assert "Write a comment, or confirm the goal." in empty.content.decode()
    untitled = _post(customer, path, do="add", contact=str(p.clara.pk), title="", due_date="")
    assert "Say what will be done." in untitled.content.decode()
    past = _post(
        customer,
        path,
        do="add",
        contact=str(p.clara.pk),
        title="Send figures",
        due_date="2001-01-01",
    )
    assert "has passed: choose today or later." in past.content.decode()
    # What was typed is still in the form.
    assert 'value="Send figures"' in past.content.decode()
    nonsense = _post(customer, path, do="add", contact=str(p.clara.pk), title="x", due_date="soon")
    assert "“soon” is not a day" in nonsense.content.decode()
    unknown = _post(customer, path, do="explode")
    assert unknown.status_code == 400

    assert PlanChange.objects.count() == changes
    assert not CustomerAction.objects.exists() and not GoalResponse.objects.exists()


def test_a_done_action_cannot_be_marked_done_twice(mutual_plan):
    p = mutual_plan
    path = share_path(share(p))
    customer = Client()
    assert (
        _post(customer, path, do="done", item=p.joint.pk, contact=str(p.clara.pk)).status_code
        == 302
    )
    again = _post(customer, path, do="done", item=p.joint.pk, contact=str(p.clara.pk))
    assert again.status_code == 400
    assert "is already done" in again.content.decode()
    assert (
        PlanChange.objects.filter(plan=p.plan, subject="action", by_name="Clara Finance").count()
        == 1
    )
    assert customer.get(path).status_code == 200

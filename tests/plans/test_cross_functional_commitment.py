"""A cross-functional commitment: the plan asks delivery, manufacturing or finance to
commit to a scope for a span of dates; the commitment records who committed, and the
plan page shows it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from keyplan.plans import services
from keyplan.plans.models import HelpRequest, Notification

D = datetime.date


def _ask(org, plan, **fields):
    values = {
        "help_kind": "commitment",
        "what": "Roll-out team for the pilot",
        "asked_of": org.manager,
        "needed_by": D(2027, 2, 1),
        "function": "delivery",
        "scope": "Two engineers on site for six weeks",
        "committed_from": D(2027, 3, 1),
        "committed_to": D(2027, 4, 15),
    } | fields
    return services.element_save(kind="help", plan=plan, user=org.rep, **values)


def test_a_commitment_is_recorded_with_who_committed_and_shown(org, plan, client):
    request = _ask(org, plan)
    note = Notification.objects.get(recipient=org.manager)
    assert "asks delivery to commit for Mine Group: Roll-out team for the pilot" in note.text
    client.force_login(org.manager)
    work = client.get("/my-work/").content.decode()
    assert "Delivery commitment" in work and "Two engineers on site for six weeks" in work
    services.help_respond(request=request, user=org.manager, commit=True, response="Booked.")
    request = HelpRequest.objects.get(pk=request.pk)
    assert (request.status, request.committed_by, request.scope) == (
        "committed",
        org.manager,
        "Two engineers on site for six weeks",
    )
    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Delivery commitment" in page
    assert "Two engineers on site for six weeks</span> · holds 2027-03-01 – 2027-04-15" in page
    assert f"committed by {org.manager}" in page


def test_a_scope_written_as_a_sentence_reads_without_a_stray_comma(org, plan, client):
    # "…of operation., 2027-03-02 – 2027-05-31": the dates were tacked on with a comma.
    _ask(org, plan, scope="Two engineers on site, then remote support for a quarter.")
    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "for a quarter.</span> · holds 2027-03-01 – 2027-04-15" in page
    assert ".</span>," not in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"function": ""}, "function", "delivery, manufacturing or finance"),
        ({"scope": "  "}, "scope", "Describe the scope"),
        ({"committed_to": None}, "committed_to", "from and until"),
        ({"committed_to": D(2027, 2, 1)}, "committed_to", "before it starts"),
    ],
)
def test_a_commitment_without_scope_or_dates_is_refused(org, plan, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        _ask(org, plan, **fields)
    assert message in " ".join(refused.value.message_dict[field])
    assert not HelpRequest.objects.exists()
    assert not Notification.objects.exists()


def test_a_plain_request_for_help_carries_no_commitment(org, plan):
    request = _ask(org, plan, help_kind="help")
    assert (request.function, request.scope, request.committed_from) == ("", "", None)


def test_the_api_takes_and_shows_a_commitment(org, plan, api_client):
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        "/api/v1/plan-help-requests/",
        {
            "plan": plan.pk,
            "help_kind": "commitment",
            "what": "Credit line for the expansion",
            "asked_of": org.manager.pk,
            "needed_by": "2027-02-01",
            "function": "finance",
            "scope": "Payment terms of 90 days on the expansion order",
            "committed_from": "2027-03-01",
            "committed_to": "2027-12-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    api_client.force_authenticate(org.manager)
    answer = api_client.post(
        f"/api/v1/plan-help-requests/{response.json()['id']}/respond/",
        {"commit": True},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["function"], data["committed_by_name"], data["status"]) == (
        "finance",
        str(org.manager),
        "committed",
    )

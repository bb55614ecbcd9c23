"""Committed help counts in Capacity with its hours: a request committed by a person adds
its hours to that person's month (the month it is needed), on the plan's capacity check,
the Capacity page and the API; requested or declined help does not."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from keyplan.plans import services
from keyplan.plans.capacity import add_months, capacity, month_start
from keyplan.plans.models import HelpRequest


def _ask(plan, org, what, day, hours=None):
    return services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what=what,
        asked_of=org.rep2,
        needed_by=day,
        hours=None if hours is None else Decimal(hours),
    )


def test_committed_help_adds_its_hours_to_the_persons_month(org, plan):
    march = datetime.date(2027, 3, 1)
    own_plan = services.plan_create(
        account=org.teammate,
        user=org.rep2,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        revenue_goal=Decimal("1"),
    )
    services.element_save(
        kind="action",
        plan=own_plan,
        user=org.rep2,
        title="Workshop",
        owner=org.rep2,
        due_date=datetime.date(2027, 3, 2),
        effort_hours=Decimal("10"),
    )
    committed = _ask(plan, org, "Security review", datetime.date(2027, 3, 20), "12")
    services.help_respond(request=committed, user=org.rep2, commit=True)
    _ask(plan, org, "Not answered yet", datetime.date(2027, 3, 21), "30")
    declined = _ask(plan, org, "Declined", datetime.date(2027, 3, 22), "40")
    services.help_respond(request=declined, user=org.rep2, commit=False, response="No time")
    april_help = _ask(plan, org, "In April", datetime.date(2027, 4, 2), "5")
    services.help_respond(request=april_help, user=org.rep2, commit=True, hours=Decimal("7.5"))

    [[m, a]] = capacity([org.rep2], [march, add_months(march, 1)])
    assert (m.planned, m.help) == (Decimal("22"), Decimal("12"))
    assert (a.planned, a.help) == (Decimal("7.5"), Decimal("7.5"))


def test_plan_page_counts_people_committed_to_help_it(org, plan, client):
    help_request = _ask(plan, org, "Reference call", datetime.date(2027, 5, 10), "16")
    services.help_respond(request=help_request, user=org.rep2, commit=True)
    client.force_login(org.rep)
    html = client.get(plan.get_absolute_url()).content.decode()
    capacity_card = html.split('data-testid="capacity"')[1].split("</section>")[0]
    assert str(org.rep2) in capacity_card and "May 2027" in capacity_card
    assert "16 / " in capacity_card and "incl. 16 h help" in capacity_card
    assert "Reference call — asked of" in html and ", 16 h" in html


def test_committing_from_my_work_with_hours_shows_on_the_capacity_page(org, plan, client):
    day = add_months(month_start(timezone.localdate()), 1) + datetime.timedelta(days=4)
    help_request = _ask(plan, org, "Pricing help", day, "4")
    client.force_login(org.rep2)
    assert 'value="4"' in client.get(reverse("my_work")).content.decode()  # the estimate
    page = client.post(
        reverse("help_respond", args=[help_request.pk]),
        {"decision": "commit", "hours": "6,5", "version": help_request.version},
        follow=True,
    ).content.decode()
    assert "Answered: Pricing help." in page
    assert HelpRequest.objects.get(pk=help_request.pk).hours == Decimal("6.5")
    client.force_login(org.manager)
    page = client.get(reverse("capacity")).content.decode()
    row = next(r for r in page.split("<tr>") if str(org.rep2) in r)
    assert "6.5 / " in row and "incl. 6.5 h help" in row


def test_hours_that_are_not_a_number_are_refused_and_nothing_is_answered(org, plan, client):
    help_request = _ask(plan, org, "Pricing help", datetime.date(2027, 2, 1))
    client.force_login(org.rep2)
    page = client.post(
        reverse("help_respond", args=[help_request.pk]),
        {"decision": "commit", "hours": "lots", "version": help_request.version},
        follow=True,
    ).content.decode()
    assert "“lots” is not a number of hours." in page
    assert HelpRequest.objects.get(pk=help_request.pk).status == "requested"


def test_api_capacity_and_respond_carry_the_help_hours(org, plan, api_client):
    help_request = _ask(plan, org, "Demo", datetime.date(2027, 6, 3), "3")
    api_client.force_authenticate(org.rep2)
    answered = api_client.post(
        f"/api/v1/plan-help-requests/{help_request.pk}/respond/",
        {"commit": True, "hours": "9"},
        format="json",
    ).json()
    assert answered["status"] == "committed" and answered["hours"] == "9.0"
    api_client.force_authenticate(org.rep)
    data = api_client.get(f"/api/v1/plans/{plan.pk}/capacity/").json()
    [person] = [p for p in data["people"] if p["user"] == org.rep2.pk]
    [june] = [load for load in person["loads"] if load["month"] == "2027-06-01"]
    assert (june["planned"], june["help"]) == ("9.0", "9.0")

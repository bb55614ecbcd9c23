"""Submitting an investment case says who will decide it, by name: on the page right
after submitting and in the submitter's view of the case afterwards."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keyplan.people.choices import Role
from keyplan.plans import services
from keyplan.plans.models import Notification
from tests.factories import UserFactory
from tests.plans.conftest import END, START, add_idea


def _case(plan, user):
    idea = add_idea(plan, user, "900000", needs_investment=True, title="Joint innovation lab")
    return services.element_save(
        kind="investment",
        plan=plan,
        user=user,
        idea=idea,
        title="Lab hardware",
        cost=Decimal("120000"),
        expected_return=Decimal("900000"),
    )


@pytest.fixture
def named(org):
    org.manager.first_name, org.manager.last_name = "Mia", "Manager"
    org.manager.save()
    org.rep.first_name, org.rep.last_name = "Rita", "Rep"
    org.rep.save()
    return org


def test_page_after_submitting_names_the_manager_who_decides(named, plan, client):
    case = _case(plan, named.rep)
    client.force_login(named.rep)
    url = reverse("plan_investment_submit", args=[plan.pk, case.pk])
    html = client.post(url, {"version": case.version}, HTTP_HX_REQUEST="true").content.decode()
    expected = "Waiting for a decision by Mia Manager, who has been asked"
    assert expected in html
    # Later, in the submitter's own view of the plan.
    assert expected in client.get(plan.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=named.manager).exists()


def test_without_htmx_the_reloaded_plan_page_says_it_at_the_top(named, plan, client):
    case = _case(plan, named.rep)
    client.force_login(named.rep)
    url = reverse("plan_investment_submit", args=[plan.pk, case.pk])
    html = client.post(url, {"version": case.version}, follow=True).content.decode()
    assert "“Lab hardware” submitted. Waiting for a decision by Mia Manager" in html


def test_an_owner_without_a_manager_has_the_executives_decide(org, client):
    org.executive.first_name, org.executive.last_name = "Eva", "Executive"
    org.executive.save()
    UserFactory(username="exec2", first_name="Ed", last_name="Board", role=Role.EXECUTIVE)
    plan = services.plan_create(
        account=org.theirs,
        user=org.other,
        period_start=START,
        period_end=END,
        revenue_goal=Decimal("1000"),
    )
    case = _case(plan, org.other)
    services.investment_submit(case=case, user=org.other)
    client.force_login(org.other)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Waiting for a decision by Ed Board and Eva Executive, who have been asked" in html
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "exec",
        "exec2",
    }


def test_a_manager_field_naming_a_rep_does_not_make_the_rep_a_decider(named, plan, client):
    named.rep.manager = named.rep2  # a rep cannot decide investment cases
    named.rep.team = None
    named.rep.save()
    named.executive.first_name, named.executive.last_name = "Eva", "Executive"
    named.executive.save()
    case = _case(plan, named.rep)
    services.investment_submit(case=case, user=named.rep)
    client.force_login(named.rep)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Waiting for a decision by Eva Executive, who has been asked" in html


def test_my_work_says_who_will_decide_each_of_my_cases(named, plan, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def submit(title):
        case = _case(plan, named.rep)
        case.title = title
        case.save()
        services.investment_submit(case=case, user=named.rep)

    client.force_login(named.rep)
    submit("Lab hardware")
    client.get(reverse("my_work"))  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("my_work"))
    submit("Second lab")
    submit("Third lab")
    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("my_work")).content.decode()
    section = html.split("Your cases waiting for a decision")[1].split("</ul>")[0]
    assert section.count("Mia Manager will decide it") == 3
    assert len(three) == len(one)  # no query per case

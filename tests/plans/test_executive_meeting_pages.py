"""The executive meeting request on the pages: the manager asks from a late pairing's
row of the executive program; the executive finds it in My work and on the program page
and accepts with a date; the program then shows the meeting planned. The briefing is
drawn from the plan and is only for those who see the plan (another team's rep: 404)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.plans import services
from keyplan.plans.choices import MeetingStatus
from keyplan.plans.models import ExecutiveMeetingRequest
from tests.factories import UserFactory
from tests.plans.test_executive_meeting_requests import ask, days, paired  # noqa: F401

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_ask_from_the_program_and_accept(paired, client):  # noqa: F811
    client.force_login(paired.manager)
    page = client.get("/executive-program/").content.decode()
    link = f"/plans/{paired.plan.pk}/executive-meetings/new/?pairing={paired.pairing.pk}"
    assert f'href="{link}"' in page and "Ask for a meeting" in page
    form = client.get(link)
    assert "Eve Ekman ↔ Carl Chief" in text(form)
    response = client.post(
        link,
        {
            "executive": paired.executive.pk,
            "contacts": [paired.ceo.pk],
            "purpose": "Agree the roadmap",
            "wished_from": days(3).isoformat(),
            "wished_until": days(20).isoformat(),
            "pairing": paired.pairing.pk,
        },
    )
    assert response.status_code == 302, text(response)
    meeting = ExecutiveMeetingRequest.objects.get()
    assert response["Location"] == f"/executive-meetings/{meeting.pk}/"
    assert "Meeting asked of Eve Ekman" in text(client.get("/executive-program/"))

    client.force_login(paired.executive)
    for url in ("/my-work/", "/executive-program/"):
        page = text(client.get(url))
        assert "Executive meetings asked of you Mine Group: meet Carl Chief" in page
    detail = text(client.get(meeting.get_absolute_url()))
    assert "Agree the roadmap" in detail and "Accept" in detail
    assert "Accept with a date" in detail  # the executive's form, not the word "Accepted"
    day = days(9)
    response = client.post(
        f"/executive-meetings/{meeting.pk}/respond/",
        {
            "decision": "accept",
            "day": day.isoformat(),
            "time": "14:30",
            "minutes": "60",
            "place": "Oslo",
            "version": meeting.version,
        },
        follow=True,
    )
    assert "Accepted: " in text(response)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(14, 30)
    program = text(client.get("/executive-program/"))
    assert f"Never met; planned {day:%Y-%m-%d}" in program
    assert f"Meeting accepted: {day:%Y-%m-%d} 14:30" in program
    client.force_login(paired.rep)  # the plan's owner
    work = text(client.get("/my-work/"))
    assert f"Executive meetings ahead Mine Group : {day:%Y-%m-%d} 14:30 — Eve Ekman" in work
    assert "Executive meetings asked of you" not in work


def test_bad_answers_say_why(paired, client):  # noqa: F811
    meeting = ask(paired)
    client.force_login(paired.executive)
    response = client.post(
        f"/executive-meetings/{meeting.pk}/respond/",
        {"decision": "decline", "reason": "", "version": meeting.version},
        follow=True,
    )
    assert "Say why you decline, so the team can plan around it." in text(response)
    client.force_login(paired.manager)
    response = client.post(
        f"/executive-meetings/{meeting.pk}/respond/",
        {"decision": "accept", "day": days(4).isoformat(), "time": "10:00", "minutes": 60},
        follow=True,
    )
    assert "Only Eve Ekman answers this request" in text(response)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED


def test_the_briefing_is_drawn_from_the_plan(paired, client):  # noqa: F811
    services.element_save(
        kind="goal",
        plan=paired.plan,
        user=paired.rep,
        level="corporate",
        title="Halve the time to open a new site",
    )
    services.element_save(
        kind="idea",
        plan=paired.plan,
        user=paired.rep,
        title="Site monitoring rollout",
        annual_value=Decimal("4230000"),
        confidence=60,
    )
    idea = services.element_save(
        kind="idea",
        plan=paired.plan,
        user=paired.rep,
        title="Joint lab",
        annual_value=Decimal("250000"),
        needs_investment=True,
    )
    case = services.element_save(
        kind="investment",
        plan=paired.plan,
        user=paired.rep,
        idea=idea,
        title="Lab equipment",
        cost=Decimal("80000"),
        expected_return=Decimal("400000"),
    )
    services.investment_submit(case=case, user=paired.rep)
    services.element_save(
        kind="help",
        plan=paired.plan,
        user=paired.rep,
        what="A solution architect for the lab",
        asked_of=paired.rep2,
        needed_by=days(20),
    )
    meeting = ask(paired)
    client.force_login(paired.manager)
    page = text(client.get(f"/executive-meetings/{meeting.pk}/briefing/"))
    assert "Investment: Lab equipment — our cost 80,000 USD (submitted for approval)" in page
    assert "Help: A solution architect for the lab — asked of" in page
    assert "Briefing: Eve Ekman at Mine Group" in page
    assert "Agree the three-year roadmap with Carl" in page
    assert "Halve the time to open a new site" in page
    assert "Site monitoring rollout Idea 4,230,000 USD 60%" in page
    assert "Relationship map warnings" in page
    assert "No executive meeting with this account yet." in page
    pdf = client.get(f"/executive-meetings/{meeting.pk}/briefing.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_only_those_who_see_the_plan_read_the_briefing(paired, client):  # noqa: F811
    meeting = ask(paired)
    client.force_login(paired.other)  # a rep of another team
    for url in (
        f"/executive-meetings/{meeting.pk}/",
        f"/executive-meetings/{meeting.pk}/briefing/",
        f"/executive-meetings/{meeting.pk}/briefing.pdf",
    ):
        assert client.get(url).status_code == 404
    # A manager of another team paired as the executive answers the request, yet the
    # briefing (the plan) stays closed to them.
    outsider = UserFactory(username="boss", role="manager", first_name="Otto", last_name="Outer")
    other = ask(paired, pairing=None, executive=outsider, contacts=[paired.ceo])
    client.force_login(outsider)
    detail = text(client.get(other.get_absolute_url()))
    assert "Accept" in detail and "Read the briefing" not in detail
    assert "Accept with a date" in detail  # they may answer it
    assert client.get(f"/executive-meetings/{other.pk}/briefing/").status_code == 404


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_no_query_per_request_or_pairing(paired, client):  # noqa: F811
    from tests.factories import ContactFactory

    def more(n):
        for i in range(n):
            leader = ContactFactory(account=paired.mine, first_name="Lead", last_name=f"Er{i}")
            pairing = services.element_save(
                kind="pairing",
                plan=paired.plan,
                user=paired.rep,
                our_executive=paired.executive,
                their_executive=leader,
            )
            # Each request on its own plan and pairing (one open request per executive
            # and plan would refuse the second): ask, then accept, so both kinds show.
            meeting = ask(paired, pairing=pairing, executive=None, contacts=None)
            services.meeting_accept(
                meeting=meeting,
                user=paired.executive,
                starts_at=timezone.make_aware(
                    datetime.datetime.combine(days(5 + i), datetime.time(9))
                ),
            )

    ask(paired)  # one open, waiting for the executive
    more(1)
    client.force_login(paired.executive)
    few = {url: _queries(client, url) for url in ("/executive-program/", "/my-work/")}
    more(4)
    many = {url: _queries(client, url) for url in ("/executive-program/", "/my-work/")}
    assert many == few
    # The count is only worth comparing if the pages show the added meetings: the accepted
    # ones are the executive's meetings ahead on their work page, with their dates.
    work = text(client.get("/my-work/"))
    for i in range(4):
        assert f"{days(5 + i):%Y-%m-%d} 09:00 — Eve Ekman with Lead Er{i}" in work, i

"""The daily digest, through a real SMTP server: sent at 07:00 in the person's own time
zone, once a day however often the task runs, holding the notifications they chose to
read in it and their overdue and coming actions — and nothing they may not see."""

import datetime
import zoneinfo
from decimal import Decimal

from keyplan.plans import services
from keyplan.rhythm.mail import send_due_emails
from keyplan.rhythm.models import NotificationEmail, SentEmail
from keyplan.rhythm.services import settings_save
from tests.rhythm.conftest import TODAY, add_action, body, days

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def at(day: datetime.date, hour: int, minute: int = 0, zone=BERLIN) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def _submitted_case(org, plan, title="Lab hardware"):
    idea = services.element_save(
        kind="idea", plan=plan, user=org.rep, title=f"Idea for {title}",
        annual_value=Decimal("900000"), needs_investment=True,
    )  # fmt: skip
    case = services.element_save(
        kind="investment", plan=plan, user=org.rep, idea=idea, title=title,
        cost=Decimal("120000"), expected_return=Decimal("900000"),
    )  # fmt: skip
    return services.investment_submit(case=case, user=org.rep)


def test_the_digest_comes_once_in_the_morning(org, plan, smtp, django_capture_on_commit_callbacks):
    settings_save(user=org.manager, time_zone="Europe/Berlin", deliveries={"decisions": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        _submitted_case(org, plan)
    assert smtp.to("manager@example.com") == []  # not at once: in the digest

    send_due_emails(now=at(TODAY, 6, 59))
    assert smtp.to("manager@example.com") == []  # before 07:00 in Berlin
    send_due_emails(now=at(TODAY, 7, 5))
    [digest] = smtp.to("manager@example.com")
    assert digest["Subject"] == f"keyplan digest for {TODAY:%Y-%m-%d}: 1 item"
    text = body(digest)
    assert text.startswith(f"Good morning {org.manager.first_name},")
    assert "Decisions waiting (investment cases to decide, decisions on yours) (1)" in text
    assert "asks you to decide the investment case “Lab hardware” (Mine Group)" in text
    assert f"https://keyplan.example.com/plans/{plan.pk}/#investments" in text

    send_due_emails(now=at(TODAY, 7, 10))
    send_due_emails(now=at(TODAY, 12, 0))
    assert len(smtp.to("manager@example.com")) == 1  # once a day
    # Submitted after this morning's digest: in tomorrow's.
    with django_capture_on_commit_callbacks(execute=True):
        _submitted_case(org, plan, "Pilot licences")
    send_due_emails(now=at(TODAY, 18, 0))
    assert len(smtp.to("manager@example.com")) == 1
    send_due_emails(now=at(TODAY + datetime.timedelta(days=1), 7, 0))
    tomorrow = body(smtp.to("manager@example.com")[1])
    assert "Pilot licences" in tomorrow and "Lab hardware" not in tomorrow


def test_actions_due_and_overdue_are_in_the_owners_digest(org, plan, smtp):
    settings_save(user=org.rep, time_zone="Europe/Berlin", deliveries={})
    add_action(plan, org.rep, "Send the proposal", days(-2))
    add_action(plan, org.rep, "Prepare the QBR", days(3))
    add_action(plan, org.rep, "Renewal talks", days(30))
    add_action(plan, org.rep, "Old and done", days(-5), status="done")
    add_action(plan, org.rep, "The manager's call", days(1), owner=org.manager)
    send_due_emails(now=at(TODAY, 7, 30))
    [digest] = smtp.to("rep@example.com")
    text = body(digest)
    overdue = text.split("Overdue (1)\n")[1].split("\n\n")[0]
    assert f"- Send the proposal (plan for Mine Group), due {days(-2):%Y-%m-%d}" in overdue
    soon = text.split("Due in the next 7 days (1)\n")[1].split("\n\n")[0]
    assert "Prepare the QBR" in soon
    assert f"https://keyplan.example.com/plans/{plan.pk}/#execution" in soon
    for absent in ("Renewal talks", "Old and done", "The manager's call"):
        assert absent not in text


def test_each_person_gets_it_in_their_own_morning(org, plan, smtp):
    settings_save(user=org.rep, time_zone="Asia/Tokyo", deliveries={})
    settings_save(user=org.manager, time_zone="America/New_York", deliveries={})
    add_action(plan, org.rep, "Send the proposal", days(-2))
    add_action(plan, org.rep, "Call the board", days(-1), owner=org.manager)
    utc = datetime.UTC
    # 20:00 UTC: 05:00 tomorrow in Tokyo (too early), 15:00 today in New York.
    send_due_emails(now=at(TODAY, 20, 0, utc))
    assert smtp.to("rep@example.com") == [] and len(smtp.to("manager@example.com")) == 1
    # 22:30 UTC: 07:30 tomorrow in Tokyo.
    send_due_emails(now=at(TODAY, 22, 30, utc))
    [digest] = smtp.to("rep@example.com")
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert digest["Subject"] == f"keyplan digest for {tomorrow:%Y-%m-%d}: 1 item"
    assert SentEmail.objects.filter(recipient=org.rep, key=f"digest-{tomorrow}").exists()


def test_nothing_reaches_someone_who_can_no_longer_see_the_plan(
    org, plan, smtp, django_capture_on_commit_callbacks
):
    settings_save(user=org.manager, time_zone="Europe/Berlin", deliveries={"decisions": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        _submitted_case(org, plan, "Secret pricing deal")
    # The rep moves to another manager before the morning: the old manager no longer
    # sees Mine Group, so the digest must not tell them about its investment case.
    org.rep.manager = None
    org.rep.team = None
    org.rep.save()
    send_due_emails(now=at(TODAY, 7, 0))
    assert all("Secret pricing" not in body(m) for m in smtp.messages)
    assert smtp.to("manager@example.com") == []
    assert SentEmail.objects.get(recipient=org.manager, key=f"digest-{TODAY}").items == 0
    assert NotificationEmail.objects.get(notification__recipient=org.manager).outcome == (
        "not visible"
    )


def test_people_who_chose_immediately_for_actions_get_a_morning_reminder(org, plan, smtp):
    settings_save(user=org.rep, time_zone="Europe/Berlin", deliveries={"actions": "immediately"})
    add_action(plan, org.rep, "Due today", days(0))
    add_action(plan, org.rep, "Was due yesterday", days(-1))
    add_action(plan, org.rep, "Next week", days(7))
    send_due_emails(now=at(TODAY, 8, 0))
    send_due_emails(now=at(TODAY, 9, 0))
    [reminder] = smtp.to("rep@example.com")
    assert reminder["Subject"] == "keyplan: 2 actions due"
    text = body(reminder)
    assert "Due today\n- Due today" in text and "Overdue since today\n- Was due yesterday" in text
    assert "Next week" not in text

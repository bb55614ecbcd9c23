"""Every email keyplan sends opens by greeting its reader by first name — the request
for help sent at once and the morning action reminder too, not only the digest (they
began straight with "Amir Bianchi asks for your help…", or "Due today")."""

import datetime
import zoneinfo

from keyplan.plans import services
from keyplan.rhythm.mail import send_due_emails
from keyplan.rhythm.services import settings_save
from tests.rhythm.conftest import TODAY, add_action, body, days

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_an_email_sent_at_once_greets_its_reader(
    org, plan, smtp, django_capture_on_commit_callbacks
):
    org.rep2.first_name = "Zoë"
    org.rep2.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.element_save(
            kind="help", plan=plan, user=org.rep, what="Legal review", asked_of=org.rep2,
            needed_by=days(20),
        )  # fmt: skip
    [message] = smtp.to("rep2@example.com")
    assert body(message).startswith("Hello Zoë,\n\n")
    assert "asks for your help with Mine Group: Legal review" in body(message)


def test_the_morning_action_reminder_greets_its_reader(org, plan, smtp):
    org.rep.first_name = "Amir"
    org.rep.save()
    settings_save(user=org.rep, time_zone="Europe/Berlin", deliveries={"actions": "immediately"})
    add_action(plan, org.rep, "Call the CFO", days(0))
    send_due_emails(now=datetime.datetime.combine(TODAY, datetime.time(8), tzinfo=BERLIN))
    [reminder] = smtp.to("rep@example.com")
    assert body(reminder).startswith("Hello Amir,\n\nDue today\n- Call the CFO")

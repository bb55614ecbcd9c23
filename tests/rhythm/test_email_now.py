"""Notification emails sent at once through a real SMTP server: linked to the item
with keyplan's address, not sent when the person turned that kind off, and sent later
— once — when the mail server was down."""

import socket

from keyplan.plans import services
from keyplan.plans.models import Notification
from keyplan.rhythm.mail import send_due_emails
from keyplan.rhythm.services import settings_save
from tests.rhythm.conftest import body, days


def _ask_help(org, plan, what):
    return services.element_save(
        kind="help", plan=plan, user=org.rep, what=what, asked_of=org.rep2, needed_by=days(20)
    )


def test_a_request_for_help_is_emailed_at_once(org, plan, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_help(org, plan, "Legal review of the MSA")
    [message] = smtp.to("rep2@example.com")
    assert message["Subject"].startswith("keyplan: ")
    assert "asks for your help with Mine Group: Legal review of the MSA" in message["Subject"]
    text = body(message)
    assert "Open it in keyplan: https://keyplan.example.com/my-work/" in text
    assert "Change what keyplan emails you: https://keyplan.example.com/me/" in text
    assert message["From"] == "keyplan <keyplan@example.com>"
    assert Notification.objects.filter(recipient=org.rep2).count() == 1  # the inbox too
    send_due_emails()
    assert len(smtp.envelopes) == 1  # never twice


def test_a_kind_turned_off_stays_in_the_inbox_only(
    org, plan, smtp, django_capture_on_commit_callbacks
):
    settings_save(user=org.rep2, time_zone="", deliveries={"help": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        _ask_help(org, plan, "Security questionnaire")
    send_due_emails()
    assert smtp.envelopes == []
    assert Notification.objects.filter(
        recipient=org.rep2, text__contains="Security questionnaire"
    ).exists()


def test_a_mail_server_that_is_down_gets_the_email_later(
    org, plan, smtp, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port
    with django_capture_on_commit_callbacks(execute=True):
        _ask_help(org, plan, "Pricing approval")  # the send fails: logged, kept
    assert smtp.envelopes == []
    settings.EMAIL_PORT = working_port
    send_due_emails()
    send_due_emails()
    [message] = smtp.to("rep2@example.com")
    assert "Pricing approval" in message["Subject"]

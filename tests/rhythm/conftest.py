import datetime
import email
import email.policy
import socket
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.plans import services
from tests.factories import ContactFactory

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def plan(org):
    """An active-period plan for the rep's account "Mine Group", from a month ago to
    eleven months ahead, so its dates sit inside the feed's window whatever today is."""
    org.cfo = ContactFactory(account=org.mine, first_name="Clara", last_name="Finance", title="CFO")
    return services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=days(-30),
        period_end=days(335),
        revenue_goal=Decimal("1000000"),
    )


def add_action(plan, user, title, due, owner=None, **extra):
    return services.element_save(
        kind="action",
        plan=plan,
        user=user,
        title=title,
        owner=owner or user,
        due_date=due,
        effort_hours=Decimal("2"),
        **extra,
    )


def body(message) -> str:
    """An email's text as written (SMTP carries lines ending in CRLF)."""
    return message.get_content().replace("\r\n", "\n")


class Mailbox:
    """What a real SMTP server (aiosmtpd) received, parsed."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    @property
    def messages(self):
        return [
            email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes
        ]

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp(settings):
    """An SMTP server on a free local port, and Django sending to it."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "keyplan <keyplan@example.com>"
    settings.KEYPLAN_BASE_URL = "https://keyplan.example.com"
    try:
        yield mailbox
    finally:
        controller.stop()

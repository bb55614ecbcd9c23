"""A link that asks for a one-time code shows nothing of the plan before the code: the
code goes by email to a named contact, is stored hashed, expires after 15 minutes and
opens the plan once; wrong codes are refused and a code dies after five wrong tries."""

import re

from django.core import mail
from django.test import Client, override_settings

from keyplan.mutual.links import share_path
from keyplan.mutual.models import ShareAccess, ShareCode
from tests.mutual.conftest import expire, share


def _code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def _ask(customer, path, email):
    return customer.post(path, {"do": "send_code", "email": email})


def _sign_in(customer, path, code):
    return customer.post(path, {"do": "sign_in", "code": code})


@override_settings(KEYPLAN_SITE_NAME="Acme Industrial Sales")
def test_the_code_opens_the_plan_once(mutual_plan):
    p = mutual_plan
    path = share_path(share(p, requires_code=True))
    customer = Client()
    closed = customer.get(path).content.decode()
    assert "Send me a code" in closed and "Halve unplanned downtime" not in closed

    _ask(customer, path, "CLARA@mine.example")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["clara@mine.example"]
    assert "Acme Industrial Sales" in mail.outbox[0].subject
    code = _code()
    stored = ShareCode.objects.get()
    assert stored.code_hash != code and len(stored.code_hash) == 64  # an HMAC, not the code

    assert _sign_in(customer, path, code).status_code == 302
    opened = customer.get(path).content.decode()
    assert "Halve unplanned downtime" in opened and "signed in as Clara Finance" in opened

    # Signed in by the code, Clara's changes carry her name without choosing it.
    assert customer.post(path, {"do": "confirm", "item": p.goal.pk}).status_code == 302
    assert p.plan.changes.filter(by_name="Clara Finance").exists()

    # The same code does not open the plan in another browser.
    other = Client()
    _ask(other, path, "clara@mine.example")
    if _code() != code:  # one chance in a million that the new code is the same
        refused = _sign_in(other, path, code)
        assert refused.status_code == 400
        assert "That code is wrong, used or expired." in refused.content.decode()
        assert "Halve unplanned downtime" not in refused.content.decode()


def test_a_used_code_is_refused(mutual_plan):
    p = mutual_plan
    path = share_path(share(p, requires_code=True))
    first = Client()
    _ask(first, path, "ivan@mine.example")
    code = _code()
    assert _sign_in(first, path, code).status_code == 302
    first.post(path, {"do": "sign_out"})
    assert "Send me a code" in first.get(path).content.decode()
    # Back on the code step with the same address: the used code no longer works.
    first.post(path, {"do": "send_code", "email": "ivan@mine.example"})
    mail.outbox.clear()
    again = _sign_in(first, path, code)
    assert again.status_code == 400
    assert "That code is wrong, used or expired." in again.content.decode()


def test_an_expired_code_is_refused(mutual_plan):
    p = mutual_plan
    path = share_path(share(p, requires_code=True))
    customer = Client()
    _ask(customer, path, "clara@mine.example")
    code = _code()
    expire(ShareCode.objects.get())
    refused = _sign_in(customer, path, code)
    assert refused.status_code == 400
    assert "Halve unplanned downtime" not in customer.get(path).content.decode()


def test_a_code_dies_after_five_wrong_tries(mutual_plan):
    p = mutual_plan
    path = share_path(share(p, requires_code=True))
    customer = Client()
    _ask(customer, path, "clara@mine.example")
    code = _code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert _sign_in(customer, path, wrong).status_code == 400
    assert _sign_in(customer, path, code).status_code == 400
    assert ShareAccess.objects.filter(event="code_refused").count() == 6


def test_an_address_the_plan_was_not_shared_with_gets_no_code_and_no_hint(mutual_plan):
    p = mutual_plan
    path = share_path(share(p, requires_code=True))
    known, unknown = Client(), Client()
    said_known = _ask(known, path, "clara@mine.example")
    said_unknown = _ask(unknown, path, "someone@elsewhere.example")
    assert len(mail.outbox) == 1
    assert said_known.status_code == said_unknown.status_code == 302
    assert (
        known.get(path).content.decode().count("If this address is one the plan was shared with")
        == 1
    )
    assert (
        unknown.get(path).content.decode().count("If this address is one the plan was shared with")
        == 1
    )


def test_a_mail_server_that_refuses_the_code_is_said_and_nothing_is_kept(mutual_plan, monkeypatch):
    from keyplan.mutual import services

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(services, "send_mail", refuse)
    path = share_path(share(mutual_plan, requires_code=True))
    answer = _ask(Client(), path, "clara@mine.example")
    assert answer.status_code == 503
    assert "The code could not be sent just now." in answer.content.decode()
    assert not ShareCode.objects.exists()
    assert not ShareAccess.objects.filter(event="code_sent").exists()


def test_someone_no_longer_at_the_company_gets_no_code(mutual_plan):
    p = mutual_plan
    path = share_path(share(p, requires_code=True))
    type(p.ivan).objects.filter(pk=p.ivan.pk).update(is_active=False)
    answer = _ask(Client(), path, "ivan@mine.example")
    assert answer.status_code == 302 and not mail.outbox

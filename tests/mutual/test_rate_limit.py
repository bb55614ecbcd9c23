"""Shared links are rate-limited per address and per link: past the limit the answer is
429 with a plain sentence and a Retry-After, and nothing is recorded."""

from django.test import Client

from keyplan.mutual import limits
from keyplan.mutual.links import share_path
from keyplan.mutual.models import GoalResponse, ShareAccess
from tests.mutual.conftest import share


def test_one_address_is_slowed_down(mutual_plan, monkeypatch):
    monkeypatch.setattr(limits, "PER_ADDRESS", (3, 60))
    path = share_path(share(mutual_plan))
    customer = Client(REMOTE_ADDR="203.0.113.7")
    assert [customer.get(path).status_code for _ in range(3)] == [200, 200, 200]
    limited = customer.get(path)
    assert limited.status_code == 429
    assert limited["Retry-After"]
    page = limited.content.decode()
    assert "Too many requests in a short time. Wait a few minutes" in page
    assert "Traceback" not in page and "Halve unplanned downtime" not in page
    # A change is refused as well, and nothing is written.
    posted = customer.post(
        path, {"do": "confirm", "item": mutual_plan.goal.pk, "contact": mutual_plan.clara.pk}
    )
    assert posted.status_code == 429 and not GoalResponse.objects.exists()
    assert ShareAccess.objects.count() == 3
    # Another address is not slowed down by this one; unknown links count too.
    assert Client(REMOTE_ADDR="203.0.113.8").get(path).status_code == 200
    assert customer.get("/shared/guessing/").status_code == 429


def test_one_link_is_slowed_down_whatever_the_address(mutual_plan, monkeypatch):
    monkeypatch.setattr(limits, "PER_LINK", (4, 600))
    path = share_path(share(mutual_plan))
    other = share_path(share(mutual_plan))
    codes = [Client(REMOTE_ADDR=f"198.51.100.{i}").get(path).status_code for i in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert Client(REMOTE_ADDR="198.51.100.99").get(other).status_code == 200


def test_asking_for_codes_is_limited_per_link(mutual_plan, monkeypatch):
    from django.core import mail

    monkeypatch.setattr(limits, "CODES_SENT_PER_LINK", (2, 900))
    path = share_path(share(mutual_plan, requires_code=True))
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{i}")
        .post(path, {"do": "send_code", "email": "clara@mine.example"})
        .status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2

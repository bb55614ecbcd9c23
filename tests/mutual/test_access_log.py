"""Every access through a link is logged — who (the contact, or "the link"), when, from
which address and browser — and the owner sees the links, their state and the log in the
plan page's "Shared with the customer" panel, in a fixed number of queries."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyplan.core import words
from keyplan.mutual import services as mutual
from keyplan.mutual.links import share_path
from keyplan.mutual.models import ShareAccess
from tests.mutual.conftest import expire, share


def test_each_access_is_logged_and_shown_to_the_owner(mutual_plan, client):
    p = mutual_plan
    item = share(p, note="Steering committee")
    path = share_path(item)
    customer = Client(REMOTE_ADDR="203.0.113.50", HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari")
    customer.get(path)
    customer.post(path, {"do": "confirm", "item": p.goal.pk, "contact": p.clara.pk})

    log = list(ShareAccess.objects.order_by("pk"))
    assert [(a.event, a.who, a.ip) for a in log] == [
        ("opened", "the link", "203.0.113.50"),
        ("confirmed", "Clara Finance", "203.0.113.50"),
    ]
    assert log[0].user_agent == "Mozilla/5.0 (iPhone) Safari"

    client.force_login(p.org.rep)
    page = client.get(p.plan.get_absolute_url()).content.decode()
    panel = page.split('data-testid="shared-panel"')[1].split("</section>")[0]
    assert "Steering committee" in panel and "Active" in panel
    assert f"open until {words.day(item.last_day)}" in panel
    assert "with Clara Finance, Ivan Tech" in panel
    assert "opened the plan" in panel and "confirmed a goal" in panel
    assert "203.0.113.50" in panel and "iPhone" in panel
    assert 'data-testid="revoke"' in panel


def test_the_panel_names_expired_and_revoked_links(mutual_plan, client):
    p = mutual_plan
    expire(share(p, note="Old link"))
    mutual.share_revoke(share=share(p, note="Withdrawn link"), user=p.org.rep)
    client.force_login(p.org.rep)
    panel = (
        client.get(p.plan.get_absolute_url())
        .content.decode()
        .split('data-testid="shared-panel"')[1]
    )
    panel = panel.split("</section>")[0]
    assert "Expired" in panel and "Revoked" in panel
    assert "/shared/" not in panel and 'data-testid="revoke"' not in panel


def test_the_panel_reads_in_a_fixed_number_of_queries(mutual_plan, client):
    from keyplan.mutual.selectors import owner_panel

    p = mutual_plan
    share(p)
    with CaptureQueriesContext(connection) as one:
        panel = owner_panel(p.plan)
        [list(s.recipients.all()) for s in panel.shares]
    for _ in range(4):
        item = share(p)
        Client().get(share_path(item))
    with CaptureQueriesContext(connection) as five:
        panel = owner_panel(p.plan)
        [list(s.recipients.all()) for s in panel.shares]
    assert len(five) == len(one)


def test_a_reader_sees_the_panel_without_share_or_revoke_buttons(mutual_plan, client):
    from keyplan.people.choices import Role
    from tests.factories import UserFactory

    p = mutual_plan
    share(p)
    client.force_login(UserFactory(username="exec2", role=Role.EXECUTIVE))
    panel = (
        client.get(p.plan.get_absolute_url())
        .content.decode()
        .split('data-testid="shared-panel"')[1]
    )
    panel = panel.split("</section>")[0]
    assert "Active" in panel
    assert 'data-testid="revoke"' not in panel and 'data-testid="share-plan"' not in panel
    # The link is a key: only those who may share the plan see it.
    assert "/shared/" not in panel

"""Open opportunities past their close date are flagged "Overdue" in words wherever
opportunities are listed; won, lost and not-yet-due ones are not."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from keyplan.plans import services as plan_services
from keyplan.sales.choices import OpportunityStatus, Stage
from tests.factories import OpportunityFactory

OVERDUE = "⚠ Overdue"


@pytest.fixture
def deals(org):
    today = timezone.localdate()
    created = today - datetime.timedelta(days=400)
    late = OpportunityFactory(
        account=org.mine,
        name="Late Deal",
        created_date=created,
        close_date=today - datetime.timedelta(days=3),
    )
    due = OpportunityFactory(
        account=org.mine,
        name="Due Deal",
        created_date=created,
        close_date=today + datetime.timedelta(days=30),
    )
    today_deal = OpportunityFactory(
        account=org.mine, name="Today Deal", created_date=created, close_date=today
    )
    won = OpportunityFactory(
        account=org.mine,
        name="Won Deal",
        stage=Stage.CLOSED_WON,
        status=OpportunityStatus.WON,
        probability=100,
        created_date=created,
        close_date=today - datetime.timedelta(days=10),
    )
    return late, due, today_deal, won


def _row(html: str, name: str) -> str:
    """The table row that names the opportunity."""
    [row] = [r for r in re.findall(r"<tr>.*?</tr>", html, flags=re.S) if f">{name}<" in r]
    return row


def test_opportunities_list_flags_only_open_deals_past_their_close_date(org, deals, client):
    client.force_login(org.rep)
    html = client.get(reverse("opportunity_list")).content.decode()
    assert OVERDUE in _row(html, "Late Deal")
    for name in ("Due Deal", "Today Deal", "Won Deal"):
        assert "Overdue" not in _row(html, name)


def test_account_page_flags_overdue_open_opportunities(org, deals, client):
    client.force_login(org.rep)
    html = client.get(org.mine.get_absolute_url()).content.decode()
    assert OVERDUE in _row(html, "Late Deal")
    assert "Overdue" not in _row(html, "Due Deal")
    assert "Overdue" not in _row(html, "Won Deal")


def test_plan_page_flags_overdue_open_opportunities(org, deals, client):
    today = timezone.localdate()
    plan = plan_services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
        revenue_goal=Decimal("1000"),
    )
    idea = plan_services.element_save(
        kind="idea", plan=plan, user=org.rep, title="Grow", annual_value=Decimal("5")
    )
    idea = plan_services.idea_move(idea=idea, user=org.rep, stage="qualified")
    idea = plan_services.idea_move(
        idea=idea, user=org.rep, stage="opportunity", opportunity=deals[0]
    )
    client.force_login(org.rep)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert OVERDUE in _row(html, "Late Deal")
    assert "Overdue" not in _row(html, "Due Deal")
    # The idea's row names its opportunity, marked too.
    idea_row = html.split(f'id="idea-{idea.pk}"')[1].split("</tr>")[0]
    assert "Late Deal" in idea_row and OVERDUE in idea_row


def test_home_page_and_opportunity_page_say_overdue(org, deals, client):
    late, due, _, _ = deals
    client.force_login(org.rep)
    home = client.get(reverse("home")).content.decode()
    assert OVERDUE in _row(home, "Late Deal")
    assert "Overdue" not in _row(home, "Due Deal")
    assert OVERDUE in client.get(late.get_absolute_url()).content.decode()
    assert "Overdue" not in client.get(due.get_absolute_url()).content.decode()


def test_api_says_whether_an_opportunity_is_overdue(org, deals, api_client):
    api_client.force_authenticate(org.rep)
    rows = api_client.get("/api/v1/opportunities/", {"account": org.mine.pk}).json()["results"]
    overdue = {r["name"]: r["overdue"] for r in rows}
    assert overdue == {
        "Late Deal": True,
        "Due Deal": False,
        "Today Deal": False,
        "Won Deal": False,
    }


def test_opportunities_list_sorts_by_close_date_latest_first(org, client):
    created = datetime.date(2025, 1, 1)
    for name, close in [
        ("Middle", datetime.date(2026, 5, 1)),
        ("Latest", datetime.date(2027, 9, 1)),
        ("Earliest", datetime.date(2025, 2, 1)),
    ]:
        OpportunityFactory(account=org.mine, name=name, created_date=created, close_date=close)
    client.force_login(org.rep)
    html = client.get(reverse("opportunity_list")).content.decode()
    positions = [html.index(f">{name}<") for name in ("Latest", "Middle", "Earliest")]
    assert positions == sorted(positions)

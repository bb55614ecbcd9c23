"""The plan page sets the forecast against the revenue and stretch goals and says in words
the gap the plan must close, and how much of it the weighted pipeline and the ideas
cover."""

import datetime
from decimal import Decimal

import pytest

from keyplan.catalog.models import ProductLine
from keyplan.forecast.selectors import territory_result
from keyplan.plans.models import AccountPlan
from tests.factories import OpportunityFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


def two_years_of_1000_a_month(org):
    """1,000 a month for the rep's account, November 2024 to October 2026 (line Cloud)."""
    product = ProductFactory(product_line=ProductLine.objects.create(name="Cloud"))
    for m in range(24):
        day = datetime.date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 5)
        SaleLineFactory(account=org.mine, product=product, date=day, amount=Decimal("1000"))


def test_the_plan_says_the_gap_to_its_goals(client, org):
    two_years_of_1000_a_month(org)
    OpportunityFactory(
        account=org.mine,
        stage="Proposal",
        probability=50,
        amount=Decimal("8000"),
        created_date=datetime.date(2026, 9, 1),
        close_date=datetime.date(2027, 1, 20),
    )
    plan = AccountPlan.objects.create(
        account=org.mine,
        owner=org.rep,
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2027, 10, 31),
        revenue_goal=Decimal("20000"),
        stretch_goal=Decimal("11000"),
    )
    client.force_login(org.rep)
    before = client.get(plan.get_absolute_url()).content.decode()
    assert "No forecast for this plan" in before
    territory_result(12)  # computed in the background in real life
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "From 2026-11 to 2027-10 the sales history of this plan" in page
    assert "expected to bring 12,000 USD" in page
    assert (
        "The gap the plan must close to its revenue goal of 20,000 USD is 8,000 USD: the open "
        "pipeline weighted by win rates brings 4,000 USD and the plan&#x27;s ideas by confidence "
        "0 USD, which leaves 4,000 USD with no deal or idea behind it yet."
    ) in page
    assert "The stretch goal of 11,000 USD is within what the history already brings" in page


def _pin_today(monkeypatch, day: datetime.date):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: day)


def test_a_goal_cut_to_the_months_the_forecast_reaches_says_so(client, org, monkeypatch):
    """A plan running past the forecast's last month compares the forecast with the
    goal's share of those months, and says so: "revenue goal of 20,000 USD" beside a
    plan whose goal reads 24,000 USD read as a second, contradictory goal. (In November
    2026 the planning year is FY 2026: the forecast reaches its 12 months only. November,
    not June: the sales run to October 2026, and months from today's on are never history.)"""
    _pin_today(monkeypatch, datetime.date(2026, 11, 15))
    two_years_of_1000_a_month(org)
    plan = AccountPlan.objects.create(
        account=org.mine,
        owner=org.rep,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        revenue_goal=Decimal("24000"),
        stretch_goal=Decimal("6000"),
    )
    territory_result(12)
    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "From 2027-01 to 2027-10" in page and "expected to bring 10,000 USD" in page
    assert "likely between" in page and "8 in 10 accounts landed between" not in page
    assert (
        "The gap the plan must close to its revenue goal for those 10 months (10/12 of "
        "24,000 USD), 20,000 USD, is 10,000 USD"
    ) in page
    assert (
        "The stretch goal for those 10 months (10/12 of 6,000 USD), 5,000 USD, is within "
        "what the history already brings"
    ) in page


def test_planning_next_year_the_plan_gap_covers_all_its_months(client, org, monkeypatch):
    """Issue 16: in December 2026 the forecast reaches the end of FY 2027 (14 months after
    the October sales), so a plan for calendar 2027 sets all 12 months against its whole
    goal, with no share of it."""
    _pin_today(monkeypatch, datetime.date(2026, 12, 6))
    two_years_of_1000_a_month(org)
    plan = AccountPlan.objects.create(
        account=org.mine,
        owner=org.rep,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        revenue_goal=Decimal("24000"),
    )
    territory_result(12)
    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "From 2027-01 to 2027-12" in page and "expected to bring 12,000 USD" in page
    assert "the forecast does not reach the rest" not in page
    assert "The gap the plan must close to its revenue goal of 24,000 USD is 12,000 USD" in page


def test_the_gap_counts_the_ideas_without_reading_each_again(client, org):
    """The ideas' share of the gap is counted from the ideas the page has read: the
    page's queries do not grow with the ideas in the pipeline (each idea read its plan
    again before, one query per idea)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keyplan.plans import services

    two_years_of_1000_a_month(org)
    plan = AccountPlan.objects.create(
        account=org.mine,
        owner=org.rep,
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2027, 10, 31),
        revenue_goal=Decimal("20000"),
    )
    territory_result(12)
    client.force_login(org.rep)

    def add_idea(n):
        services.element_save(
            kind="idea",
            plan=plan,
            user=org.rep,
            title=f"Idea {n}",
            annual_value=Decimal("1000"),
            confidence=50,
        )

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(plan.get_absolute_url()).content.decode()
        return len(ctx.captured_queries), page

    add_idea(1)
    queries()  # the session and the caches
    one, page = queries()
    assert "the plan&#x27;s ideas by confidence 500 USD" in page
    for n in range(2, 6):
        add_idea(n)
    five, page = queries()
    assert "the plan&#x27;s ideas by confidence 2,500 USD" in page
    assert five == one

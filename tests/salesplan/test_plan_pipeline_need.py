"""The account plan page says how many opportunities its revenue goal still needs, from
what the plan's accounts are expected to bring and the owner's win rate and deal size,
against the open deals and ideas — and which rates it used."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.catalog.models import ProductLine
from keyplan.forecast.selectors import territory_result
from keyplan.plans import services
from keyplan.plans.selectors import remember_account_ids
from keyplan.salesplan.pipeline import plan_need
from tests.factories import AccountFactory, OpportunityFactory, ProductFactory, SaleLineFactory
from tests.plans.conftest import add_idea

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def setting(org):
    """The rep's plan for Mine Group over 2026 (goal 100,000); 1,000 a month of sales from
    November 2024 to October 2026; the rep won 5 of 10 deals of 20,000 on another of their
    accounts; Mine Group has 3 open deals closing in 2026 (and one in 2027, one without an
    amount: neither counts); the plan has 2 open ideas and a dropped one."""
    line = ProductLine.objects.create(name="Cloud")
    product = ProductFactory(product_line=line)
    for m in range(24):
        day = datetime.date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 5)
        SaleLineFactory(account=org.mine, product=product, date=day, amount=Decimal("1000"))
    old = AccountFactory(name="Old Deals Ltd", owner=org.rep)
    for status, n in (("won", 5), ("lost", 5)):
        for _ in range(n):
            OpportunityFactory(
                account=old,
                status=status,
                stage="Closed Won" if status == "won" else "Closed Lost",
                probability=100 if status == "won" else 0,
                amount=Decimal("20000"),
                created_date=datetime.date(2026, 1, 1),
                close_date=datetime.date(2026, 3, 15),
            )
    for close in ("2026-11-30", "2026-12-15", "2026-08-01", "2027-02-01"):
        OpportunityFactory(account=org.mine, close_date=datetime.date.fromisoformat(close))
    OpportunityFactory(account=org.mine, amount=None, close_date=None)
    plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        revenue_goal=Decimal("100000"),
        stretch_goal=Decimal("150000"),
    )
    add_idea(plan, org.rep, "30000")
    add_idea(plan, org.rep, "40000")
    dropped = add_idea(plan, org.rep, "50000")
    services.idea_move(idea=dropped, user=org.rep, stage="dropped")
    org.plan = plan
    return org


def test_the_need_from_booked_sales_the_forecast_and_the_reps_rates(setting):
    territory_result(12)
    found = plan_need(setting.plan, today=TODAY)
    # Expected: January-October booked 10 × 1,000 + November-December forecast 2 × 1,000.
    assert found.forecast == Decimal("12000")
    # (100,000 − 12,000) ÷ (50% × 20,000) = 8.8 → 9; open deals closing by December: 3.
    assert (found.needed, found.have, found.shortfall, found.ideas) == (9, 3, 6, 2)
    assert found.have_amount == Decimal("150000")
    assert found.rates.source == "rep"
    assert found.sentence == (
        "You need 9 more qualified opportunities of ~20,000 USD by December 2026; you have 3 "
        "open, and 2 ideas in this plan."
    )
    assert found.note == ""


def test_the_plan_page_shows_the_sentence_and_the_rates(setting, client):
    territory_result(12)
    client.force_login(setting.rep)
    page = client.get(setting.plan.get_absolute_url()).content.decode()
    assert "You need 9 more qualified opportunities of ~20,000 USD by December 2026" in page
    assert (
        "your win rate, 50% (5 of 10 deals closed in the last 24 months), and your average "
        "deal won, 20,000 USD. Expected over the plan's months, booked and forecast: "
        "12,000 USD."
    ) in page


def test_without_the_forecast_the_page_counts_what_is_booked_and_says_so(setting, client):
    client.force_login(setting.rep)
    page = client.get(setting.plan.get_absolute_url()).content.decode()
    # 10,000 booked: (100,000 − 10,000) ÷ 10,000 = 9.
    assert "You need 9 more qualified opportunities" in page
    assert "The forecast is not computed yet: only the sales already booked" in page


def test_a_goal_the_forecast_reaches_needs_nothing(setting, client):
    territory_result(12)
    services.plan_update(plan=setting.plan, user=setting.rep, revenue_goal=Decimal("12000"))
    client.force_login(setting.rep)
    page = client.get(setting.plan.get_absolute_url()).content.decode()
    assert "The forecast already reaches the goal: no new pipeline needed." in page


def test_one_query_when_the_page_has_read_the_accounts_and_ideas(setting):
    territory_result(12)
    plan = setting.plan
    remember_account_ids(plan)
    ideas = list(plan.ideas.all())
    with CaptureQueriesContext(connection) as ctx:
        found = plan_need(plan, ideas=ideas, today=TODAY)
    assert len(ctx.captured_queries) == 1
    assert found.needed == 9


def test_the_expected_figure_reads_to_the_unit_like_the_forecast_beside_it(setting, client):
    # A sale with cents: what the plan's months are expected to bring is an estimate and
    # reads "12,xxx USD" like the forecast card below it, not "12,345.67 USD".
    product = ProductFactory(product_line=ProductLine.objects.get(name="Cloud"))
    SaleLineFactory(
        account=setting.mine, product=product, date=datetime.date(2026, 3, 9), amount="345.67"
    )
    territory_result(12)
    assert plan_need(setting.plan, today=TODAY).forecast % 1 != 0  # the figure has cents
    client.force_login(setting.rep)
    page = client.get(setting.plan.get_absolute_url()).content.decode()
    shown = re.search(r"Expected over the plan's months, booked and forecast: ([^<]*?)\.<", page)
    assert shown, "the sentence is missing"
    assert re.fullmatch(r"\d{1,3}(,\d{3})* USD", shown.group(1)), shown.group(1)

"""Brock's pipeline math: opportunities needed = (goal − forecast) ÷ (win rate × average
deal size), the rates learned from the rep's own closed deals by product line, else the
rep's overall, else the territory's — and said whose they are."""

import datetime
from decimal import Decimal

import pytest

from keyplan.catalog.models import ProductLine
from keyplan.salesplan.pipeline import MIN_CLOSED, approximately, need, rates
from tests.factories import OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def closed(account, product, won, lost, amounts=None, owner=None, close=None):
    amounts = amounts or [Decimal("10000")] * won
    for amount in amounts:
        OpportunityFactory(
            account=account,
            product=product,
            owner=owner,
            status="won",
            stage="Closed Won",
            probability=100,
            amount=amount,
            created_date=datetime.date(2024, 1, 1),
            close_date=close or datetime.date(2026, 6, 30),
        )
    for _ in range(lost):
        OpportunityFactory(
            account=account,
            product=product,
            owner=owner,
            status="lost",
            stage="Closed Lost",
            probability=0,
            amount=Decimal("99000"),
            created_date=datetime.date(2024, 1, 1),
            close_date=close or datetime.date(2026, 6, 30),
        )


@pytest.fixture
def lines(db):
    cloud = ProductLine.objects.create(name="Cloud")
    services = ProductLine.objects.create(name="Services")
    return ProductFactory(product_line=cloud), ProductFactory(product_line=services)


def test_the_reps_own_line_rates_when_they_closed_enough_there(org, lines):
    cloud, _services = lines
    # 4 won of 10 in Cloud (40%); won 40,000 + 50,000 + 50,000 + 52,000 = 192,000 → 48,000.
    amounts = [Decimal(x) for x in ("40000", "50000", "50000", "52000")]
    closed(org.mine, cloud, 4, 6, amounts)
    found = rates(rep_ids=[org.rep.pk], product_line_id=cloud.product_line_id, today=TODAY)
    assert (found.source, found.win_rate, found.deal_size) == ("rep_line", 0.4, Decimal("48000"))
    assert found.closed == MIN_CLOSED == 10
    assert found.words == (
        "your win rate in Cloud, 40% (4 of 10 deals closed in the last 24 months), and your "
        "average deal won in Cloud, 48,000 USD"
    )
    # 14 opportunities: (400,000 − 131,200) ÷ (40% × 48,000) = 268,800 ÷ 19,200 = 14.
    result = need(
        goal=Decimal("400000"),
        forecast=Decimal("131200"),
        rates=found,
        open_pipeline=(6, Decimal("250000")),
        by=datetime.date(2027, 6, 30),
    )
    assert (result.needed, result.have, result.shortfall) == (14, 6, 8)
    assert result.sentence == (
        "You need 14 more qualified opportunities of ~48,000 USD by June 2027; you have 6."
    )


def test_too_few_in_the_line_falls_back_to_the_rep_overall(org, lines):
    cloud, services = lines
    closed(org.mine, cloud, 3, 6)  # 9 in Cloud: too few
    closed(org.mine, services, 3, 0, [Decimal("20000")] * 3)  # 12 overall, 6 won
    found = rates(rep_ids=[org.rep.pk], product_line_id=cloud.product_line_id, today=TODAY)
    # 6 won of 12: 50%; won 3 × 10,000 + 3 × 20,000 = 90,000 → 15,000 a deal.
    assert (found.source, found.win_rate, found.deal_size) == ("rep", 0.5, Decimal("15000"))
    assert found.words.startswith("your win rate, 50% (6 of 12 deals")


def test_a_rep_with_little_history_gets_the_territorys_rates(org, lines):
    cloud, services = lines
    closed(org.mine, cloud, 1, 1)  # the rep: 2 closed
    closed(org.theirs, cloud, 2, 2, [Decimal("30000")] * 2)  # another rep's account
    closed(org.theirs, services, 1, 0, [Decimal("90000")])
    line = rates(rep_ids=[org.rep.pk], product_line_id=cloud.product_line_id, today=TODAY)
    # Cloud in the territory: 3 won of 6; (10,000 + 60,000) ÷ 3 = 23,333.33.
    assert (line.source, line.win_rate, line.deal_size) == (
        "territory_line",
        0.5,
        Decimal("23333.33"),
    )
    assert line.whose == "the territory's"
    overall = rates(rep_ids=[org.rep.pk], today=TODAY)
    # All the territory: 4 won of 7; 160,000 ÷ 4 = 40,000.
    assert (overall.source, overall.closed, overall.deal_size) == (
        "territory",
        7,
        Decimal("40000"),
    )


def test_a_deal_is_the_reps_by_its_owner_before_its_accounts_owner(org, lines):
    cloud, _ = lines
    # Deals on the rep's account that the manager owns are the manager's; deals without
    # an owner on the teammate's account are the teammate's.
    closed(org.mine, cloud, 5, 5, owner=org.manager)
    closed(org.teammate, cloud, 2, 8)
    assert rates(rep_ids=[org.manager.pk], today=TODAY).source == "rep"
    assert rates(rep_ids=[org.rep2.pk], today=TODAY).win_rate == 0.2
    assert rates(rep_ids=[org.rep.pk], today=TODAY).source == "territory"
    team = rates(rep_ids=[org.rep.pk, org.rep2.pk], today=TODAY)
    assert (team.whose, team.closed, team.win_rate) == ("the team's", 10, 0.2)


def test_deals_closed_more_than_24_months_ago_are_not_learned_from(org, lines):
    cloud, _ = lines
    closed(org.mine, cloud, 10, 0, close=datetime.date(2024, 11, 30))
    found = rates(rep_ids=[org.rep.pk], today=TODAY)
    assert (found.source, found.win_rate) == ("none", None)
    result = need(
        goal=Decimal("100000"),
        forecast=Decimal("40000"),
        rates=found,
        open_pipeline=(2, Decimal("0")),
        by=datetime.date(2027, 12, 31),
    )
    assert result.needed is None
    assert result.sentence == (
        "The goal needs 60,000 USD beyond the forecast, but no deal closed in the last 24 "
        "months, here or anywhere in the territory, to learn a win rate and deal size from: "
        "no number of opportunities can be given."
    )


def test_a_forecast_at_the_goal_needs_no_new_pipeline(org, lines):
    cloud, _ = lines
    closed(org.mine, cloud, 5, 5)
    result = need(
        goal=Decimal("100000"),
        forecast=Decimal("100000"),
        rates=rates(rep_ids=[org.rep.pk], today=TODAY),
        open_pipeline=(0, Decimal("0")),
        by=datetime.date(2027, 12, 31),
    )
    assert (result.needed, result.shortfall) == (0, 0)
    assert result.sentence == "The forecast already reaches the goal: no new pipeline needed."


def test_one_more_euro_of_gap_rounds_up_to_one_more_opportunity(org, lines):
    cloud, _ = lines
    closed(org.mine, cloud, 5, 5)  # 50% of 10,000: each opportunity brings 5,000
    found = rates(rep_ids=[org.rep.pk], today=TODAY)
    args = {"rates": found, "open_pipeline": (3, Decimal(0)), "by": datetime.date(2027, 3, 1)}
    assert need(goal=Decimal("15000"), forecast=0, **args).needed == 3
    result = need(goal=Decimal("15001"), forecast=0, ideas_count=2, **args)
    assert (result.needed, result.shortfall) == (4, 1)
    assert result.sentence == (
        "You need 4 more qualified opportunities of ~10,000 USD by March 2027; you have 3 "
        "open, and 2 ideas in plans."
    )


def test_the_deal_size_is_rounded_to_two_figures_in_the_sentence():
    assert approximately(Decimal("47850")) == Decimal("48000")
    assert approximately(Decimal("1234.56")) == Decimal("1200")
    assert approximately(Decimal("7.4")) == Decimal("7")

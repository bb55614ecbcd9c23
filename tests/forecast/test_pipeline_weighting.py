"""The open pipeline is weighted by the territory's own win rate and placed in the month
it is expected to close; deals without an amount or a close date are listed, not
counted — checked against figures worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from keyplan.forecast.pipeline import open_deals, pipeline_by_account, win_rates
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

MONTHS = [datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)]


def closed(account, status, n):
    for _ in range(n):
        OpportunityFactory(
            account=account,
            stage="Closed Won" if status == "won" else "Closed Lost",
            probability=100 if status == "won" else 0,
            created_date=datetime.date(2026, 1, 1),
            close_date=datetime.date(2026, 3, 1),
        )


def test_win_rates_and_placement_by_hand(org):
    closed(org.mine, "won", 3)
    closed(org.theirs, "lost", 7)  # the territory's history: 3 of 10 won
    proposal = OpportunityFactory(
        account=org.mine,
        stage="Proposal",
        probability=50,
        amount=Decimal("10000"),
        created_date=datetime.date(2026, 9, 1),
        close_date=datetime.date(2026, 12, 10),
    )
    negotiation = OpportunityFactory(
        account=org.mine,
        stage="Negotiation",
        probability=75,
        amount=Decimal("20000"),
        created_date=datetime.date(2026, 1, 1),
        close_date=datetime.date(2026, 8, 31),
    )  # overdue: expected in the first month
    OpportunityFactory(
        account=org.mine,
        stage="Qualification",
        probability=25,
        amount=None,
        created_date=datetime.date(2026, 9, 1),
        close_date=datetime.date(2026, 12, 1),
    )
    OpportunityFactory(
        account=org.mine,
        stage="Proposal",
        probability=50,
        amount=Decimal("4000"),
        created_date=datetime.date(2026, 9, 1),
        close_date=datetime.date(2027, 6, 1),
    )  # after the horizon
    rates = win_rates(datetime.date(2024, 11, 1), datetime.date(2026, 10, 31))
    assert (rates.won, rates.closed, rates.overall) == (3, 10, 0.3)
    # Open deals with an amount state 50, 75 and 50 on average 58.33%: scaled to 30%.
    assert rates.stated == pytest.approx(175 / 300)
    deals = {d.pk: d for d in open_deals([org.mine.pk], MONTHS, rates)}
    assert deals[proposal.pk].rate == pytest.approx(0.5 * 0.3 / (175 / 300))
    assert deals[negotiation.pk].rate == pytest.approx(0.75 * 0.3 / (175 / 300))
    assert deals[proposal.pk].month == 1 and deals[negotiation.pk].month == 0
    why = sorted(d.why_not for d in deals.values() if d.month is None)
    assert why == ["closes after the forecast's horizon", "no amount yet"]
    # By hand: 1,000,000 cents × 0.2571 in December; 2,000,000 × 0.3857 in November.
    months = pipeline_by_account(list(deals.values()), 3)[org.mine.pk]
    assert months[0] == pytest.approx(2_000_000 * 0.75 * 0.3 / (175 / 300))
    assert months[1] == pytest.approx(1_000_000 * 0.5 * 0.3 / (175 / 300))
    assert months[2] == 0
    assert "territory's win rate, 30% of 10 closed deals" in deals[proposal.pk].basis


def test_a_stage_with_its_own_closed_history_is_shrunk_toward_the_overall_rate(org):
    closed(org.mine, "won", 2)
    closed(org.mine, "lost", 8)  # overall 20%
    # A CRM that keeps the stage a deal was closed from (imported under its own names).
    for status, n in (("won", 4), ("lost", 1)):
        for _ in range(n):
            deal = OpportunityFactory(
                account=org.mine,
                stage="Closed Won",
                probability=0,
                created_date=datetime.date(2026, 1, 1),
                close_date=datetime.date(2026, 3, 1),
            )
            type(deal).objects.filter(pk=deal.pk).update(stage="Technical Win", status=status)
    rates = win_rates(datetime.date(2024, 11, 1), datetime.date(2026, 10, 31))
    assert rates.overall == pytest.approx(6 / 15)
    learned = rates.stages["Technical Win"]
    assert (learned.won, learned.closed) == (4, 5)
    assert learned.rate == pytest.approx((4 + 20 * 6 / 15) / (5 + 20))


def test_without_closed_deals_the_crm_probability_is_used_and_said(org):
    rates = win_rates(datetime.date(2024, 11, 1), datetime.date(2026, 10, 31))
    rate, basis = rates.rate("Proposal", 50)
    assert rate == 0.5 and "no closed deals" in basis


def test_the_cached_win_rates_follow_a_deal_closed_through_the_app(org):
    """Pages weight deals with win rates cached per version of the sales roll-up: a deal
    closed through the app (the web, the API, an import) moves the version on, so the
    next page reads the new rate, not the cached one."""
    from types import SimpleNamespace

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keyplan.forecast.selectors import _rates
    from keyplan.sales.services import opportunity_save

    closed(org.mine, "won", 1)
    closed(org.theirs, "lost", 3)
    result = SimpleNamespace(months=MONTHS)
    assert _rates(result).overall == pytest.approx(0.25)
    with CaptureQueriesContext(connection) as again:
        assert _rates(result).overall == pytest.approx(0.25)
    assert len(again.captured_queries) == 0  # read from the cache
    deal = OpportunityFactory(
        account=org.mine,
        stage="Negotiation",
        probability=75,
        created_date=datetime.date(2026, 1, 1),
        close_date=datetime.date(2026, 3, 1),
    )
    deal.stage, deal.status, deal.probability = "Closed Won", "won", 100
    opportunity_save(opportunity=deal, user=org.rep)
    assert _rates(result).overall == pytest.approx(0.4)  # 2 of 5 won

"""Where the stage history says nothing about a stage (deals imported already closed, a
stage no closed deal reached), keyplan falls back to the CRM's probability scaled to the
territory's win rate, and says which rule each stage used; a stage the history covers is
learned from it, shrunk toward the overall rate — figures worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from keyplan.forecast.pipeline import open_deals, win_rates
from keyplan.forecast.stages import backtest_sentences, stage_backtest
from keyplan.sales.services import opportunity_save
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def closed(account, stage, n):
    # Created already closed: the history holds only the closing stage.
    for _ in range(n):
        OpportunityFactory(
            account=account,
            stage=stage,
            probability=100 if stage == "Closed Won" else 0,
            created_date=datetime.date(2026, 1, 1),
            close_date=datetime.date(2026, 3, 1),
        )


def through_proposal(account, outcome):
    deal = OpportunityFactory(
        account=account,
        stage="Proposal",
        created_date=datetime.date(2026, 1, 1),
        close_date=datetime.date(2026, 3, 1),
    )
    deal.stage = outcome
    deal.probability = 100 if outcome == "Closed Won" else 0
    return opportunity_save(opportunity=deal)


def test_history_where_there_is_one_the_scaled_crm_elsewhere(org):
    closed(org.mine, "Closed Won", 3)
    closed(org.theirs, "Closed Lost", 7)
    through_proposal(org.mine, "Closed Won")
    through_proposal(org.mine, "Closed Lost")
    qualification = OpportunityFactory(
        account=org.mine,
        stage="Qualification",
        probability=25,
        amount=Decimal("1000"),
        created_date=datetime.date(2026, 9, 1),
        close_date=datetime.date(2026, 12, 1),
    )
    proposal = OpportunityFactory(
        account=org.mine,
        stage="Proposal",
        probability=50,
        amount=Decimal("1000"),
        created_date=datetime.date(2026, 9, 1),
        close_date=datetime.date(2026, 12, 1),
    )
    until = datetime.date(2026, 10, 31)
    rates = win_rates(until - datetime.timedelta(days=729), until)
    assert (rates.won, rates.closed, rates.with_history) == (4, 12, 2)
    overall = 4 / 12
    assert set(rates.stages) == {"Proposal"}
    assert rates.stages["Proposal"].rate == pytest.approx((1 + 20 * overall) / (2 + 20))
    deals = {d.pk: d for d in open_deals([org.mine.pk], [datetime.date(2026, 12, 1)], rates)}
    assert deals[proposal.pk].basis.startswith(
        "won 1 of 2 deals that reached Proposal in the last two years"
    )
    # Qualification: no closed deal's history reached it — the CRM's 25% scaled so the
    # open pipeline (25% and 50%, on average 37.5%) converts at the territory's 33%.
    assert deals[qualification.pk].rate == pytest.approx(0.25 * overall / 0.375)
    assert "the CRM's 25% scaled" in deals[qualification.pk].basis


def test_the_backtest_says_when_there_is_nothing_to_learn_from(org):
    through_proposal(org.mine, "Closed Won")
    bt = stage_backtest(datetime.date(2026, 10, 31)).as_dict()
    assert bt["brier_learned"] is None and bt["deals"] == 1
    assert backtest_sentences(bt) == [
        "No deal closed in the two years before the last 12 months: there was nothing to "
        "learn the rates from."
    ]

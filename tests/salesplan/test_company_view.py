"""The executive's home is the company view: the roll-up by team, tier, product line
and channel, the plans at risk with their reasons, approved investments against what
their ideas promised, and this quarter against the last."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.salesplan.leaders.company import (
    approved_investments,
    at_risk_plans,
    quarter_movement,
)
from keyplan.salesplan.periods import Period
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import FY, TODAY

territory = test_rollups.territory  # the small territory of the roll-up tests
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_an_executive_lands_on_the_company_view_by_team(client, territory):
    client.force_login(territory.exec)
    text = _text(client.get("/"))
    assert "The company · FY 2027" in text and "You own no accounts" not in text
    assert "3,000,000 USD company quota" in text
    # North: quota 2.0M, reps' quotas 2.2M (200,000 over), objectives 1.4M, won 700k.
    assert (
        "North 2,000,000 USD 2,200,000 USD 200,000 USD over the team's "
        "2,100,000 USD 1,400,000 USD 700,000 USD" in text
    )


@pytest.mark.parametrize(
    "by, expected",
    [
        ("tier", "Tier A 900,000 USD 1,600,000 USD 900,000 USD 650,000 USD"),
        ("product_line", "Analytics 1,000,000 USD 1,000,000 USD 600,000 USD"),
        ("channel", "Our own sales 2,100,000 USD 2,100,000 USD"),
        ("rep", "Cat Cole 800,000 USD 800,000 USD 1,000,000 USD 80,000 USD"),
    ],
)
def test_each_tab_rolls_up_by_its_dimension(client, territory, by, expected):
    client.force_login(territory.ops)
    page = client.get(f"/company/?by={by}&period=FY+2027")
    assert page.status_code == 200
    assert expected in _text(page)


def test_the_company_quota_beside_the_reps_and_teams_sums_says_over_assignment(client, territory):
    from keyplan.salesplan.models import Quota

    # Company 3.0M; teams 2.0M + 0.9M = 2.9M; reps 1.5M + 1.0M + 0.8M = 3.3M.
    Quota.objects.filter(rep=territory.ann, quarter=0).update(amount=Decimal(1_500_000))
    client.force_login(territory.exec)
    text = _text(client.get("/company/?by=rep&period=FY+2027"))
    assert "3,000,000 USD company quota" in text
    assert (
        "The reps' quotas add up to 3,300,000 USD, 300,000 USD (10%) more than the company "
        "quota of 3,000,000 USD: that is over-assignment" in text.replace("&#x27;", "'")
    )
    assert (
        "The teams' quotas add up to 2,900,000 USD, 100,000 USD (3%) less than the company "
        "quota of 3,000,000 USD: 100,000 USD of the company's number is assigned to no one"
        in text.replace("&#x27;", "'")
    )


def test_a_bad_tab_says_so_and_shows_teams(client, territory):
    client.force_login(territory.exec)
    text = _text(client.get("/company/?by=region"))
    assert "“region” is not a roll-up" in text and "By team" in text


def test_at_risk_plans_each_with_its_reasons(territory):
    t = territory
    found = {
        r.plan.account.name: r.reasons for r in at_risk_plans(user=t.exec, period=FY, today=TODAY)
    }
    # Delta: activated 10 January, never confirmed since: 125 days; no pipeline linked.
    assert "not confirmed for 125 days" in found["Delta"]
    assert "coverage 0.00× is below 2.5×" in found["Delta"]
    assert "never confirmed current" in found["Cargo"]
    # Acme was confirmed 25 days ago: only its low health and coverage put it at risk.
    assert not any("confirmed" in reason for reason in found["Acme"])
    # Each of the three reasons, in words: health under the threshold (40), coverage
    # under 2.5×, not confirmed for more than 60 days.
    assert found["Acme"] == ["health 30 is below 40", "coverage 0.57× is below 2.5×"]
    assert found["Delta"] == [
        "health 11 is below 40",
        "coverage 0.00× is below 2.5×",
        "not confirmed for 125 days",
    ]


def test_at_risk_page_says_why_in_words(client, territory):
    client.force_login(territory.exec)
    text = _text(client.get("/company/"))
    assert "Plans at risk" in text and "not confirmed for 125 days" in text


def test_approved_investments_against_what_their_ideas_promised(territory):
    t = territory
    (found,) = approved_investments(user=t.exec, period=FY)
    # Training: cost 20,000 all ours, the idea promised 400,000 a year: 20× its cost.
    assert (found.case.title, found.our_cost, found.promised, found.multiple) == (
        "Training",
        Decimal(20_000),
        Decimal(400_000),
        Decimal(20),
    )
    assert found.won == 0


def test_quarter_on_quarter_from_the_data(territory):
    t = territory
    this, last, rows = quarter_movement(user=t.exec, today=TODAY)
    assert (this, last) == (Period(2027, 2), Period(2027, 1))
    won = rows[0]
    # Q2 so far: Cargo 250k (1 April). Q1: 300k + 100k + 50k + 80k = 530k.
    assert (won.this, won.last) == (Decimal(250_000), Decimal(530_000))
    # On one line in its cell at phone width, as the amounts beside it are.
    assert won.change_text == "−280,000\u00a0USD\u00a0(−53%)"
    # Deals created: all six on 2 January 2027 (Q1), none in Q2 yet.
    created = rows[1]
    assert (created.this, created.last) == (0, Decimal(7_800_000))


def test_quarter_on_quarter_answers_from_the_cache_until_a_sale_is_written(
    territory, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """The executive's home sums millions of roll-up rows on a large territory: the
    second visit reads no sales, and a sale written through the services (which moves
    the roll-up's version on) shows at once."""
    t = territory
    quarter_movement(user=t.exec, today=TODAY)
    with django_assert_max_num_queries(0):
        _, _, rows = quarter_movement(user=t.exec, today=TODAY)
    assert rows[0].this == Decimal(250_000)
    from tests.factories import ProductFactory, SaleLineFactory

    with django_capture_on_commit_callbacks(execute=True):
        SaleLineFactory(
            account=t.cargo,
            product=ProductFactory(),
            date=datetime.date(2027, 5, 2),
            amount=Decimal(5_000),
        )
    _, _, rows = quarter_movement(user=t.exec, today=TODAY)
    assert rows[0].this == Decimal(255_000)


def test_quarter_on_quarter_is_cached_per_view_of_the_accounts(territory):
    """A manager's figures (their people's accounts) are not the executive's (all)."""
    t = territory
    assert quarter_movement(user=t.exec, today=TODAY)[2][0].last == Decimal(530_000)
    # South: Cat's Delta, 80k in Q1.
    assert quarter_movement(user=t.m2, today=TODAY)[2][0].last == Decimal(80_000)
    assert quarter_movement(user=t.exec, today=TODAY)[2][0].last == Decimal(530_000)


def test_a_manager_is_refused_the_company_view(client, territory):
    client.force_login(territory.m1)
    answer = client.get("/company/")
    assert answer.status_code == 403


def test_drill_down_of_a_tier_lists_its_accounts(client, territory):
    client.force_login(territory.exec)
    text = _text(client.get("/rollups/drill/?by=tier&key=A&measure=won&period=FY+2027"))
    assert "Tier: Tier A · 650,000 USD in all" in text
    assert "Acme 400,000 USD" in text and "Cargo 250,000 USD" in text


def test_drill_down_of_an_unknown_figure_is_a_clear_400(client, territory):
    client.force_login(territory.exec)
    answer = client.get("/rollups/drill/?by=rep&key=1&measure=fun")
    assert answer.status_code == 400
    assert "“fun” is not a figure: choose one of quota" in _text(answer)


def test_the_company_view_makes_no_query_per_team(client, territory, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TeamFactory, UserFactory

    client.force_login(territory.exec)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/company/").status_code == 200
    base = len(ctx.captured_queries)
    for i in range(6):
        team = TeamFactory(name=f"Extra {i}")
        UserFactory(username=f"x{i}", role="rep", team=team)
    with django_assert_max_num_queries(base):
        assert client.get("/company/").status_code == 200


def test_a_year_without_plans_says_so_rather_than_all_healthy(client, territory):
    client.force_login(territory.exec)
    text = _text(client.get("/company/?period=FY+2029"))
    assert "No account plan runs in FY 2029." in text

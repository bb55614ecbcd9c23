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


# -- per rep, team and territory plan -------------------------------------------------


@pytest.fixture
def team(org, lines):
    """FY 2026 quotas: rep 100,000, rep2 50,000. The rep won 5 of 10 deals of 10,000 in
    June 2025 (each opportunity brings 5,000); rep2 has no history (the territory's is the
    same 5 of 10). Booked in 2026: Mine Group 20,000. Open deals closing in 2026: 3 on Mine
    Group, 12 on Teammate Corp. The rep's plan has one open idea."""
    from keyplan.plans import services
    from keyplan.salesplan.models import Quota
    from tests.factories import SaleLineFactory
    from tests.plans.conftest import add_idea

    cloud, _ = lines
    Quota.objects.create(level="rep", rep=org.rep, fiscal_year=2026, amount=Decimal("100000"))
    Quota.objects.create(level="rep", rep=org.rep2, fiscal_year=2026, amount=Decimal("50000"))
    closed(org.mine, cloud, 5, 5, close=datetime.date(2025, 6, 30))
    SaleLineFactory(account=org.mine, date=datetime.date(2026, 4, 2), amount=Decimal("20000"))
    for _ in range(3):
        OpportunityFactory(account=org.mine, close_date=datetime.date(2026, 11, 30))
    for _ in range(12):
        OpportunityFactory(account=org.teammate, close_date=datetime.date(2026, 10, 31))
    plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        revenue_goal=Decimal("100000"),
    )
    add_idea(plan, org.rep, "30000")
    return org


def test_a_reps_need_against_their_quota(team):
    from keyplan.salesplan.periods import Period
    from keyplan.salesplan.pipeline import rep_need

    found = rep_need(team.rep, Period(2026), today=TODAY)
    # (100,000 − 20,000 booked) ÷ (50% × 10,000) = 16; 3 open; 1 idea.
    assert (found.forecast, found.needed, found.have, found.shortfall) == (
        Decimal("20000"),
        16,
        3,
        13,
    )
    assert found.sentence == (
        "You need 16 more qualified opportunities of ~10,000 USD by December 2026; you have 3 "
        "open, and 1 idea in plans."
    )
    assert found.note.startswith("The forecast is not computed yet")
    assert rep_need(team.other, Period(2026), today=TODAY) is None  # no quota


def test_a_team_sums_its_reps_and_counts_the_shortfall_rep_by_rep(team):
    from keyplan.salesplan.periods import Period
    from keyplan.salesplan.pipeline import team_need

    found = team_need(team.team, Period(2026), today=TODAY)
    rep2 = found.reps[team.rep2.pk]
    # rep2: 50,000 ÷ 5,000 = 10 at the territory's rates; 12 open: none short.
    assert (rep2.needed, rep2.have, rep2.shortfall, rep2.rates.source) == (10, 12, 0, "territory")
    assert (found.needed, found.have, found.shortfall) == (26, 15, 13)
    assert found.sentence == (
        "The team's reps need 26 more qualified opportunities by December 2026; they have 15 "
        "open, 13 short counted rep by rep."
    )


def test_the_territory_plans_goal_is_its_tier_objectives_else_the_quota(team):
    from keyplan.salesplan.models import TerritoryObjective, TerritoryPlan
    from keyplan.salesplan.pipeline import territory_need

    plan = TerritoryPlan.objects.create(rep=team.rep, fiscal_year=2026)
    assert territory_need(plan, today=TODAY).needed == 16  # the quota, 100,000
    for tier in ("A", "B"):
        TerritoryObjective.objects.create(
            plan=plan, kind="revenue_tier", dimension=tier, title=tier, target=Decimal("60000")
        )
    TerritoryObjective.objects.create(
        plan=plan, kind="revenue_line", title="Cloud", target=Decimal("999999")
    )
    found = territory_need(plan, today=TODAY)
    # (120,000 − 20,000) ÷ 5,000 = 20: the split by line is not the total.
    assert (found.goal, found.needed) == (Decimal("120000"), 20)


def test_many_reps_in_a_fixed_number_of_queries(team):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keyplan.salesplan.periods import Period
    from keyplan.salesplan.pipeline import rep_needs

    reps = [team.rep, team.rep2, team.manager, team.other]
    goals = {r.pk: Decimal(1000) for r in reps}
    with CaptureQueriesContext(connection) as two:
        rep_needs(reps[:2], Period(2026), goals=goals, today=TODAY)
    cache.clear()  # the territory's closed deals are read again, as the first time
    with CaptureQueriesContext(connection) as four:
        found = rep_needs(reps, Period(2026), goals=goals, today=TODAY)
    assert len(found) == 4
    assert len(four.captured_queries) == len(two.captured_queries)


def test_each_product_line_objective_gets_its_own_math_with_the_lines_rates(org, lines):
    from keyplan.plans import services
    from keyplan.salesplan.models import TerritoryObjective, TerritoryPlan
    from keyplan.salesplan.pipeline import line_needs
    from tests.factories import SaleLineFactory
    from tests.plans.conftest import add_idea

    cloud, services_product = lines
    # Cloud: the rep won 4 of 10 deals of 10,000 (each opportunity brings 4,000). Services:
    # 1 of 2 (20,000) — too few: the rep's overall, 5 of 12 and 60,000 ÷ 5 = 12,000 a deal
    # (5,000 an opportunity).
    closed(org.mine, cloud, 4, 6, close=datetime.date(2025, 6, 30))
    closed(org.mine, services_product, 1, 1, [Decimal("20000")], close=datetime.date(2025, 6, 30))
    SaleLineFactory(
        account=org.mine, product=cloud, date=datetime.date(2026, 3, 1), amount=Decimal("20000")
    )
    for product in (cloud, cloud, services_product):
        OpportunityFactory(account=org.mine, product=product, close_date=datetime.date(2026, 9, 1))
    plan = TerritoryPlan.objects.create(rep=org.rep, fiscal_year=2026)
    for line, target in ((cloud, "60000"), (services_product, "30000")):
        TerritoryObjective.objects.create(
            plan=plan,
            kind="revenue_line",
            product_line=line.product_line,
            title=line.product_line.name,
            target=Decimal(target),
        )
    account_plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        revenue_goal=Decimal("90000"),
    )
    add_idea(account_plan, org.rep, "25000", product_line=services_product.product_line)
    found = {n.line: n.need for n in line_needs(plan, today=TODAY)}
    cloud_need = found["Cloud"]
    # (60,000 − 20,000 booked) ÷ (40% × 10,000) = 10; 2 open Cloud deals.
    assert (cloud_need.forecast, cloud_need.needed, cloud_need.have) == (Decimal("20000"), 10, 2)
    assert cloud_need.rates.source == "rep_line"
    assert cloud_need.rates.words.startswith("your win rate in Cloud, 40% (4 of 10 deals")
    services_need = found["Services"]
    # 30,000 ÷ 5,000 = 6; 1 open Services deal; the Services idea.
    assert (services_need.needed, services_need.have, services_need.ideas) == (6, 1, 1)
    assert services_need.rates.source == "rep"
    assert services_need.sentence == (
        "You need 6 more qualified opportunities of ~12,000 USD by December 2026; you have 1 "
        "open, and 1 idea in plans."
    )


def test_the_territorys_closed_deals_are_read_once_until_an_opportunity_changes(
    org, lines, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Every territory plan page asks for the territory's closed deals (160,000 on a
    large territory): read once per day and version of the sales, and a deal closed
    through the services counts at once."""
    from keyplan.salesplan.pipeline import closed_history

    cloud, _services = lines
    with django_capture_on_commit_callbacks(execute=True):
        closed(org.mine, cloud, 1, 1)
    first = closed_history(today=TODAY)
    with django_assert_max_num_queries(0):
        assert closed_history(today=TODAY) == first
    with django_capture_on_commit_callbacks(execute=True):
        closed(org.mine, cloud, 1, 0)
    assert sum(row[2] for row in closed_history(today=TODAY)) == 3


def test_the_team_board_shows_each_reps_need_and_the_teams(client, team, monkeypatch):
    """The same math on the manager's team board: each rep against their quota, and the
    team's reps summed, short counted rep by rep."""
    import re

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    client.force_login(team.manager)
    page = client.get("/team/?period=FY+2026")
    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())
    text = text.replace("&#x27;", "'")
    assert (
        "The team's reps need 26 more qualified opportunities by December 2026; they have 15 "
        "open, 13 short counted rep by rep." in text
    )
    # The manager reads about each rep: in the third person, not the rep's "You need".
    assert (
        f"{team.rep} needs 16 more qualified opportunities of ~10,000 USD by December "
        "2026; they have 3 open, and 1 idea in plans." in text
    )
    assert f"{team.rep2} needs 10 more qualified opportunities" in text
    assert "You need" not in text


def test_many_reps_rates_in_one_pass_are_each_reps_own(team):
    """The board's one-pass rates (``rates_by_rep``) are what ``rates`` gives each rep:
    the rep with 10 closed deals their own, the rep without history the territory's, and
    someone absent from the history too."""
    from keyplan.salesplan.pipeline import closed_history, rates, rates_by_rep

    history = closed_history(today=TODAY)
    reps = [team.rep.pk, team.rep2.pk, team.manager.pk]
    found = rates_by_rep(reps, history)
    assert found == {pk: rates(rep_ids=[pk], rows=history) for pk in reps}
    assert (found[team.rep.pk].source, found[team.rep2.pk].source) == ("rep", "territory")

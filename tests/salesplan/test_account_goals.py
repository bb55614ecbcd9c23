"""Distributing a rep's quota over their accounts, and the account plan's revenue goal
that is the account goal of its year."""

import datetime
from decimal import Decimal

import pytest

from keyplan.plans import services as plan_services
from keyplan.plans.models import PlanChange
from keyplan.salesplan.models import AccountGoal
from keyplan.salesplan.periods import Period
from keyplan.salesplan.services import goal_set_apart, goals_save, quota_save
from tests.factories import AccountFactory, SaleLineFactory

pytestmark = pytest.mark.django_db
FY = Period(2026)


@pytest.fixture
def book(org):
    """The rep's quota for FY 2026 (1,000,000) and three accounts with 2025 revenue of
    500k, 300k and 200k (plus the org's Mine Group, with none)."""
    quota, _ = quota_save(user=org.ops, level="rep", rep=org.rep, period=FY, amount=1_000_000)
    accounts = {}
    for name, revenue in (("Alpha", 500_000), ("Beta", 300_000), ("Gamma", 200_000)):
        accounts[name] = AccountFactory(name=name, owner=org.rep)
        SaleLineFactory(
            account=accounts[name], date=datetime.date(2025, 6, 1), amount=Decimal(revenue)
        )
    return quota, accounts


def _rows(page):
    return " ".join(page.split())


def test_proposed_by_last_period_revenue_with_stretch_then_saved(client, org, book):
    quota, accounts = book
    client.force_login(org.rep)
    page = client.get(
        f"/quotas/{quota.pk}/goals/",
        {
            "basis": "last_period",
            "stretch": "1.10",
            "weight_a": 5,
            "weight_b": 3,
            "weight_c": 1,
            "propose": "1",
        },
    ).content.decode()
    text = _rows(page)
    assert 'value="550,000"' in page and 'value="330,000"' in page and 'value="220,000"' in page
    assert (
        'Proposed goals add up to <strong data-testid="goal-total">1,100,000 USD</strong>' in text
    )
    assert "110.0%</span> of the quota" in text
    assert not AccountGoal.objects.exists()  # a proposal saves nothing
    form = {
        f"goal_{a.pk}": v
        for a, v in zip(accounts.values(), ["550,000", "330,000", "220,000"], strict=True)
    }
    form[f"goal_{org.mine.pk}"] = "0"
    answer = client.post(
        f"/quotas/{quota.pk}/goals/",
        {**form, "basis": "last_period", "stretch": "1.10"},
        follow=True,
    )
    assert (
        "they add up to 1,100,000 USD against the quota of 1,000,000 USD" in answer.content.decode()
    )
    goals = dict(AccountGoal.objects.values_list("account__name", "amount"))
    assert goals == {"Alpha": 550_000, "Beta": 330_000, "Gamma": 220_000, "Mine Group": 0}


def test_forecast_not_computed_is_said_with_the_other_bases(client, org, book):
    quota, _ = book
    client.force_login(org.manager)
    page = client.get(
        f"/quotas/{quota.pk}/goals/",
        {
            "basis": "forecast",
            "stretch": "1",
            "weight_a": 5,
            "weight_b": 3,
            "weight_c": 1,
            "propose": "1",
        },
    ).content.decode()
    assert "The forecast has not been computed yet" in page
    assert "Propose by last period&#x27;s revenue, headroom or tier weights instead" in page


def test_goal_above_the_threshold_without_a_plan_is_flagged(client, org, book, settings):
    quota, accounts = book
    settings.KEYPLAN_GOAL_WITHOUT_PLAN_THRESHOLD = 400_000
    goals_save(
        user=org.rep,
        rep=org.rep,
        period=FY,
        amounts={accounts["Alpha"].pk: Decimal(550_000), accounts["Beta"].pk: Decimal(330_000)},
    )
    client.force_login(org.rep)
    page = client.get(f"/quotas/{quota.pk}/goals/").content.decode()
    assert page.count('data-testid="no-plan"') == 1
    assert "1 goal without a plan" in page


def test_stale_distribution_is_refused(org, book):
    _, accounts = book
    alpha = accounts["Alpha"].pk
    goals_save(user=org.rep, rep=org.rep, period=FY, amounts={alpha: Decimal(1)})
    goals_save(
        user=org.manager, rep=org.rep, period=FY, amounts={alpha: Decimal(2)}, versions={alpha: 1}
    )
    with pytest.raises(Exception, match="saved the goal for Alpha"):
        goals_save(
            user=org.rep, rep=org.rep, period=FY, amounts={alpha: Decimal(3)}, versions={alpha: 1}
        )
    assert AccountGoal.objects.get(account_id=alpha).amount == 2


def test_plan_revenue_goal_and_account_goal_follow_each_other_unless_set_apart(org, book):
    _, accounts = book
    alpha = accounts["Alpha"]
    plan = plan_services.plan_create(
        account=alpha,
        user=org.rep,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        revenue_goal=Decimal(400_000),
    )
    goal = AccountGoal.objects.get(account=alpha, fiscal_year=2026)
    assert goal.amount == 400_000  # the plan's goal became the account goal
    goals_save(user=org.manager, rep=org.rep, period=FY, amounts={alpha.pk: Decimal(550_000)})
    plan.refresh_from_db()
    assert plan.revenue_goal == 550_000  # and the distribution reached the plan
    assert PlanChange.objects.filter(plan=plan, changes__revenue_goal__isnull=False).exists()
    plan = plan_services.plan_update(
        plan=plan, user=org.rep, version=plan.version, revenue_goal=Decimal(600_000)
    )
    goal.refresh_from_db()
    assert goal.amount == 600_000
    goal_set_apart(goal=goal, user=org.rep, apart=True, note="Merger pending: plan is prudent")
    goals_save(user=org.rep, rep=org.rep, period=FY, amounts={alpha.pk: Decimal(700_000)})
    plan.refresh_from_db()
    assert plan.revenue_goal == 600_000  # set apart: the plan keeps its own number
    goal.refresh_from_db()
    assert (goal.amount, goal.apart_note) == (700_000, "Merger pending: plan is prudent")


def test_the_plan_page_shows_its_account_goal_and_why_it_differs(client, org, book):
    _, accounts = book
    alpha = accounts["Alpha"]
    plan = plan_services.plan_create(
        account=alpha,
        user=org.rep,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        revenue_goal=Decimal(400_000),
    )
    goal = AccountGoal.objects.get(account=alpha)
    goal_set_apart(goal=goal, user=org.manager, apart=True, note="Budget freeze until March")
    goals_save(user=org.rep, rep=org.rep, period=FY, amounts={alpha.pk: Decimal(450_000)})
    client.force_login(org.rep)
    page = " ".join(client.get(plan.get_absolute_url()).content.decode().split())
    assert "450,000 USD for FY 2026, a share of" in page
    assert "set apart from the plan's revenue goal on purpose: Budget freeze until March" in page


def test_proposed_by_tier_weights(client, org, book):
    from keyplan.territory.models import AccountTier

    quota, accounts = book
    for name, tier in (("Alpha", "A"), ("Beta", "B"), ("Gamma", "C")):
        AccountTier.objects.create(
            account=accounts[name], tier=tier, score=50, accepted_at="2026-01-01T00:00Z"
        )
    client.force_login(org.rep)
    page = client.get(
        f"/quotas/{quota.pk}/goals/",
        {
            "basis": "tier",
            "stretch": "1",
            "weight_a": 5,
            "weight_b": 3,
            "weight_c": 2,
            "propose": "1",
        },
    ).content.decode()
    # 1,000,000 over weights 5/3/2 (Mine Group has no tier: no share).
    assert 'value="500,000"' in page and 'value="300,000"' in page and 'value="200,000"' in page


def test_setting_a_goal_apart_on_the_page_and_the_trail(client, org, book):
    quota, accounts = book
    alpha = accounts["Alpha"]
    plan_services.plan_create(
        account=alpha,
        user=org.rep,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        revenue_goal=Decimal(400_000),
    )
    goal = AccountGoal.objects.get(account=alpha)
    client.force_login(org.manager)
    page = client.get(f"/quotas/{quota.pk}/goals/").content.decode()
    assert "Set apart from the plan" in page
    answer = client.post(
        f"/goals/{goal.pk}/apart/",
        {"apart": "1", "note": "", "version": goal.version},
        follow=True,
    )
    assert "Say why the goal and the plan differ." in answer.content.decode()
    answer = client.post(
        f"/goals/{goal.pk}/apart/",
        {"apart": "1", "note": "Customer merger", "version": goal.version},
        follow=True,
    )
    text = " ".join(answer.content.decode().split())
    assert "set apart on purpose: Customer merger (plan: 400,000 USD)" in text
    assert "Follow the plan again" in text
    trail = answer.content.decode().split('data-testid="goal-trail"')[1]
    assert "— → 400,000 USD (from the plan)" in trail and "set apart from the plan" in trail
    # A page the manager opened before (another tab): the stale version is refused, and
    # the manager is told it was their own save, nothing changes.
    stale = client.post(
        f"/goals/{goal.pk}/apart/", {"apart": "0", "version": goal.version}, follow=True
    )
    assert "You saved the goal for" in stale.content.decode()
    assert "in another tab or window" in stale.content.decode()
    assert AccountGoal.objects.get(pk=goal.pk).apart_from_plan is True


def test_the_goals_page_makes_no_query_per_account(client, org, book):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quota, _ = book

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/quotas/{quota.pk}/goals/").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(org.rep)
    count()
    small = count()
    for n in range(12):
        account = AccountFactory(name=f"More {n}", owner=org.rep)
        SaleLineFactory(account=account, date=datetime.date(2025, 3, 1), amount=Decimal(1000))
        plan_services.plan_create(
            account=account,
            user=org.rep,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            revenue_goal=Decimal(5000),
        )
    assert count() == small


def test_a_goal_with_cents_is_shown_with_its_cents_so_saving_again_keeps_it(client, org, book):
    quota, accounts = book
    goals_save(
        user=org.rep,
        rep=org.rep,
        period=FY,
        amounts={accounts["Alpha"].pk: Decimal("1000000.50")},
    )
    client.force_login(org.rep)
    page = client.get(f"/quotas/{quota.pk}/goals/").content.decode()
    assert 'value="1,000,000.50"' in page  # not rounded to 1,000,001


def test_a_refused_save_keeps_what_was_typed_and_names_the_account(client, org, book):
    quota, accounts = book
    client.force_login(org.rep)
    form = {f"goal_{a.pk}": "100,000" for a in accounts.values()}
    form[f"goal_{org.mine.pk}"] = "0"
    form[f"goal_{accounts['Alpha'].pk}"] = "2,500,000"
    form[f"goal_{accounts['Beta'].pk}"] = "lots"
    page = client.post(f"/quotas/{quota.pk}/goals/", {**form, "basis": "hand"}).content.decode()
    assert "Goal of Beta: “lots” is not an amount" in page
    assert 'value="2,500,000"' in page and 'value="lots"' in page
    assert not AccountGoal.objects.exists()


def test_the_goal_box_comes_right_after_the_account_so_a_phone_shows_it(client, org, book):
    """At 390 px the table scrolls sideways: the goal being set is the second column,
    not behind the tier and last period's revenue."""
    quota, accounts = book
    client.force_login(org.rep)
    page = client.get(f"/quotas/{quota.pk}/goals/").content.decode()
    head = page[page.index("<th>Account</th>") :]
    assert head.startswith('<th>Account</th><th class="num">Goal</th>')
    row = page[page.index(f'href="/accounts/{accounts["Alpha"].pk}/"') :]
    assert row.index(f'name="goal_{accounts["Alpha"].pk}"') < row.index("500,000")


def test_proposed_by_share_of_wallet_headroom(client, org, book):
    """Alpha's potential is estimated at 900,000 (500,000 bought: 400,000 untapped),
    Beta's at 400,000 (300,000 bought: 100,000 untapped); Gamma has none: the quota goes
    4 to 1 between Alpha and Beta."""
    from keyplan.territory.models import PotentialEstimate

    quota, accounts = book
    for name, potential in (("Alpha", 900_000), ("Beta", 400_000)):
        PotentialEstimate.objects.create(
            account=accounts[name],
            annual_amount=Decimal(potential),
            source="Annual report",
            entered_by=org.rep,
        )
    client.force_login(org.rep)
    page = client.get(
        f"/quotas/{quota.pk}/goals/",
        # The form as the page sends it: the tier weights are there, unused by this basis.
        {
            "basis": "headroom",
            "stretch": "1",
            "weight_a": 5,
            "weight_b": 3,
            "weight_c": 1,
            "propose": "1",
        },
    ).content.decode()
    assert 'value="800,000"' in page and 'value="200,000"' in page


def test_proposed_by_the_forecast_once_computed(client, org):
    """The rep's Mine Group sells 1,000 a month and Delta 3,000, steadily, for two years
    to October 2026: the forecast expects them in that proportion, so a quota of
    100,000 goes 25,000 and 75,000."""
    from keyplan.catalog.models import ProductLine
    from keyplan.forecast.selectors import territory_result
    from tests.factories import ProductFactory

    product = ProductFactory(product_line=ProductLine.objects.create(name="Cloud"))
    delta = AccountFactory(name="Delta", owner=org.rep)
    for m in range(24):
        day = datetime.date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 5)
        SaleLineFactory(account=org.mine, product=product, date=day, amount=Decimal("1000"))
        SaleLineFactory(account=delta, product=product, date=day, amount=Decimal("3000"))
    quota, _ = quota_save(user=org.ops, level="rep", rep=org.rep, period=FY, amount=100_000)
    territory_result(12)
    client.force_login(org.rep)
    page = client.get(
        f"/quotas/{quota.pk}/goals/",
        {
            "basis": "forecast",
            "stretch": "1",
            "weight_a": 5,
            "weight_b": 3,
            "weight_c": 1,
            "propose": "1",
        },
    ).content.decode()
    assert 'value="25,000"' in page and 'value="75,000"' in page

"""Roll-ups by rep, team, tier, product line and channel, hand-computed on a small
territory; every figure equals the sum (or count) of the list it drills into; a fixed
number of queries whatever the number of reps."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.people.choices import Role
from keyplan.plans import services
from keyplan.plans.health import plan_health
from keyplan.plans.models import AccountPlan
from keyplan.salesplan.choices import ObjectiveKind
from keyplan.salesplan.leaders.health import plan_healths
from keyplan.salesplan.models import AccountGoal, Quota, TerritoryObjective, TerritoryPlan
from keyplan.salesplan.periods import Period
from keyplan.salesplan.rollups import MEASURES, RollupError, kept_measures, rollup, rollup_drill
from tests.factories import (
    AccountFactory,
    OpportunityFactory,
    ProductFactory,
    ProductLineFactory,
    SaleLineFactory,
    TeamFactory,
    UserFactory,
)
from tests.plans.conftest import add_idea

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 5, 15)
FY = Period(2027)
M = Decimal


def _at(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _quota(level, amount, **holder):
    return Quota.objects.create(level=level, fiscal_year=2027, amount=M(amount), **holder)


def _tier(account, tier):
    from keyplan.territory.models import AccountTier

    AccountTier.objects.create(account=account, tier=tier, score=50, accepted_at=_at(TODAY))


def _action(plan, owner, due, status="planned"):
    action = services.element_save(
        kind="action",
        plan=plan,
        user=owner,
        title=f"Call on {due}",
        owner=owner,
        due_date=due,
        effort_hours=M(1),
        confirm_outside_period=True,
    )
    if status != "planned":
        type(action).objects.filter(pk=action.pk).update(status=status)
    return action


@pytest.fixture
def territory(db):
    """Two teams, three reps, four accounts, FY 2027 seen on 15 May 2027.

    North (Mara North): Ann Archer (Acme, tier A; Beta, tier B), Ben Brook (Cargo, tier A).
    South (Sam South): Cat Cole (Delta, tier C). Figures hand-computed in the tests."""
    t = type("Territory", (), {})()
    t.exec = UserFactory(username="exec", first_name="Eve", last_name="Exec", role=Role.EXECUTIVE)
    t.ops = UserFactory(username="ops", first_name="Otto", last_name="Ops", role=Role.SALES_OPS)
    t.m1 = UserFactory(username="m1", first_name="Mara", last_name="North", role=Role.MANAGER)
    t.m2 = UserFactory(username="m2", first_name="Sam", last_name="South", role=Role.MANAGER)
    t.north = TeamFactory(name="North", manager=t.m1)
    t.south = TeamFactory(name="South", manager=t.m2)
    rep = dict(role=Role.REP)
    t.ann = UserFactory(
        username="ann", first_name="Ann", last_name="Archer", team=t.north, manager=t.m1, **rep
    )
    t.ben = UserFactory(
        username="ben", first_name="Ben", last_name="Brook", team=t.north, manager=t.m1, **rep
    )
    t.cat = UserFactory(
        username="cat", first_name="Cat", last_name="Cole", team=t.south, manager=t.m2, **rep
    )
    t.analytics = ProductLineFactory(name="Analytics")
    t.services = ProductLineFactory(name="Services")
    p1 = ProductFactory(name="Insight", product_line=t.analytics)
    p2 = ProductFactory(name="Rollout", product_line=t.services)
    t.acme = AccountFactory(name="Acme", owner=t.ann)
    t.beta = AccountFactory(name="Beta", owner=t.ann)
    t.cargo = AccountFactory(name="Cargo", owner=t.ben)
    t.delta = AccountFactory(name="Delta", owner=t.cat)
    for account, tier in ((t.acme, "A"), (t.beta, "B"), (t.cargo, "A"), (t.delta, "C")):
        _tier(account, tier)
    # Quotas: North's reps carry 2.2M against the team's 2.0M (over-assignment).
    _quota("company", 3_000_000)
    _quota("team", 2_000_000, team=t.north)
    _quota("team", 900_000, team=t.south)
    _quota("rep", 1_200_000, rep=t.ann)
    _quota("rep", 1_000_000, rep=t.ben)
    _quota("rep", 800_000, rep=t.cat)
    Quota.objects.create(level="rep", rep=t.ann, fiscal_year=2027, quarter=2, amount=M(300_000))
    for account, owner, amount in (
        (t.acme, t.ann, 700_000),
        (t.beta, t.ann, 500_000),
        (t.cargo, t.ben, 900_000),
        (t.delta, t.cat, 800_000),
    ):
        AccountGoal.objects.create(account=account, rep=owner, fiscal_year=2027, amount=M(amount))
    # Territory plans' revenue objectives.
    tp_ann = TerritoryPlan.objects.create(rep=t.ann, fiscal_year=2027, status="active")
    tp_cat = TerritoryPlan.objects.create(rep=t.cat, fiscal_year=2027)
    t.tp_ann, t.tp_cat = tp_ann, tp_cat
    for plan, kind, dimension, line, target in (
        (tp_ann, ObjectiveKind.REVENUE_TIER, "A", None, 900_000),
        (tp_ann, ObjectiveKind.REVENUE_TIER, "B", None, 500_000),
        (tp_ann, ObjectiveKind.REVENUE_LINE, "", t.analytics, 1_000_000),
        (tp_ann, ObjectiveKind.REVENUE_LINE, "", t.services, 400_000),
        (tp_ann, ObjectiveKind.REVENUE_CHANNEL, "own", None, 1_100_000),
        (tp_ann, ObjectiveKind.REVENUE_CHANNEL, "partners", None, 300_000),
        (tp_ann, ObjectiveKind.NEW_LOGOS, "", None, 3),
        (tp_cat, ObjectiveKind.REVENUE_TIER, "C", None, 1_000_000),
        (tp_cat, ObjectiveKind.REVENUE_LINE, "", t.services, 1_000_000),
        (tp_cat, ObjectiveKind.REVENUE_CHANNEL, "own", None, 1_000_000),
    ):
        TerritoryObjective.objects.create(
            plan=plan,
            kind=kind,
            dimension=dimension,
            product_line=line,
            title=f"{kind} {dimension or line}",
            target=M(target),
        )
    # Sales: won so far in FY 2027 (the 2026 sale is last year's).
    for account, product, day, amount in (
        (t.acme, p1, datetime.date(2027, 2, 10), 300_000),
        (t.acme, p2, datetime.date(2027, 3, 5), 100_000),
        (t.beta, p1, datetime.date(2027, 1, 20), 50_000),
        (t.cargo, p1, datetime.date(2027, 4, 1), 250_000),
        (t.delta, p2, datetime.date(2027, 2, 1), 80_000),
        (t.acme, p1, datetime.date(2026, 11, 1), 999_000),
    ):
        SaleLineFactory(account=account, product=product, date=day, amount=M(amount))
    # Pipeline: open deals closing in FY 2027 count; one closing in 2028 and a lost one do not.
    for account, product, close, amount, status in (
        (t.acme, p1, datetime.date(2027, 9, 30), 600_000, "open"),
        (t.beta, p2, datetime.date(2027, 11, 15), 200_000, "open"),
        (t.cargo, p1, datetime.date(2027, 8, 31), 1_500_000, "open"),
        (t.delta, p2, datetime.date(2027, 10, 1), 100_000, "open"),
        (t.acme, p1, datetime.date(2028, 2, 1), 5_000_000, "open"),
        (t.cargo, p1, datetime.date(2027, 3, 1), 400_000, "lost"),
    ):
        OpportunityFactory(
            account=account,
            product=product,
            close_date=close,
            amount=M(amount),
            status=status,
            stage="Closed Lost" if status == "lost" else "Proposal",
            created_date=datetime.date(2027, 1, 2),
            name=f"{account.name} {amount}",
        )
    # Account plans: Acme (Ann, confirmed 25 days ago), Cargo (Ben, draft, never
    # confirmed), Delta (Cat, activated 125 days ago, never confirmed since).
    start, end = datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)
    t.plan_acme = services.plan_create(
        account=t.acme, user=t.ann, period_start=start, period_end=end, revenue_goal=M(700_000)
    )
    t.plan_cargo = services.plan_create(
        account=t.cargo, user=t.ben, period_start=start, period_end=end, revenue_goal=M(900_000)
    )
    t.plan_delta = services.plan_create(
        account=t.delta, user=t.cat, period_start=start, period_end=end, revenue_goal=M(800_000)
    )
    AccountPlan.objects.filter(pk=t.plan_acme.pk).update(
        status="active",
        activated_at=_at(datetime.date(2027, 1, 5)),
        confirmed_at=_at(datetime.date(2027, 4, 20)),
    )
    AccountPlan.objects.filter(pk=t.plan_delta.pk).update(
        status="active", activated_at=_at(datetime.date(2027, 1, 10))
    )
    old = services.plan_create(
        account=t.acme,
        user=t.ann,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    AccountPlan.objects.filter(pk=old.pk).update(status="archived")
    # Overdue actions: Ann 1 (a done one and a future one do not count), Cat 2.
    _action(t.plan_acme, t.ann, datetime.date(2027, 5, 1))
    _action(t.plan_acme, t.ann, datetime.date(2027, 4, 1), status="done")
    _action(t.plan_acme, t.ann, datetime.date(2027, 6, 1))
    _action(t.plan_delta, t.cat, datetime.date(2027, 3, 1))
    _action(t.plan_delta, t.cat, datetime.date(2027, 5, 10))
    # Investments: one of Ann's waits for a decision; one approved; Ben's is a draft.
    idea = add_idea(
        t.plan_acme, t.ann, "400000", title="Predictive maintenance", needs_investment=True
    )
    for title, cost, submit in (("Pilot kit", 50_000, True), ("Training", 20_000, False)):
        case = services.element_save(
            kind="investment",
            plan=t.plan_acme,
            user=t.ann,
            idea=idea,
            title=title,
            cost=M(cost),
            expected_return=M(cost * 4),
        )
        if submit:
            services.investment_submit(case=case, user=t.ann)
            t.waiting = case
        else:
            services.investment_submit(case=case, user=t.ann)
            services.investment_decide(case=case, user=t.m1, approve=True)
            t.approved = case
    idea2 = add_idea(t.plan_cargo, t.ben, "100000", title="Spares")
    services.element_save(
        kind="investment",
        plan=t.plan_cargo,
        user=t.ben,
        idea=idea2,
        title="Draft case",
        cost=M(5000),
        expected_return=M(6000),
    )
    return t


def _rows(r):
    return {row.label: row for row in r.rows}


def test_by_rep_hand_computed(territory):
    t = territory
    r = rollup(user=t.exec, period=FY, by="rep", today=TODAY)
    rows = _rows(r)
    assert list(rows) == ["Ann Archer", "Ben Brook", "Cat Cole"]
    ann, ben, cat = rows["Ann Archer"], rows["Ben Brook"], rows["Cat Cole"]
    assert (ann.quota, ben.quota, cat.quota) == (M(1_200_000), M(1_000_000), M(800_000))
    assert (ann.goals, ben.goals, cat.goals) == (M(1_200_000), M(900_000), M(800_000))
    # Objectives: the split by tier is the revenue total (Ann 0.9M + 0.5M).
    assert (ann.objectives, ben.objectives, cat.objectives) == (M(1_400_000), 0, M(1_000_000))
    assert (ann.won, ben.won, cat.won) == (M(450_000), M(250_000), M(80_000))
    assert (ann.pipeline, ben.pipeline, cat.pipeline) == (M(800_000), M(1_500_000), M(100_000))
    # Coverage = pipeline / (quota - won): 800k/750k, 1.5M/750k, 100k/720k.
    assert [x.coverage_text for x in (ann, ben, cat)] == ["1.1×", "2.0×", "0.1×"]
    assert (ann.plans, ben.plans, cat.plans) == (1, 1, 1)
    assert (ann.overdue, ben.overdue, cat.overdue) == (1, 0, 2)
    assert (ann.investments, ben.investments, cat.investments) == (1, 0, 0)
    assert ann.confirmed.date() == datetime.date(2027, 4, 20) and ann.never_confirmed == 0
    assert ben.never_confirmed == 1
    assert cat.confirmed.date() == datetime.date(2027, 1, 10)
    assert ann.territory_plan == t.tp_ann and ben.territory_plan is None
    # Ann has not read her facts yet: her plan stands at the first step.
    assert ann.territory_plan.step_words == "Step 1 of 5: Facts"
    assert r.total.quota == M(3_000_000) and r.total.won == M(780_000)
    assert r.company_quota == M(3_000_000)
    assert "coverage 0.1× is below 2.5×" in cat.flags(TODAY)
    assert "a plan not confirmed for 125 days" in cat.flags(TODAY)
    assert "2 overdue actions" in cat.flags(TODAY)
    cargo = plan_health(AccountPlan.objects.get(pk=t.plan_cargo.pk), today=TODAY).score
    assert ben.health == cargo < 40
    assert ben.flags(TODAY) == [
        "coverage 2.0× is below 2.5×",
        f"plans' health {cargo} is below 40",
        "1 plan never confirmed",
    ]


def test_by_team_shows_the_team_quota_and_its_reps_sum(territory):
    t = territory
    rows = _rows(rollup(user=t.exec, period=FY, by="team", today=TODAY))
    north, south = rows["North"], rows["South"]
    assert (north.quota, north.reps_quota, north.over_assigned) == (
        M(2_000_000),
        M(2_200_000),
        M(200_000),
    )
    assert (south.quota, south.reps_quota, south.shortfall) == (M(900_000), M(800_000), M(100_000))
    assert (north.won, north.pipeline) == (M(700_000), M(2_300_000))
    # 2.3M over (2.0M - 0.7M) = 1.77 → 1.8×; South 100k over 820k.
    assert (north.coverage_text, south.coverage_text) == ("1.8×", "0.1×")
    assert (north.objectives, south.objectives) == (M(1_400_000), M(1_000_000))
    assert (north.plans, north.overdue, north.investments) == (2, 1, 1)


def test_by_tier_product_line_and_channel_read_the_objectives_for_the_quota(territory):
    t = territory
    tiers = _rows(rollup(user=t.exec, period=FY, by="tier", today=TODAY))
    assert [
        (k, tiers[k].quota, tiers[k].won, tiers[k].pipeline, tiers[k].goals) for k in tiers
    ] == [
        ("Tier A", M(900_000), M(650_000), M(2_100_000), M(1_600_000)),
        ("Tier B", M(500_000), M(50_000), M(200_000), M(500_000)),
        ("Tier C", M(1_000_000), M(80_000), M(100_000), M(800_000)),
    ]
    lines = _rows(rollup(user=t.exec, period=FY, by="product_line", today=TODAY))
    assert (lines["Analytics"].objectives, lines["Analytics"].won, lines["Analytics"].pipeline) == (
        M(1_000_000),
        M(600_000),
        M(2_100_000),
    )
    assert (lines["Services"].objectives, lines["Services"].won) == (M(1_400_000), M(180_000))
    assert lines["Services"].plans is None  # plans are not kept by product line
    channels = rollup(user=t.exec, period=FY, by="channel", today=TODAY)
    assert [(row.label, row.objectives) for row in channels.rows] == [
        ("Our own sales", M(2_100_000)),
        ("Partners", M(300_000)),
    ]
    assert "won" not in channels.kept and channels.rows[0].won is None


def test_a_quarter_reads_the_quarters_quota_and_sales(territory):
    t = territory
    rows = _rows(rollup(user=t.exec, period=Period(2027, 2), by="rep", today=TODAY))
    # Q2 (April-June): Ann's quarter quota 300k; Ben's Cargo sale of 1 April.
    assert rows["Ann Archer"].quota == M(300_000) and rows["Ann Archer"].won == 0
    assert rows["Ben Brook"].quota is None and rows["Ben Brook"].won == M(250_000)
    assert rows["Ann Archer"].objectives == 0  # territory objectives are the year's


@pytest.mark.parametrize("by", ["rep", "team", "tier", "product_line", "channel"])
def test_every_figure_is_the_sum_or_count_of_its_drill_down(territory, by):
    t = territory
    r = rollup(user=t.exec, period=FY, by=by, today=TODAY)
    checked = 0
    for row in r.rows:
        for measure in MEASURES:
            if measure not in r.kept or measure == "forecast" and row.forecast is None:
                continue
            drill = rollup_drill(
                user=t.exec, period=FY, by=by, key=row.key, measure=measure, today=TODAY
            )
            figure = getattr(row, measure)
            expected = drill.total if figure is not None else drill.total or None
            assert (figure or 0) == expected or (figure is None and not drill.lines), (
                row.label,
                measure,
            )
            if drill.counted:
                assert figure == len(drill.lines)
            else:
                assert (figure or 0) == sum(line.amount for line in drill.lines)
            checked += 1
    assert checked >= len(r.rows) * 2


def test_drill_down_lists_what_a_leader_reads(territory):
    t = territory
    key = str(t.ann.pk)
    overdue = rollup_drill(user=t.m1, period=FY, by="rep", key=key, measure="overdue", today=TODAY)
    assert [(x.label, x.of) for x in overdue.lines] == [("Call on 2027-05-01", "Ann Archer · Acme")]
    waiting = rollup_drill(
        user=t.m1, period=FY, by="rep", key=key, measure="investments", today=TODAY
    )
    assert [x.label for x in waiting.lines] == ["Pilot kit"]
    pipeline = rollup_drill(
        user=t.m1, period=FY, by="rep", key=key, measure="pipeline", today=TODAY
    )
    assert [(x.of, x.amount) for x in pipeline.lines] == [
        ("Acme", M(600_000)),
        ("Beta", M(200_000)),
    ]
    goals = rollup_drill(user=t.m1, period=FY, by="rep", key=key, measure="goals", today=TODAY)
    assert [(x.label, x.amount) for x in goals.lines] == [
        ("Acme", M(700_000)),
        ("Beta", M(500_000)),
    ]
    plans = rollup_drill(user=t.m1, period=FY, by="rep", key=key, measure="plans", today=TODAY)
    assert [x.label for x in plans.lines] == ["Acme"] and "confirmed" in plans.lines[0].note


def test_batched_health_equals_the_plan_pages_health(territory):
    t = territory
    plans = list(AccountPlan.objects.exclude(status="archived"))
    batch = plan_healths(plans, today=TODAY)
    for plan in plans:
        single = plan_health(plan, today=TODAY)
        assert [(r.label, round(r.points, 6)) for r in batch[plan.pk].reasons] == [
            (r.label, round(r.points, 6)) for r in single.reasons
        ]
    rows = _rows(rollup(user=t.exec, period=FY, by="rep", today=TODAY))
    t.plan_acme.refresh_from_db()
    assert rows["Ann Archer"].health == plan_health(t.plan_acme, today=TODAY).score


def test_a_manager_sees_only_their_team_and_a_rep_only_themself(territory):
    t = territory
    north = rollup(user=t.m1, period=FY, by="rep", today=TODAY)
    assert [row.label for row in north.rows] == ["Ann Archer", "Ben Brook"]
    assert north.total.won == M(700_000) and north.company_quota is None
    teams = rollup(user=t.m1, period=FY, by="team", today=TODAY)
    assert [row.label for row in teams.rows] == ["North"]
    mine = rollup(user=t.cat, period=FY, by="rep", today=TODAY)
    assert [(row.label, row.won) for row in mine.rows] == [("Cat Cole", M(80_000))]
    with_key = rollup_drill(
        user=t.m1, period=FY, by="rep", key=str(t.cat.pk), measure="pipeline", today=TODAY
    )
    assert with_key.lines == []  # another team's deals are not listed to this manager


def test_bad_dimension_or_figure_says_what_is_expected(territory):
    with pytest.raises(RollupError, match="“region” is not a roll-up: choose by=rep, team"):
        rollup(user=territory.exec, period=FY, by="region")
    with pytest.raises(RollupError, match="“fun” is not a figure"):
        rollup_drill(user=territory.exec, period=FY, by="rep", key="1", measure="fun")
    assert "plans" not in kept_measures("channel")


def test_a_fixed_number_of_queries_for_3_or_12_reps(territory, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = territory

    def count():
        t.exec.__dict__.pop("_keyplan_scope", None)
        with CaptureQueriesContext(connection) as ctx:
            rollup(user=t.exec, period=FY, by="rep", today=TODAY)
        return len(ctx.captured_queries)

    three = count()
    for i in range(9):
        rep = UserFactory(username=f"extra{i}", role=Role.REP, team=t.south, manager=t.m2)
        account = AccountFactory(name=f"Extra {i}", owner=rep)
        _quota("rep", 100_000, rep=rep)
        plan = services.plan_create(
            account=account,
            user=rep,
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 12, 31),
            revenue_goal=M(100_000),
        )
        _action(plan, rep, datetime.date(2027, 4, 1))
    with django_assert_max_num_queries(three):
        t.exec.__dict__.pop("_keyplan_scope", None)
        r = rollup(user=t.exec, period=FY, by="rep", today=TODAY)
    assert len(r.rows) == 12


def test_forecast_is_the_period_forecast_summed_per_row(territory, monkeypatch):
    from types import SimpleNamespace

    from keyplan.salesplan import forecasting, rollups

    t = territory
    expected = {t.acme.pk: M(100), t.beta.pk: M(50), t.cargo.pk: M(30), t.delta.pk: M(20)}

    def period_forecast(ids, period, **kwargs):
        wanted = set(forecasting.account_ids(ids))
        return SimpleNamespace(
            available=True,
            notes=[],
            by_account={pk: v for pk, v in expected.items() if pk in wanted},
        )

    monkeypatch.setattr(forecasting, "period_forecast", period_forecast)
    monkeypatch.setattr(rollups, "forecast_result", lambda: object())  # "computed"
    rows = _rows(rollup(user=t.exec, period=FY, by="rep", today=TODAY))
    assert [rows[n].forecast for n in ("Ann Archer", "Ben Brook", "Cat Cole")] == [150, 30, 20]
    tiers = _rows(rollup(user=t.exec, period=FY, by="tier", today=TODAY))
    assert [tiers[n].forecast for n in ("Tier A", "Tier B", "Tier C")] == [130, 50, 20]
    drill = rollup_drill(
        user=t.m1, period=FY, by="rep", key=str(t.ann.pk), measure="forecast", today=TODAY
    )
    assert [(x.label, x.amount) for x in drill.lines] == [("Acme", 100), ("Beta", 50)]


def test_without_a_computed_forecast_the_column_says_so(territory):
    r = rollup(user=territory.exec, period=FY, by="rep", today=TODAY)
    assert all(row.forecast is None for row in r.rows) and r.forecast_note


def test_the_list_behind_a_row_without_a_key_is_titled_as_the_row_is(territory):
    """The row of what names no product line or channel reads "No product line" / "No
    channel"; the list behind its figures says the same, not "None"."""
    t = territory
    for by, words in (
        ("product_line", "No product line"),
        ("channel", "No channel"),
        ("rep", "No owner"),
    ):
        found = rollup_drill(
            user=t.exec, period=FY, by=by, key="none", measure="objectives", today=TODAY
        )
        assert found.row_label == words

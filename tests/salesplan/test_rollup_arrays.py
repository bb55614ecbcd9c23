"""The roll-ups' won so far, forecast and open pipeline come from per-account arrays cached
by sales version (``salesplan.period_arrays``), grouped on each request by who the
accounts belong to now: hand-computed on the small territory of the roll-up tests
(FY 2027 seen on 15 May 2027 — won: Acme 400,000, Beta 50,000, Cargo 250,000, Delta
80,000; open pipeline: Acme 600,000, Beta 200,000, Cargo 1,500,000, Delta 100,000)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keyplan.accounts.models import Account
from keyplan.catalog.models import Product
from keyplan.sales.models import Opportunity, SalesMonth
from keyplan.sales.rollup import sales_version
from keyplan.sales.services import opportunity_save
from keyplan.salesplan import period_arrays
from keyplan.salesplan.rollups import MEASURES, rollup, rollup_drill
from keyplan.territory.models import AccountTier
from tests.factories import AccountFactory, OpportunityFactory, SaleLineFactory
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import FY, TODAY

territory = test_rollups.territory
pytestmark = pytest.mark.django_db
M = Decimal


def _rows(r):
    return {row.label: row for row in r.rows}


def _figures(user, by, *measures):
    rows = _rows(rollup(user=user, period=FY, by=by, today=TODAY))
    return {label: tuple(getattr(row, m) for m in measures) for label, row in rows.items()}


@pytest.fixture
def computes(monkeypatch):
    """The periods whose arrays were computed (not read from the cache) during a test."""
    calls = []
    real = period_arrays.compute

    def compute(period, today, result):
        calls.append(period)
        return real(period, today, result)

    monkeypatch.setattr(period_arrays, "compute", compute)
    return calls


def _sums_equal_drill_downs(user, by):
    r = rollup(user=user, period=FY, by=by, today=TODAY)
    for row in [*r.rows]:
        for measure in ("won", "pipeline", "forecast"):
            if measure not in r.kept or getattr(row, measure) is None:
                continue
            drill = rollup_drill(
                user=user, period=FY, by=by, key=row.key, measure=measure, today=TODAY
            )
            assert getattr(row, measure) == sum((x.amount for x in drill.lines), M(0)), (
                by,
                row.label,
                measure,
            )


def test_a_reassignment_shows_at_once_without_a_sales_change(territory, computes):
    t = territory
    assert _figures(t.exec, "rep", "won", "pipeline")["Ann Archer"] == (M(450_000), M(800_000))
    version, computed = sales_version(), len(computes)
    # Beta moves from Ann to Ben (same team), Delta from Cat (South) to Ann (North).
    Account.objects.filter(pk=t.beta.pk).update(owner=t.ben)
    Account.objects.filter(pk=t.delta.pk).update(owner=t.ann)
    reps = _figures(t.exec, "rep", "won", "pipeline")
    assert reps["Ann Archer"] == (M(480_000), M(700_000))  # Acme + Delta
    assert reps["Ben Brook"] == (M(300_000), M(1_700_000))  # Cargo + Beta
    assert reps["Cat Cole"] == (M(0), M(0))
    teams = _figures(t.exec, "team", "won", "pipeline")
    assert teams["North"] == (M(780_000), M(2_400_000)) and teams["South"] == (M(0), M(0))
    # Nothing about sales changed: the same arrays, grouped by the new owners.
    assert sales_version() == version and len(computes) == computed
    _sums_equal_drill_downs(t.exec, "rep")
    _sums_equal_drill_downs(t.exec, "team")
    # The manager of North now sees Delta's figures under Ann; South's manager sees none.
    assert _figures(t.m1, "rep", "won")["Ann Archer"] == (M(480_000),)
    assert all(won in (None, M(0)) for (won,) in _figures(t.m2, "rep", "won").values())


def test_a_tier_change_shows_at_once(territory, computes):
    t = territory
    tiers = _figures(t.exec, "tier", "won", "pipeline")
    assert tiers["Tier A"] == (M(650_000), M(2_100_000))
    assert tiers["Tier B"] == (M(50_000), M(200_000))
    computed = len(computes)
    AccountTier.objects.filter(account=t.beta).update(tier="A")
    tiers = _figures(t.exec, "tier", "won", "pipeline")
    assert tiers["Tier A"] == (M(700_000), M(2_300_000))
    assert tiers["Tier B"] == (M(0), M(0))
    AccountTier.objects.filter(account=t.delta).delete()  # Delta loses its tier
    tiers = _figures(t.exec, "tier", "won", "pipeline")
    assert tiers["No tier"] == (M(80_000), M(100_000)) and tiers["Tier C"] == (M(0), M(0))
    assert len(computes) == computed
    _sums_equal_drill_downs(t.exec, "tier")


def test_a_sale_moves_the_version_and_the_figures_follow(territory, computes):
    t = territory
    insight = Product.objects.get(name="Insight")
    _figures(t.exec, "rep", "won")
    version = sales_version()
    # Cents that binary floating point cannot hold: the sums stay exact.
    for amount in ("0.10", "0.20", "1234.56"):
        SaleLineFactory(
            account=t.cargo, product=insight, date=datetime.date(2027, 5, 2), amount=M(amount)
        )
    assert sales_version() != version
    assert _figures(t.exec, "rep", "won")["Ben Brook"] == (M("251234.86"),)
    assert _figures(t.exec, "product_line", "won")["Analytics"] == (M("601234.86"),)
    assert _figures(t.exec, "tier", "won")["Tier A"] == (M("651234.86"),)
    assert FY in computes
    for by in ("rep", "team", "tier", "product_line"):
        _sums_equal_drill_downs(t.exec, by)


def test_a_deal_change_moves_the_version_and_the_pipeline_follows(territory):
    t = territory
    assert _figures(t.exec, "rep", "pipeline")["Ann Archer"] == (M(800_000),)
    deal = Opportunity.objects.get(account=t.acme, amount=M(600_000))
    deal.amount = M(650_000)
    opportunity_save(opportunity=deal)
    OpportunityFactory(
        account=t.beta, product=None, close_date=datetime.date(2027, 12, 1), amount=M(25_000)
    )
    assert _figures(t.exec, "rep", "pipeline")["Ann Archer"] == (M(875_000),)
    lines = _figures(t.exec, "product_line", "pipeline")
    assert lines["Analytics"] == (M(2_150_000),) and lines["No product line"] == (M(25_000),)
    deal.status, deal.stage = "lost", "Closed Lost"
    opportunity_save(opportunity=deal)
    assert _figures(t.exec, "rep", "pipeline")["Ann Archer"] == (M(225_000),)
    _sums_equal_drill_downs(t.exec, "product_line")


def test_someone_who_sees_part_of_the_territory_gets_only_their_accounts_sums(territory):
    t = territory
    # Cat (South) sees only Delta: 80,000 won and 100,000 pipeline in Services.
    lines = _figures(t.cat, "product_line", "won", "pipeline")
    assert lines["Services"] == (M(80_000), M(100_000))
    assert lines.get("Analytics", (M(0), M(0))) == (M(0), M(0))
    assert _figures(t.cat, "tier", "won") == {
        "Tier A": (M(0),),
        "Tier B": (M(0),),
        "Tier C": (M(80_000),),
    }
    # North's manager: Acme, Beta and Cargo — not Delta.
    lines = _figures(t.m1, "product_line", "won", "pipeline")
    assert lines["Services"] == (M(100_000), M(200_000))
    assert lines["Analytics"] == (M(600_000), M(2_100_000))
    r = rollup(user=t.m1, period=FY, by="tier", today=TODAY)
    assert r.total.won == M(700_000) and r.total.pipeline == M(2_300_000)
    for user in (t.cat, t.m1):
        for by in ("rep", "team", "tier", "product_line"):
            _sums_equal_drill_downs(user, by)


@pytest.fixture
def large(settings, monkeypatch):
    """A territory "too large" to compute on a request, and a worker that has not run
    yet: the queued periods are recorded instead."""
    settings.KEYPLAN_ROLLUP_INLINE_ACCOUNTS = 2
    queued = []
    monkeypatch.setattr(
        period_arrays, "queue_period_arrays", lambda period, today: queued.append(period)
    )
    return queued


def test_a_large_territory_never_sums_the_sales_while_someone_waits(territory, large, client):
    t = territory
    sales_tables = (SalesMonth._meta.db_table, Opportunity._meta.db_table)
    with CaptureQueriesContext(connection) as ctx:
        r = rollup(user=t.exec, period=FY, by="team", today=TODAY)
    # Only the account plans' health reads its plans' accounts' sales (a few accounts).
    territory_wide = [
        q["sql"]
        for q in ctx.captured_queries
        if any(n in q["sql"] for n in sales_tables) and '"account_id" IN (' not in q["sql"]
    ]
    assert territory_wide == []
    assert large == [FY]  # the worker was asked
    assert all(row.won is None and row.pipeline is None and row.forecast is None for row in r.rows)
    assert r.pending_note and r.total.won is None
    # No "no open pipeline" alarm for a pipeline not computed yet.
    assert not [f for row in r.rows for f in row.flags(TODAY) if "pipeline" in f or "cov" in f]
    # What the other figures say is still there: quotas are live.
    assert _rows(r)["North"].quota == M(2_000_000)
    # This quarter against the last on the executive's home: not summed here either.
    from keyplan.salesplan.leaders.company import quarter_movement

    with CaptureQueriesContext(connection) as ctx:
        _, _, movement = quarter_movement(user=t.exec, today=TODAY)
    assert not [q for q in ctx.captured_queries if SalesMonth._meta.db_table in q["sql"]]
    won, created, forecast = movement
    assert won.this is None and "being computed" in won.note and created.last == M(7_800_000)
    client.force_login(t.exec)
    page = client.get("/company/?by=team&period=FY2027")
    assert page.status_code == 200
    text = page.content.decode()
    assert "being computed" in text and "reload the page" in text


def test_the_worker_computes_what_the_page_asked_for(territory, settings, computes):
    """With the worker (the test suite's runs tasks at once) the page asks and reads it."""
    t = territory
    settings.KEYPLAN_ROLLUP_INLINE_ACCOUNTS = 2
    r = rollup(user=t.exec, period=FY, by="rep", today=TODAY)
    assert not r.pending_note and _rows(r)["Ann Archer"].won == M(450_000)
    assert computes == [FY]
    # Held: the next request neither computes nor asks again.
    r = rollup(user=t.exec, period=FY, by="tier", today=TODAY)
    assert computes == [FY] and _rows(r)["Tier A"].won == M(650_000)


def test_the_worker_warms_the_leaders_periods_after_a_sales_change(territory, large):
    from keyplan.salesplan.periods import Period
    from keyplan.salesplan.tasks import warm_period_arrays

    t = territory
    warmed = warm_period_arrays(today=TODAY)
    # The planning year is this year in May; this quarter and the last for the home.
    assert warmed == [FY, Period(2027, 2), Period(2027, 1)]
    r = rollup(user=t.exec, period=Period(2027, 2), by="rep", today=TODAY)
    assert large == [] and not r.pending_note
    assert _rows(r)["Ben Brook"].won == M(250_000)  # Cargo's April sale
    from keyplan.salesplan.leaders.company import quarter_movement

    won = quarter_movement(user=t.exec, today=TODAY)[2][0]
    assert (won.this, won.last) == (M(250_000), M(530_000)) and large == []


def test_the_api_says_when_the_figures_are_being_computed(territory, large, api_client):
    api_client.force_authenticate(territory.exec)
    body = api_client.get("/api/v1/rollups/?by=rep&period=FY2027").json()
    assert body["pending_note"] and all(row["won"] is None for row in body["rows"])
    assert all(row["pipeline"] is None for row in body["rows"])


def test_no_more_queries_than_before_for_more_accounts(territory):
    """The figures read one column of the accounts, whatever their number."""
    t = territory
    rollup(user=t.exec, period=FY, by="rep", today=TODAY)
    with CaptureQueriesContext(connection) as ctx:
        rollup(user=t.exec, period=FY, by="rep", today=TODAY)
    before = len(ctx.captured_queries)
    for i in range(20):
        AccountFactory(name=f"Other {i}", owner=t.cat)
    with CaptureQueriesContext(connection) as ctx:
        r = rollup(user=t.exec, period=FY, by="rep", today=TODAY)
    assert len(ctx.captured_queries) == before and set(r.kept) >= {"won", "pipeline"}
    assert set(MEASURES) >= r.kept


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)

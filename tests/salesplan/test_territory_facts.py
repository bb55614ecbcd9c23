"""The territory plan's facts step: the rep's accounts ranked A/B/C with the revenue one
might expect (forecast + white-space expected value), the opportunity by product, the
headline against the quota, and A accounts without an account plan flagged."""

import datetime
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keyplan.catalog.models import ProductLine
from keyplan.plans import services
from keyplan.salesplan.facts import territory_facts
from keyplan.salesplan.models import Quota
from keyplan.territory.analysis.cache import cached
from keyplan.territory.analysis.propensity_report import Prediction
from keyplan.territory.models import AccountTier
from tests.factories import AccountFactory, OpportunityFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


def tier(account, letter):
    AccountTier.objects.create(account=account, tier=letter, score=50, accepted_at=timezone.now())


def learned(cells: list[tuple[int, int, float]]):
    """White-space predictions as the background learns them: (account, product, value)."""
    cells = sorted(cells)
    account_ids = np.array(sorted({a for a, _p, _v in cells}), dtype=np.int64)
    products = sorted({p for _a, p, _v in cells})
    n = len(cells)
    prediction = Prediction(
        by="product",
        horizon=12,
        as_of=datetime.date(2026, 1, 1),
        items=[(p, f"P{p}", "") for p in products],
        industries=[""],
        account_ids=account_ids,
        account=np.array([np.searchsorted(account_ids, a) for a, _p, _v in cells]),
        item=np.array([products.index(p) for _a, p, _v in cells]),
        probability=np.full(n, 0.5),
        value=np.array([v for _a, _p, v in cells], dtype=float),
        peer_rate=np.zeros(n),
        co_item=np.full(n, -1),
        co_rate=np.zeros(n),
        item_rate=np.zeros(n),
        last=np.full(n, -1),
        industry=np.zeros(len(account_ids), dtype=int),
        band=np.zeros(len(account_ids), dtype=int),
        training_cells=100,
        training_bought=10,
    )
    cached("whitespace_predictions", None, {"by": "product", "horizon": 12}, lambda: prediction)


@pytest.fixture
def territory(org):
    """The rep owns Mine Group (A, with a plan for 2026), Alpha (A, no plan), Beta (B) and
    Zed (no tier). Sales: Mine 1,000 a month in 2025 and 2,000 in March 2026; Beta 3,000
    in 2025 and 500 in 2026. White space: Mine six cells of 100-600 (best five: 2,000),
    Alpha 5,000, Zed 1,000, another rep's account 9,999. Open: Alpha 10,000 on product 1
    closing June 2026; Mine 4,000 closing in 2027 (after the year: not counted)."""
    line = ProductLine.objects.create(name="Cloud")
    products = [ProductFactory(product_line=line, name=f"Product {i}") for i in range(1, 9)]
    org.alpha = AccountFactory(name="Alpha", owner=org.rep)
    org.beta = AccountFactory(name="Beta", owner=org.rep)
    org.zed = AccountFactory(name="Zed", owner=org.rep)
    tier(org.mine, "A")
    tier(org.alpha, "A")
    tier(org.beta, "B")
    for month in range(1, 13):
        SaleLineFactory(
            account=org.mine,
            product=products[0],
            date=datetime.date(2025, month, 10),
            amount=Decimal("1000"),
        )
    SaleLineFactory(
        account=org.mine,
        product=products[0],
        date=datetime.date(2026, 3, 3),
        amount=Decimal("2000"),
    )
    SaleLineFactory(
        account=org.beta,
        product=products[0],
        date=datetime.date(2025, 5, 3),
        amount=Decimal("3000"),
    )
    SaleLineFactory(
        account=org.beta, product=products[0], date=datetime.date(2026, 2, 3), amount=Decimal("500")
    )
    OpportunityFactory(
        account=org.alpha,
        product=products[0],
        amount=Decimal("10000"),
        close_date=datetime.date(2026, 6, 30),
    )
    OpportunityFactory(
        account=org.mine, amount=Decimal("4000"), close_date=datetime.date(2027, 3, 1)
    )
    services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        revenue_goal=Decimal("4000"),
    )
    Quota.objects.create(level="rep", rep=org.rep, fiscal_year=2026, amount=Decimal("4000"))
    # Learned last: every change to sales or deals makes a new version of the facts.
    p = [x.pk for x in products]
    learned(
        [(org.mine.pk, p[2 + i], 100.0 * (i + 1)) for i in range(6)]
        + [(org.alpha.pk, p[0], 5000.0), (org.zed.pk, p[1], 1000.0), (org.theirs.pk, p[0], 9999.0)]
    )
    org.products = products
    return org


def test_accounts_ranked_by_tier_with_the_revenue_one_might_expect(territory):
    facts = territory_facts(rep=territory.rep, fiscal_year=2026)
    assert [g.label for g in facts.tiers] == ["Tier A", "Tier B", "Not tiered"]
    a = facts.tiers[0]
    assert [r.name for r in a.rows] == ["Alpha", "Mine Group"]  # 5,000 before 4,000
    alpha, mine = a.rows
    assert (mine.run_rate, mine.forecast, mine.white_space, mine.expected) == (
        Decimal("12000"),
        Decimal("2000"),
        Decimal("2000.00"),  # 200 + 300 + 400 + 500 + 600: the best five cells
        Decimal("4000"),
    )
    assert (alpha.expected, alpha.pipeline, alpha.pipeline_count) == (
        Decimal("5000"),
        Decimal("10000"),
        1,
    )
    assert mine.pipeline == 0  # its deal closes after the year
    assert (a.expected, a.pipeline, a.run_rate, a.working) == (
        Decimal("9000"),
        Decimal("10000"),
        Decimal("12000"),
        "proactive",
    )
    beta = facts.tiers[1].rows[0]
    assert (beta.run_rate, beta.forecast, beta.white_space) == (
        Decimal("3000"),
        Decimal("500"),
        Decimal("0"),
    )
    assert facts.tiers[1].working == "reactive"
    assert facts.tiers[2].rows[0].tier_label == "Not tiered"
    assert facts.expected == Decimal("10500")
    assert facts.accounts == 4
    assert facts.forecast_note.startswith("The forecast is not computed yet")


def test_the_headline_sets_the_opportunity_against_the_quota(territory):
    facts = territory_facts(rep=territory.rep, fiscal_year=2026)
    # 10,500 ÷ 4,000 = 2.625 → 2.6×.
    assert facts.headline == (
        "Opportunity 10.5k against a quota of 4.0k: 2.6× — more than one rep can work; choose."
    )
    Quota.objects.filter(rep=territory.rep).update(amount=Decimal("10000"))
    assert territory_facts(rep=territory.rep, fiscal_year=2026).headline == (
        "Opportunity 10.5k against a quota of 10.0k: 1.1× — enough, if most of it is won; "
        "little room to choose."
    )
    Quota.objects.filter(rep=territory.rep).update(amount=Decimal("20000"))
    assert "less than the quota" in territory_facts(rep=territory.rep, fiscal_year=2026).headline
    Quota.objects.filter(rep=territory.rep).delete()
    assert territory_facts(rep=territory.rep, fiscal_year=2026).headline == (
        "Opportunity 10.5k in the territory (FY 2026); no quota is set for the year to set it "
        "against."
    )


def test_a_accounts_without_an_account_plan_are_flagged(territory):
    facts = territory_facts(rep=territory.rep, fiscal_year=2026)
    assert [f.name for f in facts.a_without_plan] == ["Alpha"]
    # A plan for another year does not count.
    assert [
        f.name for f in territory_facts(rep=territory.rep, fiscal_year=2027).a_without_plan
    ] == [
        "Alpha",
        "Mine Group",
    ]


def test_the_opportunity_by_product_adds_white_space_and_pipeline(territory):
    facts = territory_facts(rep=territory.rep, fiscal_year=2026)
    rows = [(r.name, r.white_space, r.pipeline, r.total) for r in facts.products]
    assert rows[:3] == [
        ("Product 1", Decimal("5000.00"), Decimal("10000"), Decimal("15000.00")),
        ("Product 2", Decimal("1000.00"), Decimal("0"), Decimal("1000.00")),
        ("Product 8", Decimal("600.00"), Decimal("0"), Decimal("600.00")),
    ]
    # Product 3's cell (100) is not among Mine Group's best five: not counted.
    assert "Product 3" not in [r.name for r in facts.products]
    assert len(rows) == 7


def test_without_white_space_predictions_it_says_so(org):
    facts = territory_facts(rep=org.rep, fiscal_year=2026)
    assert facts.white_space_note.startswith("The white-space expected values are not learned")
    assert facts.tiers[0].rows[0].white_space is None


def test_rows_are_bounded_and_queries_fixed(territory, monkeypatch):
    from keyplan.salesplan import facts as facts_module

    monkeypatch.setattr(facts_module, "ROWS_PER_TIER", 2)
    with CaptureQueriesContext(connection) as before:
        territory_facts(rep=territory.rep, fiscal_year=2026)
    for i in range(4):
        b = AccountFactory(name=f"Beta {i}", owner=territory.rep)
        tier(b, "B")
    with CaptureQueriesContext(connection) as after:
        facts = territory_facts(rep=territory.rep, fiscal_year=2026)
    assert len(after.captured_queries) == len(before.captured_queries)
    b = facts.tiers[1]
    assert (b.accounts, len(b.rows), b.not_shown) == (5, 2, 3)


def test_the_facts_read_to_the_unit_beside_the_quota(client, territory):
    """Computed figures (run rate, forecast, what one might expect) are shown to the unit,
    as the quota and goals are: "4,235 USD", not "4,234.56 USD" beside "4,000 USD"."""
    from keyplan.salesplan.territory import services as territory_services

    SaleLineFactory(
        account=territory.beta,
        product=territory.products[0],
        date=datetime.date(2025, 9, 9),
        amount=Decimal("1234.56"),
    )
    p = [x.pk for x in territory.products]
    learned([(territory.mine.pk, p[2], 100.0), (territory.alpha.pk, p[0], 5000.0)])
    plan = territory_services.territory_plan_create(
        user=territory.rep, rep=territory.rep, fiscal_year=2026
    )
    client.force_login(territory.rep)
    page = client.get(f"/territory-plans/{plan.pk}/").content.decode()
    facts = " ".join(page[page.index('id="facts"') :].split())
    assert "4,235 USD" in facts  # Beta: 3,000 + 1,234.56 over the twelve months
    assert "4,234.56" not in facts and ".56 USD" not in facts
    assert "4,000 USD" in facts  # the quota, as entered


def test_the_page_says_its_white_space_is_each_accounts_best_five_cells(client, territory):
    """Mine Group has six white-space cells of 100 to 600 (2,100 together; the white-space
    page and the account page show that sum); the facts count its best five, 2,000, and
    say so, so the two figures for one account do not read as a contradiction."""
    from keyplan.salesplan.territory import services as territory_services

    plan = territory_services.territory_plan_create(
        user=territory.rep, rep=territory.rep, fiscal_year=2026
    )
    client.force_login(territory.rep)
    page = client.get(f"/territory-plans/{plan.pk}/").content.decode()
    facts = " ".join(page[page.index('id="facts"') :].split())
    assert "2,000 USD" in facts
    assert "white space (expected value of each account's best 5 cells)" in facts
    assert '<th class="num">White space (best 5)</th>' in facts

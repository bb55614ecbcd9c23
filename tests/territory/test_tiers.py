"""ICP scores and A/B/C tiers on a hand-computed territory; proposals and decisions."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from keyplan.territory.analysis.params import ParameterError, Window
from keyplan.territory.analysis.tiers import (
    TierScore,
    _assign_tiers,
    score_accounts,
    validate_criterion,
)
from keyplan.territory.models import AccountTier, IcpVersion, TierProposal
from keyplan.territory.services import icp_save, proposals_decide, tiers_recompute
from tests.factories import (
    AccountFactory,
    OpportunityFactory,
    ProductFactory,
    ProductLineFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db

WINDOW = Window(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
CRITERIA = [
    {"kind": "industry_in", "values": ["Energy"], "weight": 40},
    {"kind": "employees_between", "values": [1000, None], "weight": 30},
    {"kind": "owns_line", "values": ["Analytics"], "weight": 20},
    {"kind": "open_opportunity", "values": [], "weight": 10},
]


@pytest.fixture
def territory(org):
    analytics = ProductFactory(product_line=ProductLineFactory(name="Analytics"))
    full = AccountFactory(name="Full", industry="Energy", employees=5000)
    SaleLineFactory(account=full, product=analytics, date=datetime.date(2025, 3, 1))
    OpportunityFactory(account=full)
    energy_small = AccountFactory(name="Energy small", industry="Energy", employees=50)
    big_retail = AccountFactory(name="Big retail", industry="Retail", employees=9000)
    SaleLineFactory(
        account=big_retail, product=analytics, date=datetime.date(2024, 3, 1), amount=Decimal(5)
    )  # outside the window: does not count
    nothing = AccountFactory(name="Nothing", industry="Retail", employees=None)
    version = icp_save(user=org.ops, criteria=CRITERIA)
    return {
        "full": full,
        "energy_small": energy_small,
        "big_retail": big_retail,
        "nothing": nothing,
        "version": version,
    }


def scores_by_name(user, version):
    return {s.name: s for s in score_accounts(user=user, version=version, window=WINDOW)}


def test_scores_tiers_and_reasons(territory):
    scores = scores_by_name(None, territory["version"])
    assert scores["Full"].score == 100 and scores["Full"].tier == "A"
    assert scores["Energy small"].score == 40 and scores["Energy small"].tier == "B"
    assert scores["Big retail"].score == 30 and scores["Big retail"].tier == "C"
    assert scores["Nothing"].score == 0 and scores["Nothing"].tier == "C"
    assert scores["Big retail"].met == ["Employees at least 1,000"]
    assert "Bought from product line (in the window) Analytics" in scores["Big retail"].missed


def test_quantiles(territory, org):
    version = icp_save(user=org.ops, criteria=CRITERIA, method="quantiles", a_share=25, b_share=25)
    scores = scores_by_name(None, version)
    # Eight accounts (four from the org fixture score 30): 2 in A, 2 in B, 4 in C; ties
    # on score are broken by name.
    tiers = {name: s.tier for name, s in scores.items()}
    assert tiers["Full"] == tiers["Energy small"] == "A"
    assert sorted(n for n, t in tiers.items() if t == "B") == ["Big retail", "Mine Division"]
    assert tiers["Nothing"] == "C"


def test_bad_profiles_are_refused(org):
    with pytest.raises(ParameterError, match="weight"):
        icp_save(user=org.ops, criteria=[{"kind": "industry_in", "values": ["X"], "weight": 0}])
    with pytest.raises(ParameterError, match="lower bound"):
        icp_save(
            user=org.ops, criteria=[{"kind": "employees_between", "values": [10, 5], "weight": 5}]
        )
    with pytest.raises(ParameterError, match="at least one bound"):
        icp_save(
            user=org.ops,
            criteria=[{"kind": "revenue_between", "values": [None, None], "weight": 5}],
        )
    with pytest.raises(ParameterError, match="B cannot be above"):
        icp_save(user=org.ops, criteria=[], a_threshold=30, b_threshold=50)
    assert IcpVersion.objects.count() == 0


def test_recompute_proposes_changes_and_acceptance_makes_them_the_tier(territory, org):
    run = tiers_recompute(user=org.ops, window=WINDOW)
    proposals = {p.account.name: p for p in run.proposals.select_related("account")}
    assert proposals["Full"].old_tier == "" and proposals["Full"].new_tier == "A"
    assert proposals["Full"].reasons["missed"] == []
    proposals_decide(
        user=org.ops, proposals=run.proposals.filter(account__name="Full"), accept=True
    )
    tier = AccountTier.objects.get(account=territory["full"])
    assert tier.tier == "A" and tier.accepted_by == org.ops
    proposals_decide(user=org.ops, proposals=run.proposals.all(), accept=False)
    assert not AccountTier.objects.filter(account=territory["nothing"]).exists()
    # Nothing changed since: a new run proposes only what differs from accepted tiers.
    again = tiers_recompute(user=org.ops, window=WINDOW)
    assert "Full" not in {p.account.name for p in again.proposals.select_related("account")}


def test_icp_page_is_for_sales_ops_and_keeps_history(client, org):
    client.force_login(org.rep)
    assert client.get("/territory/icp/").status_code == 403
    client.force_login(org.ops)
    client.post(
        "/territory/icp/",
        {"action": "add", "kind": "industry_in", "values": "Energy, Retail", "weight": 30},
    )
    client.post(
        "/territory/icp/",
        {"action": "add", "kind": "employees_between", "values": "1000-", "weight": 20},
    )
    bad = client.post(
        "/territory/icp/",
        {"action": "add", "kind": "employees_between", "values": "lots", "weight": 20},
    )
    assert "Give a range" in bad.content.decode()
    client.post("/territory/icp/", {"action": "remove", "index": 0})
    versions = list(IcpVersion.objects.order_by("number"))
    assert [len(v.criteria) for v in versions] == [1, 2, 1]
    assert versions[-1].criteria[0]["kind"] == "employees_between"
    assert "Removed" in versions[-1].note
    page = client.get("/territory/icp/").content.decode()
    assert "v3" in page and "v1" in page


def test_tiers_page_decisions_by_sales_ops_only(client, territory, org):
    client.force_login(org.rep)
    assert client.post("/territory/tiers/", {"action": "recompute"}).status_code == 403
    client.force_login(org.ops)
    client.post("/territory/tiers/", {"action": "recompute"})
    assert TierProposal.objects.filter(status="pending").count() == 8  # with the org's 4
    client.post("/territory/tiers/", {"action": "accept", "all": "1"})
    assert AccountTier.objects.count() == 8
    page = client.get(f"/accounts/{territory['full'].pk}/").content.decode()
    assert "<strong>A</strong>" in page and "ICP score 100" in page


def test_api_and_command(api_client, territory, org):
    api_client.force_authenticate(org.executive)
    data = api_client.get("/api/v1/analyses/tiers/?from=2025-01&to=2025-12").json()
    by_name = {r["name"]: r for r in data["results"]}
    assert by_name["Energy small"]["tier"] == "B" and data["version"] == territory["version"].number
    out = StringIO()
    call_command("analyze", "tiers", "--from", "2025-01", "--to", "2025-12", "--json", stdout=out)
    assert json.loads(out.getvalue())["counts"] == {"A": 1, "B": 1, "C": 6}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=50),
    st.sampled_from(["thresholds", "quantiles"]),
)
def test_every_account_is_in_exactly_one_tier(scores, method):
    version = IcpVersion(
        number=1, method=method, a_threshold=70, b_threshold=40, a_share=20, b_share=30
    )
    items = [TierScore(i, f"a{i}", "", s, "") for i, s in enumerate(scores)]
    _assign_tiers(items, version)
    assert all(s.tier in ("A", "B", "C") for s in items)
    if method == "thresholds":
        assert all((s.tier == "A") == (s.score >= 70) for s in items)
    else:
        a_scores = [s.score for s in items if s.tier == "A"]
        c_scores = [s.score for s in items if s.tier == "C"]
        if a_scores and c_scores:
            assert min(a_scores) >= max(c_scores)


def test_owns_line_reads_the_kept_year_and_any_other_window_alike(territory, org):
    """The default window is read from the kept year's rows, any other from the monthly
    roll-up: "buys the line" must mean the same (net sales above zero) in both."""
    from keyplan.territory.analysis.facts import kept_window

    refunded = AccountFactory(name="Refunded", industry="Retail", employees=10)
    analytics = territory["full"].sale_lines.first().product
    for amount in (Decimal(70), Decimal(-70)):  # bought and fully credited: owns nothing
        SaleLineFactory(
            account=refunded, product=analytics, date=datetime.date(2025, 2, 1), amount=amount
        )
    kept = kept_window()
    assert kept == Window(datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    same_months = Window(datetime.date(2024, 4, 1), datetime.date(2025, 3, 30))  # not kept
    label = "Bought from product line (in the window) Analytics"
    for window in (kept, same_months):
        scores = score_accounts(user=None, version=territory["version"], window=window)
        buyers = {s.name for s in scores if label in s.met}
        assert buyers == {"Full"}, window  # Big retail's sale was in 2024-03: outside


def test_territory_page_counts_only_the_tiers_each_person_may_see(client, territory, org):
    """The tier distribution on the territory page: everyone's for the executive, only
    their own accounts' for a rep."""
    client.force_login(org.ops)
    client.post("/territory/tiers/", {"action": "recompute"})
    client.post("/territory/tiers/", {"action": "accept", "all": "1"})
    assert AccountTier.objects.count() == 8
    client.force_login(org.executive)
    assert sum(n for _t, n in client.get("/territory/").context["tiers"]) == 8
    client.force_login(org.rep)
    page = client.get("/territory/")
    assert sum(n for _t, n in page.context["tiers"]) == 2  # Mine Group and Mine Division
    assert page.context["untiered"] == 0


def _database_meets(criterion) -> set[int]:
    """The accounts the database's own filter finds for an attribute criterion — how
    every criterion was decided before attribute criteria were checked on the rows."""
    from keyplan.accounts.models import Account

    column, values = criterion["kind"].rsplit("_", 1)[0], criterion["values"]
    if criterion["kind"] != "employees_between":
        return set(Account.objects.filter(**{f"{column}__in": values}).values_list("pk", flat=True))
    low, high = values
    found = Account.objects.all()
    found = found.filter(employees__gte=low) if low is not None else found
    found = found.filter(employees__lte=high) if high is not None else found
    return set(found.values_list("pk", flat=True))


BOUND = st.one_of(st.none(), st.sampled_from([0, 1, 99, 100, 2000, 2_147_483_647]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Energy", "energy", "Retail", ""]),
            st.sampled_from(["DE", "FR", ""]),
            st.one_of(st.none(), st.sampled_from([0, 1, 99, 100, 2000, 3000])),
        ),
        min_size=1,
        max_size=8,
    ),
    st.one_of(
        st.sampled_from(
            [
                {"kind": "industry_in", "values": ["Energy", "Retail"], "weight": 1},
                {"kind": "country_in", "values": ["FR"], "weight": 1},
                {"kind": "region_in", "values": ["EMEA"], "weight": 1},
                # Saved before bounds had to be whole counts: still the database's meaning.
                {"kind": "employees_between", "values": [-1, None], "weight": 1},
                {"kind": "employees_between", "values": [None, -0.5], "weight": 1},
                {"kind": "employees_between", "values": [None, 999.5], "weight": 1},
                {"kind": "employees_between", "values": [None, 10**19], "weight": 1},
            ]
        ),
        st.tuples(BOUND, BOUND)
        .filter(lambda b: b != (None, None) and (None in b or b[0] <= b[1]))
        .map(lambda b: {"kind": "employees_between", "values": list(b), "weight": 1}),
    ),
)
def test_criteria_on_an_account_s_own_columns_mean_what_the_database_filter_means(
    accounts, criterion
):
    """Industry, country, region and employee counts are checked on the accounts as read
    (not a query each): an account meets one exactly when the database's filter finds
    it — case, empty values, missing employee counts and the ends of the range included;
    an employee range saved before bounds had to be whole counts keeps its meaning."""
    from keyplan.accounts.models import Account

    Account.objects.all().delete()
    for i, (industry, country, employees) in enumerate(accounts):
        region = "EMEA" if country else ""
        AccountFactory(
            name=f"A{i}", industry=industry, country=country, region=region, employees=employees
        )
    version = IcpVersion(number=1, criteria=[criterion])
    met = {s.account_id for s in score_accounts(user=None, version=version, window=WINDOW) if s.met}
    assert met == _database_meets(criterion)


@pytest.mark.parametrize("bounds", [[-1, None], [None, 99.5], [None, 10**10], [True, None]])
def test_an_employee_range_is_made_of_whole_counts(bounds):
    with pytest.raises(ParameterError, match="whole number from 0"):
        validate_criterion({"kind": "employees_between", "values": bounds, "weight": 5})
    assert validate_criterion(
        {"kind": "employees_between", "values": [0, 2_147_483_647], "weight": 5}
    )["values"] == [0, 2_147_483_647]

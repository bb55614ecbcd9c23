"""Pareto on small hand-computed territories."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from keyplan.territory.analysis.params import ParameterError, Scope, Window
from keyplan.territory.analysis.pareto import _rank, pareto
from tests.factories import AccountFactory, ProductFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db

WINDOW = Window(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def sell(account, amount, day=datetime.date(2025, 6, 15), product=None):
    SaleLineFactory(
        account=account, amount=Decimal(amount), date=day, product=product or ProductFactory()
    )


def by_name(result):
    return {r.name: r for r in result.rows}


def test_ranking_shares_core_and_concentration():
    a, b, c, d, e = (AccountFactory(name=n) for n in "ABCDE")
    for account, amount in ((a, 500), (b, 300), (c, 100), (d, 100)):
        sell(account, amount)
    sell(a, 999, day=datetime.date(2024, 12, 31))  # outside the window
    result = pareto(user=None, window=WINDOW)
    assert [r.name for r in result.rows] == ["A", "B", "C", "D", "E"]
    assert result.total_revenue == Decimal(1000) and result.accounts == 5
    assert [r.cumulative_share for r in result.rows] == [0.5, 0.8, 0.9, 1.0, 1.0]
    # The fewest top accounts that reach 80%: A and B.
    assert result.core_count == 2 and [r.in_core for r in result.rows] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert result.top20_share == 0.5  # the top 1 of 5 accounts
    assert result.accounts_for == {50: 1, 80: 2, 90: 3}
    assert by_name(result)["E"].revenue == 0  # no sales: ranked last, not left out
    # The ranking is built on reading; it reads like a list.
    rows = result.rows
    assert len(rows) == 5 and rows[-1].name == "E" and rows[-5].rank == 1
    assert [r.rank for r in rows[1:3]] == [2, 3] and rows[3:99][0].name == "D"
    with pytest.raises(IndexError):
        rows[5]
    with pytest.raises(IndexError):
        rows[-6]


def test_ties_at_the_threshold_are_broken_by_name_and_reported():
    for name, amount in (("Zed", 40), ("Alpha", 30), ("Beta", 30)):
        sell(AccountFactory(name=name), amount)
    result = pareto(user=None, window=WINDOW, threshold=0.6)
    # Zed (40%) then one of the two 30% accounts reaches 60%: Alpha wins the tie by name.
    assert [r.name for r in result.rows if r.in_core] == ["Zed", "Alpha"]
    assert result.tied_at_threshold is True
    assert result.core_count == 2


def test_hierarchies_roll_up_to_legal_entities():
    group = AccountFactory(name="Group")
    unit = AccountFactory(name="Unit", parent=group)
    division = AccountFactory(name="Division", parent=unit)
    lone = AccountFactory(name="Lone")
    sell(group, 100)
    sell(unit, 200)
    sell(division, 300)
    sell(lone, 400)
    accounts = by_name(pareto(user=None, window=WINDOW, level="account"))
    assert accounts["Lone"].rank == 1 and accounts["Division"].revenue == 300
    entities = pareto(user=None, window=WINDOW, level="entity")
    assert [(r.name, r.revenue) for r in entities.rows] == [("Group", 600), ("Lone", 400)]


def test_no_sales_at_all():
    AccountFactory()
    result = pareto(user=None, window=WINDOW)
    assert result.total_revenue == 0 and result.core_count == 0
    assert result.rows[0].cumulative_share == 0.0


def test_scope_and_visibility(org):
    sell(org.mine, 100)
    sell(org.theirs, 900)
    seen = pareto(user=org.rep, window=WINDOW)
    assert {r.name for r in seen.rows} == {"Mine Group", "Mine Division"}
    assert seen.total_revenue == 100
    by_rep = pareto(user=org.executive, window=WINDOW, scope=Scope.parse("rep:other"))
    assert [r.name for r in by_rep.rows] == ["Theirs Inc"]
    with pytest.raises(ParameterError):
        Scope.parse("galaxy:far")


def test_default_window_is_the_twelve_months_to_the_latest_sale():
    sell(AccountFactory(), 1, day=datetime.date(2026, 3, 9))
    window = Window.default()
    assert (window.start, window.end) == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=40),
    st.floats(min_value=0.05, max_value=1.0),
)
def test_properties_of_any_ranking(amounts, threshold):
    names = {i: (f"acc{i}", "") for i in range(len(amounts))}
    revenue = dict(enumerate(amounts))  # cents
    result = _rank(WINDOW, Scope(), "account", threshold, names, revenue)
    cumulative = [r.cumulative_share for r in result.rows]
    assert all(x <= y + 1e-12 for x, y in zip(cumulative, cumulative[1:], strict=False))
    assert [r.rank for r in result.rows] == list(range(1, len(amounts) + 1))
    if sum(amounts):
        assert abs(cumulative[-1] - 1) < 1e-9
        core = [r for r in result.rows if r.in_core]
        assert core == result.rows[: result.core_count]
        assert core[-1].cumulative_share >= threshold - 1e-9
        if len(core) > 1:
            assert result.rows[len(core) - 2].cumulative_share < threshold


def test_command_json_lists_every_account():
    user = UserFactory(username="owner")
    sell(AccountFactory(name="Big", owner=user, external_id="B1"), 900)
    sell(AccountFactory(name="Small", external_id="S1"), 100)
    out = StringIO()
    call_command("analyze", "pareto", "--from", "2025-01", "--to", "2025-12", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["core_count"] == 1 and data["window"] == {"from": "2025-01-01", "to": "2025-12-31"}
    assert data["accounts_list"][0] == {
        "rank": 1,
        "name": "Big",
        "external_id": "B1",
        "revenue": "900.00",
        "share": 0.9,
        "cumulative_share": 0.9,
        "in_core": True,
    }


def test_api_and_page(client, org, api_client):
    sell(org.mine, 100)
    sell(org.theirs, 900)
    api_client.force_authenticate(org.rep)
    data = api_client.get("/api/v1/analyses/pareto/?from=2025-01&to=2025-12").json()
    assert [r["name"] for r in data["results"]][0] == "Mine Group"
    assert data["summary"]["total_revenue"] == "100.00"
    assert api_client.get("/api/v1/analyses/pareto/?from=nonsense").status_code == 400
    client.force_login(org.rep)
    page = client.get(
        "/territory/?start=2025-01&end=2025-12&level=account&threshold=80&scope=territory"
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mine Group" in body and "Theirs Inc" not in body
    assert page.context["result"].core_count == 1

"""The Pareto page says what the shares are of and offers both bases: every account in
scope (those without revenue ranked last) or only the accounts with revenue in the
window. Figures computed by hand: ten accounts, five with revenue (500, 200, 150, 100,
50 = 1,000), five with none."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.territory.analysis.params import ParameterError
from keyplan.territory.analysis.pareto import pareto
from tests.factories import AccountFactory
from tests.territory.test_pareto import WINDOW, sell

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory():
    for name, amount in (("A", 500), ("B", 200), ("C", 150), ("D", 100), ("E", 50)):
        sell(AccountFactory(name=name), amount)
    for name in "FGHIJ":
        AccountFactory(name=name)


def test_shares_under_both_bases(territory):
    every = pareto(user=None, window=WINDOW)
    assert every.basis == "all" and every.accounts == 10 and every.without_revenue == 5
    assert every.top20_share == 0.7  # the top 2 of 10: (500 + 200) / 1,000
    assert every.core_count == 3  # 50%, 70%, 85%: A, B and C reach 80%
    assert [r.name for r in every.rows][-5:] == list("FGHIJ")

    earning = pareto(user=None, window=WINDOW, basis="with_revenue")
    assert earning.accounts == 5 and earning.without_revenue == 5
    assert earning.top20_share == 0.5  # the top 1 of 5: 500 / 1,000
    assert earning.core_count == 3
    assert [r.name for r in earning.rows] == list("ABCDE")
    # Each account's share of revenue is the same under both bases.
    assert [(r.name, r.share, r.cumulative_share) for r in earning.rows] == [
        ("A", 0.5, 0.5),
        ("B", 0.2, 0.7),
        ("C", 0.15, 0.85),
        ("D", 0.1, 0.95),
        ("E", 0.05, 1.0),
    ]
    with pytest.raises(ParameterError, match="Basis “paying” is not one of"):
        pareto(user=None, window=WINDOW, basis="paying")


def test_page_says_what_the_shares_are_of_and_offers_the_other_basis(territory, client, org):
    client.force_login(org.ops)
    url = "/territory/?start=2025-01&end=2025-12&level=account&threshold=80&scope=territory"
    body = client.get(url).content.decode()
    assert (
        "Accounts counted: all 14 in scope, 9 of them without revenue in the window "
        "(ranked last)." in body
    )  # the org fixture's four accounts have no sales
    assert "Count only accounts with revenue in the window" in body
    assert 'name="basis"' in body  # the choice is in the form too

    body = client.get(url + "&basis=with_revenue").content.decode()
    assert (
        "Accounts counted: the 5 with revenue in the window (9 in scope without revenue "
        "left out)." in body
    )
    assert "Count all accounts in scope" in body
    assert ">50.0%<" in body  # the top 20% (one of five accounts) make half the revenue


def test_command_and_api_take_the_basis(territory, org, api_client):
    out = StringIO()
    call_command(
        "analyze", "pareto", "--from", "2025-01", "--to", "2025-12", "--basis", "with_revenue",
        "--json", stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["accounts"] == 5 and data["basis"] == "with_revenue"
    assert data["top20_share"] == 0.5
    out = StringIO()
    call_command("analyze", "pareto", "--from", "2025-01", "--to", "2025-12", stdout=out)
    assert "Accounts counted: all 14 in scope, 9 of them without revenue in the window." in (
        out.getvalue()
    )
    api_client.force_authenticate(org.ops)
    data = api_client.get(
        "/api/v1/analyses/pareto/?from=2025-01&to=2025-12&basis=with_revenue"
    ).json()
    assert data["count"] == 5 and data["summary"]["top20_share"] == 0.5
    assert api_client.get("/api/v1/analyses/pareto/?basis=x").status_code == 400

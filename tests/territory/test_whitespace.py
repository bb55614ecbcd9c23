"""Product white space on a hand-computed territory."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyplan.territory.analysis.params import Window
from keyplan.territory.analysis.whitespace import MIN_PEERS, whitespace
from tests.factories import (
    AccountFactory,
    OpportunityFactory,
    ProductFactory,
    ProductLineFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db

WINDOW = Window(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
DAY = datetime.date(2025, 6, 1)


@pytest.fixture
def catalogue():
    line = ProductLineFactory(name="Analytics")
    return {
        "dash": ProductFactory(name="Dash", product_line=line),
        "cast": ProductFactory(name="Cast", product_line=line),
        "rare": ProductFactory(name="Rare", product_line=ProductLineFactory(name="Niche")),
        "gone": ProductFactory(name="Gone", product_line=line, is_active=False),
    }


def cells(result):
    names = {i: n for i, n, _l in result.items}
    return {
        (row.name, names[c.item_id]): (c.state, c.value) for row in result.rows() for c in row.cells
    }


def test_states_and_expected_values(catalogue):
    # Five energy peers of one size band: 2 own Dash (3,000 and 1,000 a year).
    peers = [AccountFactory(name=f"P{i}", industry="Energy", employees=500) for i in range(5)]
    SaleLineFactory(account=peers[0], product=catalogue["dash"], date=DAY, amount=3000)
    SaleLineFactory(account=peers[1], product=catalogue["dash"], date=DAY, amount=1000)
    OpportunityFactory(
        account=peers[2], product=catalogue["cast"], amount=Decimal(700), stage="Proposal"
    )
    result = whitespace(user=None, window=WINDOW)
    c = cells(result)
    assert c[("P0", "Dash")] == ("owned", Decimal("3000.00"))
    assert c[("P2", "Cast")] == ("pipeline", Decimal("700.00"))
    # Propensity 2/5 × median annual spend of owners in the band (2,000) = 800.
    assert c[("P3", "Dash")] == ("white_space", Decimal("800.00"))
    # A product nobody owns is white space worth nothing.
    assert c[("P3", "Rare")] == ("white_space", Decimal("0.00"))
    # Inactive products are left out.
    assert all(name != "Gone" for _i, name, _l in result.items)
    rows = result.rows()
    assert rows[0].white_space >= rows[-1].white_space


def test_small_peer_groups_fall_back_to_all_accounts(catalogue):
    assert MIN_PEERS == 5
    owner = AccountFactory(name="Owner", industry="Retail", employees=500)
    SaleLineFactory(account=owner, product=catalogue["dash"], date=DAY, amount=1200)
    AccountFactory(name="Loner", industry="Mining", employees=500)
    AccountFactory(name="Third", industry="Retail", employees=500)
    AccountFactory(name="Fourth", industry="Retail", employees=500)
    c = cells(whitespace(user=None, window=WINDOW))
    # Mining has 1 account (< 5 peers): propensity = 1 owner / 4 accounts; spend 1,200.
    assert c[("Loner", "Dash")] == ("white_space", Decimal("300.00"))


def test_by_product_line(catalogue):
    a = AccountFactory(name="A", employees=500)
    SaleLineFactory(account=a, product=catalogue["cast"], date=DAY, amount=10)
    c = cells(whitespace(user=None, window=WINDOW, by="line"))
    assert c[("A", "Analytics")][0] == "owned" and c[("A", "Niche")][0] == "white_space"


def test_visibility_limits_rows_not_peers(org, catalogue):
    SaleLineFactory(account=org.theirs, product=catalogue["dash"], date=DAY, amount=500)
    result = whitespace(user=org.rep, window=WINDOW)
    assert {row.name for row in result.rows()} == {"Mine Group", "Mine Division"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.booleans()), max_size=12))
def test_every_cell_is_owned_pipeline_or_white_space(catalogue, facts):
    from keyplan.accounts.models import Account
    from keyplan.sales.models import Opportunity, SaleLine

    SaleLine.objects.all().delete()
    Opportunity.objects.all().delete()
    Account.objects.filter(name__startswith="H").delete()
    accounts = [AccountFactory(name=f"H{i}", employees=100 * (i + 1)) for i in range(4)]
    products = [catalogue["dash"], catalogue["cast"], catalogue["rare"]]
    for a, p, sold in facts:
        if sold:
            SaleLineFactory(account=accounts[a], product=products[p], date=DAY, amount=10)
        else:
            OpportunityFactory(account=accounts[a], product=products[p])
    result = whitespace(user=None, window=WINDOW)
    rows = result.rows()
    assert sum(result.counts.values()) == len(rows) * len(result.items)
    assert all(len(row.cells) == len(result.items) for row in rows)
    assert all(c.value >= 0 for row in rows for c in row.cells)
    states = [c.state for row in rows for c in row.cells]
    assert result.counts == {s: states.count(s) for s in ("owned", "pipeline", "white_space")}
    assert result.total_white_space == sum(row.white_space for row in rows)
    # The ranking's amounts (summed over the territory's columns at once) are each row's.
    assert [amount for _pk, amount in result.ranking] == [row.white_space for row in rows]


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.one_of(st.integers(1, 10**6), st.integers(1, 2**60))),
        max_size=60,
    )
)
def test_medians_per_key_are_those_of_the_statistics_module(pairs):
    """White space's typical spend: the median of owners' cents per band and item, taken
    over arrays — the same as ``statistics.median``, also for amounts too large to sort
    in one combined key."""
    import statistics

    import numpy as np

    from keyplan.territory.analysis.whitespace import _medians

    keys = np.array([k for k, _c in pairs], dtype=np.int64)
    cents = np.array([c for _k, c in pairs], dtype=np.int64)
    expected = {key: statistics.median([c for k, c in pairs if k == key]) for key, _c in pairs}
    assert _medians(keys, cents) == expected


def test_command_json_lists_every_cell(catalogue):
    AccountFactory(name="Solo", external_id="S1", employees=50)
    out = StringIO()
    call_command(
        "analyze", "whitespace", "--from", "2025-01", "--to", "2025-12", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert len(data["cells"]) == 3  # one account × three active products
    # Every cell is white space here: with its probability of being bought and why.
    assert set(data["cells"][0]) == {
        "account",
        "external_id",
        "product",
        "state",
        "value",
        "probability",
        "why",
    }


def test_page_api_and_export(client, api_client, org, catalogue):
    SaleLineFactory(account=org.mine, product=catalogue["dash"], date=DAY, amount=100)
    client.force_login(org.rep)
    page = client.get("/territory/whitespace/?start=2025-01&end=2025-12")
    assert page.status_code == 200
    assert f'<a href="/accounts/{org.mine.pk}/">Mine Group</a>' in page.content.decode()
    assert "Theirs Inc" not in page.content.decode()
    export = client.get("/territory/whitespace/export/?start=2025-01&end=2025-12")
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[0].startswith("account,external_id,product")
    assert len(lines) == 1 + 2 * 3 and "Theirs" not in "".join(lines)
    # One month of sales: no model is learned, and the file says what the values are then.
    assert (
        lines[0]
        == "account,external_id,product,product_line,state,value,probability,value_is,stage"
    )
    white = [line for line in lines if ",white_space," in line]
    assert white and all("(no model yet)" in line for line in white)
    assert "White space</th>" in page.content.decode()  # the peer-share figure, labelled
    assert "most white space first" in page.content.decode()
    xlsx = client.get("/territory/whitespace/export/?start=2025-01&end=2025-12&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    api_client.force_authenticate(org.rep)
    data = api_client.get("/api/v1/analyses/whitespace/?from=2025-01&to=2025-12").json()
    assert data["count"] == 2 and len(data["items"]) == 3


def test_an_account_row_alone_matches_the_matrix_and_shows_on_its_page(client, org, catalogue):
    """An account page draws its own row from the cached peer values and two small
    queries; it must say exactly what the territory's matrix says, without anyone having
    opened the white-space page first."""
    from keyplan.territory.analysis.whitespace import account_row, peer_values
    from tests.conftest import login

    peers = [AccountFactory(name=f"P{i}", industry="Energy", employees=500) for i in range(5)]
    SaleLineFactory(account=peers[0], product=catalogue["dash"], date=DAY, amount=3000)
    SaleLineFactory(account=peers[1], product=catalogue["dash"], date=DAY, amount=1000)
    OpportunityFactory(
        account=peers[2], product=catalogue["cast"], amount=Decimal(700), stage="Proposal"
    )
    window = Window.default()
    items, values = peer_values(window=window)
    matrix = {row.account_id: row for row in whitespace(user=None, window=window).rows()}
    for account in peers:
        alone = account_row(account, window=window, items=items, values=values)
        expected = matrix[account.pk]
        assert alone.white_space == expected.white_space
        assert [(c.item_id, c.state, c.value, c.stage) for c in alone.cells] == [
            (c.item_id, c.state, c.value, c.stage) for c in expected.cells
        ]
    page = login(client, org.executive).get(peers[3].get_absolute_url()).content.decode()
    assert "White space" in page and 'title="White space">800<' in page


def test_a_territory_without_active_products_has_no_white_space(client, org):
    """Nothing to sell yet: no cells, no error — on the matrix and on an account page."""
    from tests.conftest import login

    old = ProductFactory(name="Old", is_active=False)
    SaleLineFactory(account=org.mine, product=old, date=DAY, amount=100)
    result = whitespace(user=None, window=Window.default())
    assert result.items == [] and result.counts == {"owned": 0, "pipeline": 0, "white_space": 0}
    assert login(client, org.rep).get(org.mine.get_absolute_url()).status_code == 200


def test_peer_groups_band_employees_the_same_in_the_database_as_in_python():
    """Size bands are computed by the database for whole territories and in Python for
    one account: both must put every head count in the same band."""
    from keyplan.accounts.models import Account
    from keyplan.territory.analysis.bands import size_band, size_band_sql

    counts = [None, 0, 1, 99, 100, 999, 1000, 9999, 10000, 250000]
    for employees in counts:
        AccountFactory(name=f"Headcount {employees}", employees=employees)
    in_database = dict(
        Account.objects.annotate(band=size_band_sql()).values_list("employees", "band")
    )
    assert in_database == {n: size_band(n) for n in counts}
    assert in_database[99] == "1–99" and in_database[100] == "100–999"
    assert in_database[10000] == "10,000+" and in_database[None] == "unknown"


def test_ids_far_apart_cost_no_more_than_ids_close_together(catalogue):
    """Accounts and products are found among the territory's ids by search, not in arrays
    as long as the largest id: an account numbered in the trillions (a long-lived
    database, ids from another system) is drawn like any other."""
    far = AccountFactory(pk=10**12, name="Far", industry="Energy", employees=500)
    near = AccountFactory(name="Near", industry="Energy", employees=500)
    SaleLineFactory(account=far, product=catalogue["dash"], date=DAY, amount=300)
    OpportunityFactory(account=far, product=catalogue["cast"], amount=Decimal(70))
    SaleLineFactory(account=near, product=catalogue["cast"], date=DAY, amount=100)
    c = cells(whitespace(user=None, window=WINDOW))
    assert c[("Far", "Dash")] == ("owned", Decimal("300.00"))
    assert c[("Far", "Cast")] == ("pipeline", Decimal("70.00"))
    assert c[("Near", "Cast")] == ("owned", Decimal("100.00"))
    assert c[("Near", "Dash")][0] == "white_space"


def test_api_gives_probability_value_and_the_best_cells(api_client, org, catalogue):
    SaleLineFactory(account=org.mine, product=catalogue["dash"], date=DAY, amount=100)
    api_client.force_authenticate(org.rep)
    data = api_client.get("/api/v1/analyses/whitespace/?horizon=6&rank=probability").json()
    assert data["horizon"] == 6 and data["rank"] == "probability"
    white = [c for row in data["results"] for c in row["cells"] if c["state"] == "white_space"]
    assert white and all("probability" in c and "why" in c for c in white)
    # Only accounts the rep sees appear among the best cells (not Theirs Inc).
    seen = {row["account_id"] for row in data["results"]}
    assert data["best_cells"] and {c["account_id"] for c in data["best_cells"]} <= seen
    assert org.theirs.pk not in seen
    bad = api_client.get("/api/v1/analyses/whitespace/?horizon=36")
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Horizon 36 months is outside 1 to 24 months."
    bad = api_client.get("/api/v1/analyses/whitespace/?rank=size")
    assert bad.json()["detail"] == "Rank “size” is not value or probability."


def test_an_account_row_shows_a_new_deal_or_sale_at_once(client, org, catalogue):
    """An account's own sales and pipeline in its row are kept per version of the sales
    roll-up: a deal opened or a sale booked since the last look shows at the next one."""
    from tests.conftest import login

    peers = [AccountFactory(name=f"P{i}", industry="Energy", employees=500) for i in range(5)]
    SaleLineFactory(account=peers[0], product=catalogue["dash"], date=DAY, amount=3000)
    SaleLineFactory(account=peers[1], product=catalogue["dash"], date=DAY, amount=1000)
    client = login(client, org.executive)
    url = peers[3].get_absolute_url()

    def row() -> str:
        page = client.get(url).content.decode()
        return page.split('data-testid="account-whitespace"')[1].split("</table>")[0]

    assert 'title="White space">800<' in row()
    deal = OpportunityFactory(
        account=peers[3], product=catalogue["dash"], amount=Decimal(1234), stage="Proposal"
    )
    shown = row()
    assert 'title="White space">800<' not in shown and "1,234" in shown
    deal.status = "lost"
    from keyplan.sales.services import opportunity_save

    opportunity_save(opportunity=deal)
    SaleLineFactory(
        account=peers[3], product=catalogue["dash"], date=Window.default().end, amount=4321
    )
    shown = row()
    assert "1,234" not in shown and "4,321" in shown

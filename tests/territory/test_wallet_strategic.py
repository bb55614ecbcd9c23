"""Potential, share of wallet, strategic and aspirational accounts."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyplan.territory.analysis.params import ParameterError, Window
from keyplan.territory.analysis.strategic import aspirational
from keyplan.territory.analysis.wallet import wallets
from keyplan.territory.models import AccountTier, PotentialEstimate, StrategicAccount
from keyplan.territory.services import (
    potential_estimate_add,
    strategic_decide,
    strategic_suggest,
)
from tests.factories import AccountFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

WINDOW = Window(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
DAY = datetime.date(2025, 6, 1)


@pytest.fixture
def peers():
    """Five energy accounts of 100–999 employees; revenue per employee 1..5 (× 100)."""
    accounts = []
    for i in range(1, 6):
        a = AccountFactory(name=f"Peer {i}", industry="Energy", employees=100)
        SaleLineFactory(account=a, date=DAY, amount=Decimal(100 * i))
        accounts.append(a)
    return accounts


def by_name(items):
    return {w.name: w for w in items}


def test_peer_benchmark_and_share_of_wallet(peers):
    prospect = AccountFactory(name="Prospect", industry="Energy", employees=200)
    w = by_name(wallets(user=None, window=WINDOW))
    # Revenue per employee of the peers: 1, 2, 3, 4, 5; top quartile (inclusive) = 4.
    assert w["Prospect"].potential == Decimal("800.00")
    assert w["Prospect"].share == 0.0 and w["Prospect"].untapped == Decimal("800.00")
    assert "5 peers: Energy, 100–999 employees" in w["Prospect"].method
    assert w["Peer 1"].share == pytest.approx(100 / 400)
    # Never below what the account already spends.
    assert w["Peer 5"].potential == Decimal("500.00") and w["Peer 5"].share == 1.0
    assert prospect.pk == w["Prospect"].account_id


def test_an_estimate_wins_and_says_where_it_comes_from(peers, org):
    potential_estimate_add(
        user=org.rep, account=peers[0], annual_amount="2500", source="CFO interview"
    )
    w = by_name(wallets(user=None, window=WINDOW))["Peer 1"]
    assert w.potential == Decimal(2500) and "CFO interview" in w.method and "rep" in w.method
    with pytest.raises(ParameterError):
        potential_estimate_add(user=org.rep, account=peers[0], annual_amount="-1", source="x")
    with pytest.raises(ParameterError):
        potential_estimate_add(user=org.rep, account=peers[0], annual_amount="10", source=" ")


def test_unknown_potential_is_said_not_guessed():
    AccountFactory(name="Tiny", employees=None)
    w = by_name(wallets(user=None, window=WINDOW))["Tiny"]
    assert w.potential is None and w.share is None and "no employee count" in w.method


def test_aspirational_accounts_are_far_above_the_average(peers):
    AccountFactory(name="Giant", industry="Energy", employees=900)  # potential 3,600
    found = aspirational(user=None, window=WINDOW, factor=10)
    # Average revenue of a buying account: 300; 10× = 3,000; only Giant clears it.
    assert [a.wallet.name for a in found] == ["Giant"]
    assert found[0].average_revenue == Decimal("300.00") and found[0].multiple == 12.0


def test_strategic_suggestions_and_manager_decisions(peers, org):
    for a in peers:
        a.owner = org.rep
        a.save()
        AccountTier.objects.create(
            account=a,
            tier="A" if a.name != "Peer 5" else "B",
            score=80,
            accepted_at="2025-01-01T00:00:00Z",
        )
    assert strategic_suggest(window=WINDOW, per_rep=2) == 2
    suggested = set(StrategicAccount.objects.values_list("account__name", flat=True))
    assert suggested == {"Peer 4", "Peer 3"}  # tier A with the most potential
    item = StrategicAccount.objects.get(account__name="Peer 4")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        strategic_decide(user=org.rep, strategic=item, confirm=True)
    strategic_decide(user=org.manager, strategic=item, confirm=True)
    item.refresh_from_db()
    assert item.status == "confirmed" and item.decided_by == org.manager
    # Suggesting again keeps the decision.
    strategic_suggest(window=WINDOW, per_rep=2)
    assert StrategicAccount.objects.get(account__name="Peer 4").status == "confirmed"


def test_pages(client, peers, org):
    client.force_login(org.ops)
    page = client.get("/territory/strategic/")
    assert page.status_code == 200 and "Aspirational accounts" in page.content.decode()
    client.force_login(org.rep)
    assert client.post("/territory/strategic/", {"action": "suggest"}).status_code == 403
    response = client.post(
        f"/accounts/{org.mine.pk}/potential/",
        {"annual_amount": "12,000", "source": "Annual report"},
    )
    assert response.status_code == 302
    page = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    assert "12,000" in page and "Annual report" in page
    assert (
        client.post(
            f"/accounts/{org.theirs.pk}/potential/", {"annual_amount": "1", "source": "x"}
        ).status_code
        == 404
    )


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.integers(1, 50000), st.integers(0, 10**6)), min_size=1, max_size=12))
def test_shares_of_wallet_are_never_negative(facts):
    from keyplan.accounts.models import Account
    from keyplan.sales.models import SaleLine

    SaleLine.objects.all().delete()
    Account.objects.filter(name__startswith="W").delete()
    for i, (employees, amount) in enumerate(facts):
        a = AccountFactory(name=f"W{i}", industry="X", employees=employees)
        if amount:
            SaleLineFactory(account=a, date=DAY, amount=Decimal(amount))
    for w in wallets(user=None, window=WINDOW):
        assert w.share is None or w.share >= 0
        assert w.potential is None or w.potential >= w.revenue


def test_wallet_api(api_client, peers, org):
    AccountFactory(name="Giant", industry="Energy", employees=900)
    api_client.force_authenticate(org.executive)
    data = api_client.get("/api/v1/analyses/wallet/?from=2025-01&to=2025-12").json()
    rows = {r["name"]: r for r in data["results"]}
    assert rows["Giant"]["potential"] == "3600.00" and "peer benchmark" in rows["Giant"]["method"]
    only = api_client.get(
        "/api/v1/analyses/wallet/?from=2025-01&to=2025-12&aspirational=true"
    ).json()
    names = {r["name"] for r in only["results"]}
    # The org fixture's four 1,000-employee accounts buy nothing: aspirational too.
    assert "Giant" in names and not any(n.startswith("Peer") for n in names)
    api_client.force_authenticate(org.rep)
    mine = api_client.get("/api/v1/analyses/wallet/?from=2025-01&to=2025-12").json()
    assert {r["name"] for r in mine["results"]} == {"Mine Group", "Mine Division"}


def test_strategic_page_lists_only_the_aspirational_accounts_each_person_may_see(
    client, peers, org
):
    """The aspirational list is computed once for the territory; each person is shown
    the candidates they may see."""
    AccountFactory(name="Giant of mine", industry="Energy", employees=900, owner=org.rep)
    AccountFactory(name="Giant of theirs", industry="Energy", employees=900, owner=org.other)
    client.force_login(org.executive)
    page = client.get("/territory/strategic/").content.decode()
    assert "Giant of mine" in page and "Giant of theirs" in page
    client.force_login(org.rep)
    page = client.get("/territory/strategic/").content.decode()
    assert "Giant of mine" in page and "Giant of theirs" not in page


@given(st.integers(-(10**15), 10**15))
def test_cents_are_written_as_the_exact_amount(cents):
    from keyplan.territory.analysis.facts import money
    from keyplan.territory.analysis.wallet import cents_text

    assert cents_text(cents) == str(money(cents))


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize("window", [WINDOW, Window(datetime.date(2025, 1, 1), DAY)])
def test_a_recorded_wallet_run_holds_what_the_pages_show(peers, org, window, as_json):
    """The command sums and records whole cents in columns; the pages build a wallet per
    account: every figure agrees, for a year and for a shorter window (annualised), with
    an estimate, a refund and an account nobody can size."""
    from django.core.management import call_command

    from keyplan.territory.models import AnalysisRun, WalletSnapshot

    potential_estimate_add(
        user=org.rep, account=peers[1], annual_amount="1234.56", source="CFO interview"
    )
    refunded = AccountFactory(name="Refund", industry="Energy", employees=150)
    SaleLineFactory(account=refunded, date=DAY, amount=Decimal("-33.33"))
    AccountFactory(name="Tiny", employees=None)
    SaleLineFactory(account=peers[2], date=DAY, amount=Decimal("0.07"))
    from io import StringIO

    args = ["--json"] if as_json else []
    span = ["--from", str(window.start), "--to", str(window.end)]
    call_command("analyze", "wallet", *span, *args, stdout=StringIO())
    run = AnalysisRun.objects.get(kind="wallet")
    shown = {w.account_id: w for w in wallets(user=None, window=window)}
    recorded = {
        s.account_id: (s.revenue, s.potential, s.share)
        for s in WalletSnapshot.objects.filter(run=run)
    }
    assert recorded == {pk: (w.revenue, w.potential, w.share) for pk, w in shown.items()}
    assert recorded[refunded.pk][0] < 0 and recorded[peers[1].pk][1] == Decimal("1234.56")
    # By hand: revenue per employee of the five peers 1, 2, 3.0007, 4, 5 (a year's worth),
    # top quartile 4 → Peer 1 (100 employees, 100 a year) could spend 400.
    year = window.annualise
    assert recorded[peers[0].pk] == (Decimal(100) * year, Decimal(400) * year, 0.25)
    known = [w for w in shown.values() if w.potential]
    assert run.summary["with_potential"] == len(known) == len(shown) - 1
    assert Decimal(run.summary["revenue"]) == sum(w.revenue for w in known)
    assert Decimal(run.summary["potential"]) == sum(w.potential for w in known)


@given(
    st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False),
        st.floats(1e9, 1e15),
        st.integers(0, 10**9).map(lambda c: c / 100 + 0.005),  # halfway, as written
    )
)
def test_a_peer_potential_is_rounded_to_the_cent_as_decimal_rounds_it(x):
    from keyplan.territory.analysis.wallet import CENT, cents_of

    assert cents_of(x) == int(Decimal(x).quantize(CENT).scaleb(2))


def test_aspirational_amounts_say_their_currency(client, peers, org, settings):
    """The bar ("the average account's 300 EUR a year") and the table's money columns
    name the installation's currency, as every other amount does."""
    settings.KEYPLAN_CURRENCY = "EUR"
    AccountFactory(name="Giant of mine", industry="Energy", employees=900, owner=org.rep)
    client.force_login(org.ops)
    page = client.get("/territory/strategic/").content.decode()
    assert "the average account's 300 EUR a year" in page
    assert "Revenue / year (EUR)" in page and "Untapped (EUR)" in page


def test_a_refused_estimate_keeps_what_was_typed_beside_the_form(client, org):
    """ "lots" for an amount: back on the account page at the form, with the amount and
    the source as typed and the reason beside them — not an empty form and a message
    at the top of a long page. Shown once: the next visit has an empty form."""
    client.force_login(org.rep)
    response = client.post(
        f"/accounts/{org.mine.pk}/potential/",
        {"annual_amount": "lots", "source": "CIO interview in March"},
    )
    assert response.status_code == 302 and response.url.endswith(
        f"/accounts/{org.mine.pk}/#potential"
    )
    page = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    error = page[page.index('data-testid="potential-error"') :]
    assert error.split(">", 1)[1].startswith(
        "Enter the potential as an amount a year in USD, such as 250,000.</p>"
    )
    assert 'name="annual_amount"' in page and 'value="lots"' in page
    assert 'value="CIO interview in March"' in page
    again = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    assert "CIO interview in March" not in again and 'data-testid="potential-error"' not in again


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("nan", "Enter the potential as an amount a year in USD"),
        ("Infinity", "Enter the potential as an amount a year in USD"),
        ("1e30", "That potential is too large to be an amount a year."),
    ],
)
def test_an_estimate_that_is_no_amount_is_refused_and_the_account_page_still_opens(
    client, org, typed, reason
):
    """Python reads "nan", "Infinity" and "1e30" as decimals: they were a server error,
    or (1e30) stored and then every account page failed on reading it back."""
    client.force_login(org.rep)
    client.post(f"/accounts/{org.mine.pk}/potential/", {"annual_amount": typed, "source": "x"})
    page = client.get(f"/accounts/{org.mine.pk}/")
    assert page.status_code == 200 and reason in page.content.decode()
    assert not PotentialEstimate.objects.exists()

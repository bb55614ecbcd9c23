"""Territory history: two recorded wallet runs side by side — totals, the accounts whose
share of wallet moved most — over the accounts the viewer may see."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from keyplan.territory.analysis.history import compare_wallets
from keyplan.territory.analysis.params import ParameterError
from keyplan.territory.models import AnalysisRun, PotentialEstimate, WalletSnapshot
from tests.conftest import login
from tests.factories import SaleLineFactory

pytestmark = pytest.mark.django_db


def wallet_run(shares: dict, potential=Decimal(1000)):
    """A wallet run whose snapshots give each account ``share`` of ``potential``."""
    run = AnalysisRun.objects.create(kind="wallet", summary={"share": 0.5})
    for account, share in shares.items():
        WalletSnapshot.objects.create(
            run=run,
            account=account,
            revenue=(potential * Decimal(str(share))).quantize(Decimal("0.01")),
            potential=potential,
            share=share,
        )
    return run


@pytest.fixture
def two_quarters(org):
    q1 = wallet_run({org.mine: 0.10, org.teammate: 0.50, org.theirs: 0.20})
    q2 = wallet_run({org.mine: 0.25, org.teammate: 0.30, org.theirs: 0.90})
    return q1, q2


def names(rows):
    return [(s.account.name, round(s.before, 2), round(s.share, 2)) for s in rows]


def test_everything_compared_for_sales_ops(org, two_quarters):
    q1, q2 = two_quarters
    result = compare_wallets(user=org.ops, before_id=q1.pk, after_id=q2.pk)
    # Revenue 100 + 500 + 200 of 3,000 potential, then 250 + 300 + 900.
    assert (result.before.revenue, result.before.potential) == (Decimal(800), Decimal(3000))
    assert result.after.revenue == Decimal(1450) and result.after.share == pytest.approx(
        1450 / 3000
    )
    assert result.compared == 3
    assert names(result.gained) == [("Theirs Inc", 0.2, 0.9), ("Mine Group", 0.1, 0.25)]
    assert names(result.lost) == [("Teammate Corp", 0.5, 0.3)]


def test_a_rep_compares_only_their_own_accounts(org, two_quarters):
    q1, q2 = two_quarters
    result = compare_wallets(user=org.rep, before_id=q1.pk, after_id=q2.pk)
    assert result.before.accounts == 1 and result.after.revenue == Decimal(250)
    assert names(result.gained) == [("Mine Group", 0.1, 0.25)] and result.lost == []


def test_page_shows_the_comparison_and_hides_territory_figures_from_a_rep(
    client, org, two_quarters
):
    page = login(client, org.ops).get("/territory/history/").content.decode()
    assert 'data-testid="gained"' in page and "Theirs Inc" in page and "+70.0%" in page
    assert "share 50.0%" in page  # the runs' headline figures, for who sees everything
    client.logout()
    page = login(client, org.rep).get("/territory/history/").content.decode()
    assert "Mine Group" in page and "Theirs Inc" not in page and "Teammate Corp" not in page
    assert "share 50.0%" not in page and 'data-testid="tier-runs"' not in page


def test_runs_that_cannot_be_compared_are_explained(client, org, two_quarters):
    q1, _q2 = two_quarters
    pareto = AnalysisRun.objects.create(kind="pareto")
    with pytest.raises(ParameterError, match=f"second run \\(#{pareto.pk}\\) is not"):
        compare_wallets(user=org.ops, before_id=q1.pk, after_id=pareto.pk)
    login(client, org.ops)
    response = client.get(f"/territory/history/?before={q1.pk}&after={pareto.pk}")
    assert response.status_code == 200
    assert "is not a recorded wallet run" in response.content.decode()
    response = client.get("/territory/history/?before=last+quarter")
    assert "Choose the runs to compare" in response.content.decode()


def test_one_run_is_not_enough(client, org):
    wallet_run({org.mine: 0.1})
    page = login(client, org.ops).get("/territory/history/").content.decode()
    assert 'data-testid="no-comparison"' in page and "1 recorded so far" in page


def test_two_real_runs_of_the_command_show_what_changed(client, org):
    """A quarter later the estimate of Mine Group's potential is halved: its share of
    wallet doubles between the two recorded runs."""
    SaleLineFactory(account=org.mine, amount=Decimal(300), date=datetime.date(2025, 6, 1))
    PotentialEstimate.objects.create(
        account=org.mine, annual_amount=Decimal(3000), source="CFO", entered_by=org.rep
    )
    call_command("analyze", "wallet", stdout=None)
    PotentialEstimate.objects.create(
        account=org.mine, annual_amount=Decimal(1500), source="CFO, revised", entered_by=org.rep
    )
    call_command("analyze", "wallet", stdout=None)
    page = login(client, org.rep).get("/territory/history/").content.decode()
    assert "10.0%" in page and "20.0%" in page and "+10.0%" in page


def test_api_compares_the_latest_two_runs_with_the_same_rules(api_client, org, two_quarters):
    q1, q2 = two_quarters
    api_client.force_authenticate(org.rep)
    data = api_client.get("/api/v1/analyses/wallet/history/").json()
    assert (data["before"]["run"], data["after"]["run"]) == (q1.pk, q2.pk)
    assert data["compared"] == 1 and data["after"]["revenue"] == "250.00"
    assert [(m["name"], m["change"]) for m in data["gained"]] == [
        ("Mine Group", pytest.approx(0.15))
    ]
    api_client.force_authenticate(org.ops)
    assert api_client.get("/api/v1/analyses/wallet/history/").json()["compared"] == 3
    response = api_client.get(f"/api/v1/analyses/wallet/history/?before={q1.pk}&after=x")
    assert response.status_code == 400
    assert response.json() == {"after": ["“x” is not a wallet run id (a whole number from 1)."]}
    response = api_client.get(f"/api/v1/analyses/wallet/history/?before={q1.pk}&after=999999")
    assert response.status_code == 400 and "#999999" in response.json()["detail"]


def test_deleting_an_account_deletes_its_snapshots_and_a_run_holds_an_account_once(
    org, two_quarters
):
    """Snapshots name their account without a database foreign key (so a run appends to
    one index): the cascade on deletion and the one-row-per-account rule still hold."""
    from django.db import IntegrityError, transaction

    q1, q2 = two_quarters
    assert WalletSnapshot.objects.filter(account=org.theirs).count() == 2
    org.theirs.delete()
    assert not WalletSnapshot.objects.filter(account_id=org.theirs.pk).exists()
    assert q1.wallets.count() == q2.wallets.count() == 2  # the others' history is kept
    with pytest.raises(IntegrityError), transaction.atomic():
        WalletSnapshot.objects.create(
            run=q1, account=org.mine, revenue=Decimal(1), potential=None, share=None
        )


def test_deleting_a_run_deletes_its_snapshots_and_keeps_the_other_runs(org, two_quarters):
    """Nor is the run a database foreign key (PostgreSQL would check 100,000 rows one by
    one on every wallet run): deleting a run still takes its snapshots, and only its."""
    q1, q2 = two_quarters
    kept = set(q2.wallets.values_list("account_id", "revenue"))
    q1.delete()
    assert not WalletSnapshot.objects.filter(run_id=q1.pk).exists()
    assert set(q2.wallets.values_list("account_id", "revenue")) == kept and kept


def test_runs_are_listed_in_words_not_option_codes(client, org):
    """The list of runs names each analysis and its parameters in words, and a learned
    white-space model's figures read as sentences, not a dump of its back-test data."""
    AnalysisRun.objects.create(
        kind="pareto",
        parameters={
            "scope": "territory",
            "window": "2025-11 to 2026-10",
            "level": "entity",
            "threshold": 0.8,
            "basis": "with_revenue",
        },
        summary={"total_revenue": "1000.00", "accounts": 3},
    )
    AnalysisRun.objects.create(
        kind="whitespace_model",
        parameters={"by": "product", "horizon": 12},
        summary={
            "predicted_from": "2026-11-01",
            "training_cells": 14429,
            "training_bought": 417,
            "expected_purchases": 183.2,
            "expected_value": "5495132.88",
            "backtest": {
                "by": "product",
                "horizon": 12,
                "trained_to": "2025-10-01",
                "tested": {"from": "2025-11-01", "to": "2026-10-01"},
                "accounts_tested": 126,
                "model": {"precision_at_3": 0.1852, "map": 0.3856},
                "popularity": {"precision_at_3": 0.0661, "map": 0.1934},
                "calibration": [{"from": 0.0, "to": 0.1, "cells": 6433}],
                "message": "",
            },
        },
    )
    page = login(client, org.ops).get("/territory/history/").content.decode()
    assert "White-space model learned" in page and "Core accounts (Pareto)" in page
    assert "whitespace_model" not in page and "with_revenue" not in page
    assert "counting accounts with revenue" in page and "core share 80%" in page
    assert "per product, horizon 12 months" in page
    assert "learned from 14,429 account–product pairs, 417 bought" in page
    assert "back-test on 126 accounts, 2025-11-01 to 2026-10-01" in page
    assert "model 18.5%, popularity 6.6%" in page
    assert "calibration" not in page and "{&#x27;from&#x27;" not in page

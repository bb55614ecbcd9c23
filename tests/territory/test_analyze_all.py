"""keyplan analyze all runs every analysis and records each run for later comparison."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.territory.models import AnalysisRun, WalletSnapshot
from keyplan.territory.services import icp_save
from tests.factories import AccountFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


def test_all_analyses_run_and_are_recorded(org):
    for i in range(6):
        a = AccountFactory(name=f"Buyer {i}", industry="Energy", employees=200)
        SaleLineFactory(account=a, amount=Decimal(100 * (i + 1)), date=datetime.date(2025, 6, 1))
    icp_save(user=org.ops, criteria=[{"kind": "industry_in", "values": ["Energy"], "weight": 10}])
    out = StringIO()
    call_command("analyze", "all", stdout=out)
    text = out.getvalue()
    assert "Pareto" in text and "ICP v1" in text and "White space" in text
    assert "Audience coverage" in text and "Share of wallet" in text
    kinds = sorted(AnalysisRun.objects.values_list("kind", flat=True))
    assert kinds == ["audience", "pareto", "tiers", "wallet", "whitespace"]
    pareto = AnalysisRun.objects.get(kind="pareto")
    assert pareto.summary["accounts"] == 10 and pareto.summary["total_revenue"] == "2100.00"
    assert WalletSnapshot.objects.filter(run__kind="wallet").count() == 10
    # Buyer 0 sold 100; its six Energy peers of 200 employees earn 0.5…3.0 per employee,
    # top quartile (inclusive) 2.375 × 200 = 475 potential, so 100 / 475 of its wallet.
    buyer = WalletSnapshot.objects.get(run__kind="wallet", account__name="Buyer 0")
    assert (buyer.revenue, buyer.potential) == (Decimal("100.00"), Decimal("475.00"))
    assert buyer.share == pytest.approx(100 / 475)


@pytest.mark.django_db(transaction=True)
def test_all_in_worker_processes_says_and_records_what_one_process_does(org):
    """`analyze all` runs the analyses in worker processes when they can see the data
    (committed, not an in-memory database): same output, every run recorded."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the SQLite test database lives in memory: worker processes cannot see it")
    from keyplan.core.workers import can_fork

    assert can_fork()  # else `--jobs 3` below would quietly run in one process
    for i in range(6):
        a = AccountFactory(name=f"Buyer {i}", industry="Energy", employees=200)
        SaleLineFactory(account=a, amount=Decimal(100 * (i + 1)), date=datetime.date(2025, 6, 1))
    icp_save(user=org.ops, criteria=[{"kind": "industry_in", "values": ["Energy"], "weight": 10}])
    # Committed sales wake the background warm-up, which records its own learning run of
    # the white-space model: only the runs `analyze all` records are counted below.
    earlier = list(AnalysisRun.objects.values_list("pk", flat=True))
    alone, together = StringIO(), StringIO()
    call_command("analyze", "all", "--jobs", "1", stdout=alone)
    call_command("analyze", "all", "--jobs", "3", stdout=together)
    assert together.getvalue() == alone.getvalue()
    assert "Share of wallet" in together.getvalue()
    kinds = sorted(AnalysisRun.objects.exclude(pk__in=earlier).values_list("kind", flat=True))
    assert kinds == sorted(["audience", "pareto", "tiers", "wallet", "whitespace"] * 2)
    assert WalletSnapshot.objects.count() == 20


def test_scripts_that_pass_skip_checks_still_work(org):
    """analyze runs no system checks; the option scripts may pass is still accepted."""
    out = StringIO()
    call_command("analyze", "pareto", "--skip-checks", stdout=out)
    assert "Pareto" in out.getvalue()

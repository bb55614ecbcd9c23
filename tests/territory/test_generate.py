"""keyplan generate: deterministic, shaped like a real territory, safe to run."""

import csv
import hashlib
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from keyplan.accounts.models import Account, AccountLineage, Contact
from keyplan.people.models import User
from keyplan.sales.choices import STAGE_STATUS, Stage
from keyplan.sales.models import Opportunity, SaleLine, SalesMonth
from keyplan.territory.writers import CSV_COLUMNS

pytestmark = pytest.mark.django_db


def generate(*args):
    out = StringIO()
    call_command("generate", *map(str, args), stdout=out)
    return out.getvalue()


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_territory(tmp_path):
    generate("--accounts", 60, "--seed", 7, "--csv", tmp_path / "a")
    generate("--accounts", 60, "--seed", 7, "--csv", tmp_path / "b")
    generate("--accounts", 60, "--seed", 8, "--csv", tmp_path / "c")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a")["accounts.csv"] != digest(tmp_path / "c")["accounts.csv"]


def test_csv_files_have_the_canonical_import_columns(tmp_path):
    generate("--accounts", 40, "--csv", tmp_path)
    for kind, columns in CSV_COLUMNS.items():
        with open(tmp_path / f"{kind}.csv", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == columns, kind
        assert len(rows) > 1, kind


def test_generated_csv_imports_cleanly_into_an_empty_database(tmp_path):
    generate("--accounts", 40, "--csv", tmp_path)
    for kind in (
        "users",
        "accounts",
        "products",
        "contacts",
        "opportunities",
        "sales",
        "interactions",
    ):
        out = StringIO()
        call_command("import", kind, str(tmp_path / f"{kind}.csv"), stdout=out)
        assert "0 rejected" in out.getvalue(), out.getvalue()
    assert Account.objects.count() == 40


def test_database_territory_is_shaped_like_a_real_one():
    output = generate("--accounts", 120, "--seed", 3)
    assert "120 accounts" in output and "admin, ops, manager, rep, exec" in output
    # The sales organisation, with the demo logins.
    roles = dict(User.objects.values_list("username", "role"))
    assert {roles["admin"], roles["ops"], roles["manager"], roles["rep"], roles["exec"]} == {
        "admin",
        "sales_ops",
        "manager",
        "rep",
        "executive",
    }
    assert sum(1 for r in roles.values() if r == "rep") >= 6
    assert sum(1 for r in roles.values() if r == "manager") >= 2
    for username in ("admin", "ops", "manager", "rep", "exec"):
        assert authenticate(username=username, password="demo") is not None
    assert User.objects.get(username="rep").manager.role == "manager"
    # Hierarchies of several levels, and the closure table that visibility reads.
    assert Account.objects.filter(depth__gte=2).exists()
    assert AccountLineage.objects.filter(depth=0).count() == 120
    # A skewed revenue distribution: the top fifth carries most of it.
    revenue = sorted(
        (r["total"] for r in SalesMonth.objects.values("account").annotate(total=Sum("amount"))),
        reverse=True,
    )
    assert sum(revenue[: 120 // 5]) / sum(revenue) > 0.6
    # 36 months of sales; opportunities in every stage with a consistent status.
    assert SalesMonth.objects.values("month").distinct().count() == 36
    stages = dict(Opportunity.objects.values_list("stage").annotate(n=Count("pk")))
    assert set(stages) == set(Stage)
    for stage, status in STAGE_STATUS.items():
        assert not Opportunity.objects.filter(stage=stage).exclude(status=status).exists()
    # Won deals are invoiced as sale lines that point at them: never counted twice.
    assert SaleLine.objects.filter(opportunity__isnull=False).exists()
    assert not SalesMonth.objects.exclude(from_opportunities=0).exists()
    # Reporting lines stay inside one account.
    bad = Contact.objects.filter(reports_to__isnull=False).exclude(
        reports_to__account=models_F("account")
    )
    assert not bad.exists()


def models_F(name):
    from django.db.models import F

    return F(name)


def test_a_rep_sees_part_of_the_territory_an_executive_all_of_it():
    generate("--accounts", 80)
    rep, executive = User.objects.get(username="rep"), User.objects.get(username="exec")
    seen = Account.objects.visible_to(rep).count()
    assert 0 < seen < 80
    assert Account.objects.visible_to(executive).count() == 80


def test_refuses_to_generate_over_an_existing_territory_unless_flushed():
    generate("--accounts", 30)
    with pytest.raises(CommandError, match="already holds accounts"):
        generate("--accounts", 30)
    generate("--accounts", 25, "--flush")
    assert Account.objects.count() == 25


def test_a_flushed_territory_gets_tiers_and_roles_again():
    from keyplan.territory.models import AccountTier, IcpVersion, StakeholderRole

    generate("--accounts", 30)
    generate("--accounts", 20, "--flush")
    assert IcpVersion.objects.count() == 1
    assert AccountTier.objects.count() == 20
    assert StakeholderRole.objects.exists()

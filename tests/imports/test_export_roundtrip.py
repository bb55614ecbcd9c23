"""Export → import reports everything unchanged, for every kind and format."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.imports.kinds import KINDS
from keyplan.sales.models import OpportunityProduct
from tests.factories import (
    AccountTeamMemberFactory,
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
    ProductFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory(org):
    boss = ContactFactory(account=org.mine, external_id="K1", email="boss@mine.example")
    ContactFactory(
        account=org.mine_child,
        external_id="K2",
        reports_to=boss,
        decision_role="champion",
        relationship_owner=org.rep,
        is_active=False,
    )
    ContactFactory(account=org.theirs, external_id=None, email="noid@theirs.example")
    product = ProductFactory(list_price=None)
    SaleLineFactory(account=org.mine, product=product)
    SaleLineFactory(account=org.mine, product=product, external_id=None, quantity="2.50")
    deal = OpportunityFactory(account=org.mine, product=product, owner=org.rep)
    SaleLineFactory(account=org.mine_child, opportunity=deal)
    OpportunityFactory(account=org.theirs, external_id=None, stage="Closed Won", probability=100)
    # An early deal: amount and close date not known (exported as empty cells) ...
    early = OpportunityFactory(account=org.theirs, amount=None, close_date=None)
    # ... whose products are two line items, one without an id.
    OpportunityProduct.objects.create(
        opportunity=early, product=product, amount="1200.50", external_id="L1"
    )
    OpportunityProduct.objects.create(
        opportunity=early, product=ProductFactory(), amount="300.00", quantity="3"
    )
    inter = InteractionFactory(
        account=org.mine, external_id="I1", is_executive=True, notes="Said yes,\nwith conditions"
    )
    inter.contacts.add(boss)
    inter.participants.add(org.rep)
    AccountTeamMemberFactory(account=org.mine, user=org.executive)
    from keyplan.salesplan.periods import Period
    from keyplan.salesplan.services import quota_save

    quota_save(user=org.ops, level="rep", rep=org.rep, period=Period(2026), amount="1200000.50")
    quota_save(user=org.ops, level="team", team=org.team, period=Period(2026, 3), amount=900000)
    quota_save(user=org.ops, level="company", period=Period(2026), amount=5000000)
    return org


@pytest.mark.parametrize("kind", list(KINDS))
def test_csv_export_then_import_is_unchanged(tmp_path, run_import, territory, kind):
    path = tmp_path / f"{kind}.csv"
    call_command("export", kind, "-o", str(path), stderr=StringIO())
    code, report = run_import(kind, path)
    assert code == 0, report["errors"]
    assert report["rows"] > 0
    assert (report["created"], report["updated"]) == (0, 0)
    assert report["unchanged"] == report["rows"]


def test_xlsx_export_then_import_is_unchanged(tmp_path, run_import, territory):
    path = tmp_path / "accounts.xlsx"
    call_command("export", "accounts", "--format", "xlsx", "-o", str(path), stderr=StringIO())
    code, report = run_import("accounts", path)
    assert code == 0 and report["unchanged"] == report["rows"] == 4


def test_json_export_has_canonical_fields(tmp_path, territory):
    path = tmp_path / "opps.json"
    call_command("export", "opportunities", "--format", "json", "-o", str(path), stderr=StringIO())
    rows = json.loads(path.read_text())
    assert len(rows) == 3
    assert set(rows[0]) == set(KINDS["opportunities"].export_fields)

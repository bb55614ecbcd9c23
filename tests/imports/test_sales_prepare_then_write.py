"""A sales import checks the whole file while only reading and writes it in one short
transaction at the end. What may change in between is checked again when it writes:
sale lines added or changed by someone else, or a product, account or deal the file
names deleted, refuse the import with a clear message, and nothing is written. The
import's stage (TEMP tables of its own connection) is gone afterwards either way."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.accounts.models import Account
from keyplan.catalog.models import Product
from keyplan.imports.engine import import_prepared
from keyplan.sales.models import SaleLine, SalesMonth
from tests.factories import AccountFactory, ProductFactory
from tests.imports.conftest import stage_tables, write

pytestmark = pytest.mark.django_db

SALES = (
    "external_id,account,product,date,amount\n"
    "S1,A1,P1,2026-01-15,100.00\n"
    "S2,A1,P2,2026-02-15,250.50\n"
    "S3,A2,P1,2026-02-20,75.25\n"
)


@pytest.fixture
def facts(db):
    return {
        "a1": AccountFactory(name="Alpha", external_id="A1"),
        "a2": AccountFactory(name="Beta", external_id="A2"),
        "p1": ProductFactory(name="Widget", external_id="P1"),
        "p2": ProductFactory(name="Gadget", external_id="P2"),
    }


def import_sales(path) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("import", "sales", str(path), "--json", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


@pytest.fixture
def between_check_and_write():
    """Run a function once the file is checked and before it is written."""
    actions = []

    def receiver(**kwargs):
        for action in actions:
            action()

    import_prepared.connect(receiver)
    yield actions.append
    import_prepared.disconnect(receiver)


def test_a_sales_file_is_written_whole_with_its_roll_up_and_no_stage_left(tmp_path, facts):
    code, report = import_sales(write(tmp_path / "sales.csv", SALES))
    assert code == 0, report
    assert (report["created"], report["committed"]) == (3, True)
    assert list(SaleLine.objects.order_by("pk").values_list("external_id", "amount")) == [
        ("S1", Decimal("100.00")),
        ("S2", Decimal("250.50")),
        ("S3", Decimal("75.25")),
    ]
    assert SalesMonth.objects.filter(account=facts["a1"]).count() == 2
    assert stage_tables() == []


def test_a_changed_line_is_updated_with_a_new_version_and_the_rest_left_alone(tmp_path, facts):
    import_sales(write(tmp_path / "sales.csv", SALES))
    changed = SALES.replace("S3,A2,P1,2026-02-20,75.25", "S3,A1,P1,2026-02-20,80.00")
    code, report = import_sales(write(tmp_path / "changed.csv", changed))
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 2)
    moved = SaleLine.objects.get(external_id="S3")
    assert (moved.account, moved.amount, moved.version) == (facts["a1"], Decimal("80.00"), 2)
    assert SaleLine.objects.get(external_id="S1").version == 1
    # The roll-up left the account the line left.
    assert not SalesMonth.objects.filter(account=facts["a2"]).exists()


def test_sale_lines_added_by_someone_else_meanwhile_refuse_the_import(
    tmp_path, facts, between_check_and_write
):
    between_check_and_write(
        lambda: SaleLine.objects.create(
            account=facts["a2"],
            product=facts["p2"],
            date=datetime.date(2026, 3, 1),
            amount=Decimal("10.00"),
        )
    )
    code, report = import_sales(write(tmp_path / "sales.csv", SALES))
    assert code == 2
    assert report["failure"] == (
        "Someone else added, changed or deleted sale lines while this file was being "
        "checked, so what it would add or change may no longer be right. Nothing was "
        "imported: import the file again."
    )
    assert list(SaleLine.objects.values_list("external_id", flat=True)) == [None]
    assert stage_tables() == []


def test_a_product_deleted_meanwhile_refuses_the_import_and_writes_nothing(
    tmp_path, facts, between_check_and_write
):
    between_check_and_write(lambda: Product.objects.filter(external_id="P2").delete())
    code, report = import_sales(write(tmp_path / "sales.csv", SALES))
    assert code == 2
    assert report["failure"] == (
        "1 product that this file names was deleted while the file was being checked (the "
        "first at row 3). Nothing was imported: import the file again to see which rows "
        "name it."
    )
    assert not SaleLine.objects.exists() and not SalesMonth.objects.exists()
    assert stage_tables() == []


def test_accounts_deleted_meanwhile_are_counted_in_the_refusal(
    tmp_path, facts, between_check_and_write
):
    between_check_and_write(lambda: Account.objects.filter(external_id__in=["A1", "A2"]).delete())
    code, report = import_sales(write(tmp_path / "sales.csv", SALES))
    assert report["failure"].startswith(
        "2 accounts that this file names were deleted while the file was being checked "
        "(the first at row 2)."
    )
    assert not SaleLine.objects.exists()


def test_a_dry_run_stages_nothing_and_never_reaches_the_write(
    tmp_path, facts, between_check_and_write
):
    reached = []
    between_check_and_write(lambda: reached.append(True))
    out = StringIO()
    call_command(
        "import", "sales", str(write(tmp_path / "s.csv", SALES)), "--dry-run", "--json", stdout=out
    )
    report = json.loads(out.getvalue())
    assert (report["created"], report["committed"]) == (3, False)
    assert reached == [] and stage_tables() == []
    assert not SaleLine.objects.exists()

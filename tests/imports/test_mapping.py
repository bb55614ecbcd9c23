"""Column mapping: headers that match, --map, and saved TOML mapping files."""

import pytest

from keyplan.sales.models import SaleLine
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

ERP = "Invoice Line;Customer No;Item;Posting Date;Net Value\nL1;{acc};P1;03/01/2025;1.234,50\n"


def test_map_on_the_command_line(tmp_path, run_import, org, catalogue):
    path = write(tmp_path / "erp.csv", ERP.format(acc=org.mine.external_id))
    code, report = run_import(
        "sales",
        path,
        "--map",
        "external_id=Invoice Line",
        "--map",
        "account=Customer No",
        "--map",
        "product=Item",
        "--map",
        "date=Posting Date",
        "--map",
        "amount=Net Value",
        "--date-format",
        "dmy",
    )
    assert code == 0, report
    line = SaleLine.objects.get(external_id="L1")
    assert str(line.date) == "2025-01-03" and str(line.amount) == "1234.50"


def test_saved_mapping_file(tmp_path, run_import, org, catalogue):
    mapping = write(
        tmp_path / "erp.toml",
        'kind = "sales"\ndate_format = "mdy"\n[map]\nexternal_id = "Invoice Line"\n'
        'account = "Customer No"\nproduct = "Item"\ndate = "Posting Date"\n'
        'amount = "Net Value"\n',
    )
    path = write(tmp_path / "erp.csv", ERP.format(acc=org.mine.external_id))
    code, report = run_import("sales", path, "--mapping", mapping)
    assert code == 0, report
    assert str(SaleLine.objects.get().date) == "2025-03-01"


def test_mapping_to_a_column_the_file_lacks(tmp_path, run_import, org, catalogue):
    path = write(tmp_path / "erp.csv", ERP.format(acc=org.mine.external_id))
    code, report = run_import("sales", path, "--map", "amount=Gross")
    assert code == 2
    assert "names the column “Gross”, which the file does not have" in report["failure"]


def test_mapping_file_for_another_kind_is_refused(tmp_path, run_import):
    mapping = write(tmp_path / "m.toml", 'kind = "contacts"\n[map]\nname = "X"\n')
    path = write(tmp_path / "a.csv", "name\nA\n")
    code, report = run_import("accounts", path, "--mapping", mapping)
    assert code == 2 and "is for contacts" in report["failure"]

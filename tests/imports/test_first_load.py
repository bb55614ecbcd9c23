"""A first load into an empty sale-line table builds its indexes once at the end; the
indexes are there afterwards, and a failed load leaves them (and the table) as before."""

import pytest
from django.db import connection

from keyplan.sales.models import SaleLine
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def index_names():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, SaleLine._meta.db_table)
    return {name for name, c in constraints.items() if c["index"]}


def big_file(tmp_path, account, rows, bad_last=False):
    lines = ["external_id,account,product,date,amount"]
    lines += [f"S{i},{account},P1,2025-01-{1 + i % 28:02d},{i}.50" for i in range(rows)]
    if bad_last:
        lines[-1] = lines[-1].replace("2025-01", "2025-13")
    return write(tmp_path / "sales.csv", "\n".join(lines) + "\n")


def test_indexes_are_rebuilt_after_a_first_load(tmp_path, run_import, org, catalogue):
    expected = {index.name for index in SaleLine._meta.indexes}
    assert expected <= index_names()
    code, report = run_import("sales", big_file(tmp_path, org.mine.external_id, 12000))
    assert code == 0 and report["created"] == 12000
    assert expected <= index_names()
    assert SaleLine.objects.filter(account=org.mine, date__year=2025).count() == 12000


def test_a_failed_first_load_leaves_indexes_and_table_as_before(
    tmp_path, run_import, org, catalogue
):
    before = index_names()
    path = big_file(tmp_path, org.mine.external_id, 12000, bad_last=True)
    code, report = run_import("sales", path)
    assert code == 1 and report["errors"][0]["row"] == 12001
    assert SaleLine.objects.count() == 0
    assert index_names() == before

"""An empty required value is an error; an empty optional one is empty."""

import pytest

from keyplan.accounts.models import Account
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def test_empty_required_is_an_error_naming_the_field(tmp_path, run_import):
    path = write(tmp_path / "a.csv", "external_id,name,industry\nA1,,Retail\n")
    code, report = run_import("accounts", path)
    assert code == 1
    assert report["errors"] == [{"row": 2, "column": "name", "value": "", "message": "is required"}]


def test_empty_optional_value_empties_the_field(tmp_path, run_import):
    run_import("accounts", write(tmp_path / "a.csv", "external_id,name,industry\nA1,Acme,Retail\n"))
    code, report = run_import(
        "accounts", write(tmp_path / "b.csv", "external_id,name,industry\nA1,Acme,\n")
    )
    assert code == 0 and report["updated"] == 1
    assert Account.objects.get(external_id="A1").industry == ""

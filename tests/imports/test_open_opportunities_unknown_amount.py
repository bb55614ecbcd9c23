"""An open opportunity may have no amount and no close date yet (early stages of a real
CRM export): it is imported with both unknown. A won or lost one still needs both."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.sales.models import Opportunity
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

HEADER = "external_id,name,account,stage,amount,created_date,close_date\n"


def test_open_deals_without_amount_or_close_date_are_imported_as_unknown(tmp_path, run_import, org):
    acc = org.mine.external_id
    path = write(
        tmp_path / "opps.csv",
        HEADER
        + f"O1,Early one,{acc},Prospecting,,2026-03-01,\n"
        + f"O2,Early two,{acc},Qualification,,,\n"
        + f"O3,Sized,{acc},Proposal,12500,,2026-09-30\n",
    )
    code, report = run_import("opportunities", path)
    assert code == 0, report["errors"]
    assert (report["created"], report["rejected"]) == (3, 0)
    stored = {
        o.external_id: (o.status, o.amount, o.close_date, o.created_date)
        for o in Opportunity.objects.all()
    }
    assert stored["O1"] == ("open", None, None, datetime.date(2026, 3, 1))
    # No date at all: created as of the import.
    assert stored["O2"] == ("open", None, None, datetime.date.today())
    assert stored["O3"][1:3] == (12500, datetime.date(2026, 9, 30))


def test_reimporting_open_deals_without_dates_changes_nothing(tmp_path, run_import, org):
    path = write(
        tmp_path / "opps.csv", HEADER + f"O1,Early,{org.mine.external_id},Prospecting,,,\n"
    )
    run_import("opportunities", path)
    code, report = run_import("opportunities", path)
    assert code == 0 and (report["unchanged"], report["updated"]) == (1, 0)


def test_won_and_lost_deals_still_need_amount_and_close_date(tmp_path, run_import, org):
    acc = org.mine.external_id
    path = write(
        tmp_path / "opps.csv",
        HEADER
        + f"O1,Won without amount,{acc},Closed Won,,,2026-03-31\n"
        + f"O2,Lost without date,{acc},Closed Lost,900,,\n"
        + f"O3,Open,{acc},Prospecting,,,\n",
    )
    code, report = run_import("opportunities", path)
    assert code == 1
    assert report["errors"] == [
        {
            "row": 2,
            "column": "amount",
            "value": "",
            "message": "a won opportunity needs an amount; only an open one may leave it empty",
        },
        {
            "row": 3,
            "column": "close_date",
            "value": "",
            "message": (
                "a lost opportunity needs a close date; only an open one may leave it empty"
            ),
        },
    ]
    assert not Opportunity.objects.exists()  # all or nothing


def test_export_writes_empty_cells_for_what_is_not_known(tmp_path, run_import, org):
    path = write(
        tmp_path / "opps.csv", HEADER + f"O1,Early,{org.mine.external_id},Prospecting,,,\n"
    )
    run_import("opportunities", path)
    out = tmp_path / "export.csv"
    call_command("export", "opportunities", "-o", str(out), stderr=StringIO())
    header, row = out.read_text().splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert (cells["amount"], cells["close_date"]) == ("", "")
    code, report = run_import("opportunities", out)
    assert code == 0 and report["unchanged"] == 1

"""``keyplan import quotas FILE``: the same engine and rules as the other kinds."""

from decimal import Decimal

import pytest

from keyplan.imports.models import ImportRun
from keyplan.salesplan.models import Quota, QuotaChange
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def test_quotas_of_reps_teams_and_the_company_imported_and_reimported(tmp_path, run_import, org):
    path = write(
        tmp_path / "quotas.csv",
        "Period,Rep,Team,Amount\n"
        'FY 2026,rep,,"1,200,000"\n'
        "Q1 FY 2026,rep,,300000\n"
        "FY 2026,,Enterprise,4200000\n"
        "FY 2026,,,10000000\n",
    )
    code, report = run_import("quotas", path)
    assert code == 0 and report["created"] == 4
    rep_year = Quota.objects.get(rep=org.rep, quarter=0)
    assert rep_year.amount == Decimal("1200000") and rep_year.fiscal_year == 2026
    assert Quota.objects.get(rep=org.rep, quarter=1).amount == Decimal("300000")
    assert Quota.objects.get(team=org.team).amount == Decimal("4200000")
    assert Quota.objects.get(level="company").amount == Decimal("10000000")
    assert ImportRun.objects.filter(kind="quotas").exists()
    # Again, with one amount changed: one updated, the rest unchanged, the trail records it.
    path.write_text(path.read_text().replace("4200000", "4300000"))
    code, report = run_import("quotas", path)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 3)
    assert Quota.objects.get(team=org.team).amount == Decimal("4300000")
    change = QuotaChange.objects.filter(subject="quota").first()
    assert change.changes == {"amount": ["4200000", "4300000"]}


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, run_import, org):
    path = write(
        tmp_path / "quotas.csv",
        "period,rep,team,amount\n"
        "FY 2026,rep,,1000\n"
        "Q5 2026,rep,,12\n"
        "FY 2026,nobody,,5\n"
        "FY 2026,,Nowhere,5\n"
        "FY 2026,rep,,-3\n"
        "FY 2026,rep,,1000\n",
    )
    code, report = run_import("quotas", path)
    assert code == 1 and report["committed"] is False
    assert Quota.objects.count() == 0
    errors = {(e["row"], e["column"]): e["message"] for e in report["errors"]}
    assert "is not a period" in errors[(3, "period")]
    assert "no rep with that username or name" in errors[(4, "rep")]
    assert "team “Nowhere” not found" in errors[(5, "team")]
    assert "cannot be less than 0" in errors[(6, "amount")]
    assert "the same record as row 2" in errors[(7, "period")]


def test_a_crm_quota_report_is_understood_and_export_then_import_changes_nothing(
    tmp_path, run_import, org
):
    from io import StringIO

    from django.core.management import call_command

    path = write(
        tmp_path / "quota report.csv",
        "Fiscal Period,Quota Owner,Sales Team,Quota Amount (USD)\n"
        "FY 2026,rep@example.com,,900000\n"
        "Q2 FY 2026,,Enterprise,1000000\n",
    )
    code, report = run_import("quotas", path)
    assert code == 0 and report["created"] == 2
    assert Quota.objects.get(rep=org.rep).amount == 900_000
    out = tmp_path / "export.csv"
    call_command("export", "quotas", "-o", str(out), stdout=StringIO())
    assert out.read_text().splitlines()[0] == "period,level,rep,team,amount"
    code, report = run_import("quotas", out)
    assert code == 0 and (report["created"], report["updated"], report["unchanged"]) == (0, 0, 2)


def test_reps_named_by_full_name_and_a_repeated_row_named_in_words(tmp_path, run_import, org):
    org.rep.first_name, org.rep.last_name = "Amir", "Bianchi"
    org.rep.save()
    org.rep2.first_name, org.rep2.last_name = "Ines", "Schmidt"
    org.rep2.save()
    org.other.first_name, org.other.last_name = "Ines", "Schmidt"
    org.other.save()
    path = write(
        tmp_path / "quotas.csv",
        "Period,Rep,Team,Amount\n"
        'FY 2026,Amir Bianchi,,"1,200,000"\n'
        "\n"
        'FY 2026,rep,,"1,200,000"\n'
        'FY 2026,Ines Schmidt,,"900,000"\n',
    )
    code, report = run_import("quotas", path, "--dry-run")
    errors = {e["row"]: e for e in report["errors"]}
    assert set(errors) == {4, 5}
    # The repeated row says whose quota it is, not the rep's id.
    assert errors[4]["value"] == "FY 2026 / Amir Bianchi (rep)"
    assert "the same record as row 2" in errors[4]["message"]
    assert (
        "2 people are called “Ines Schmidt”: give the username or email" in (errors[5]["message"])
    )


def test_a_messy_file_names_the_unknown_rep_by_its_line_and_writes_nothing(
    tmp_path, run_import, org
):
    """Blank and whitespace-only lines, amounts with thousands separators, a rep by full
    name beside one by username, and one rep nobody knows: the error names that line of
    the file, and none of the good rows is written until it is fixed."""
    org.rep2.first_name, org.rep2.last_name = "Ines", "Schmidt"
    org.rep2.save()
    messy = (
        "Period,Rep,Team,Amount\n"
        "\n"
        'FY 2026,rep,,"4,230,000"\n'
        "   \n"
        'FY 2026,Ines Schmidt,,"1,500,000"\n'
        'FY 2026,Zed Nobody,,"900,000"\n'
    )
    path = write(tmp_path / "quotas.csv", messy)
    code, report = run_import("quotas", path)
    assert code == 1 and report["committed"] is False
    assert [(e["row"], e["column"], e["message"]) for e in report["errors"]] == [
        (6, "rep", "no rep with that username or name (people are added on the People page)")
    ]
    assert Quota.objects.count() == 0
    path.write_text(messy.replace('FY 2026,Zed Nobody,,"900,000"\n', ""))
    code, report = run_import("quotas", path)
    assert code == 0 and report["created"] == 2
    assert Quota.objects.get(rep=org.rep).amount == Decimal("4230000")
    assert Quota.objects.get(rep=org.rep2).amount == Decimal("1500000")

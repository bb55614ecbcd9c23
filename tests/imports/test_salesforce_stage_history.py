"""Salesforce: ``OpportunityHistory.csv``, when the export has it, is each deal's stage
history — the stages it went through and when — so win rates by stage are learned from
every stage a closed deal reached, not just the stage it closed at. The file is optional;
a bad row is reported with its row, column, value and reason; re-importing changes
nothing."""

import csv
import datetime

import pytest

from keyplan.forecast.pipeline import win_rates
from keyplan.sales.models import Opportunity, OpportunityStageChange

pytestmark = pytest.mark.django_db

OPPORTUNITY = [
    "Id",
    "AccountId",
    "Name",
    "StageName",
    "Amount",
    "CreatedDate",
    "CloseDate",
    "IsClosed",
    "IsWon",
]
HISTORY = ["Id", "OpportunityId", "StageName", "CreatedDate", "Amount", "Probability", "CloseDate"]
ACME = "0015g00000AcmeAAB"
WON, LOST = "0065g00000Won01AAB", "0065g00000Lost1AAB"


def folder_with(tmp_path, history=None):
    folder = tmp_path / "export"
    folder.mkdir()
    files = {
        "Account.csv": [["Id", "Name"], [ACME, "Acme"]],
        "Opportunity.csv": [
            OPPORTUNITY,
            [
                WON,
                ACME,
                "Turbines",
                "Closed Won",
                "1000",
                "2026-01-05",
                "2026-05-01",
                "true",
                "true",
            ],
            [
                LOST,
                ACME,
                "Pumps",
                "Closed Lost",
                "500",
                "2026-02-01",
                "2026-04-01",
                "true",
                "false",
            ],
        ],
    }
    if history is not None:
        files["OpportunityHistory.csv"] = [HISTORY, *history]
    for name, rows in files.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    return folder


HISTORY_ROWS = [
    ["0085g00000H0001", WON, "Prospecting", "2026-01-05T09:00:00.000Z", "1000", "10", "2026-06-30"],
    ["0085g00000H0002", WON, "Proposal", "2026-02-10T14:30:00.000Z", "1000", "50", "2026-06-30"],
    # An amount change at the same stage: not a step.
    ["0085g00000H0003", WON, "Proposal", "2026-03-01T10:00:00.000Z", "1200", "50", "2026-05-31"],
    ["0085g00000H0004", WON, "Closed Won", "2026-05-01T16:00:00.000Z", "1000", "100", ""],
    ["0085g00000H0005", LOST, "Prospecting", "2026-02-01T09:00:00.000Z", "500", "10", ""],
    ["0085g00000H0006", LOST, "Closed Lost", "2026-04-01T09:00:00.000Z", "500", "0", ""],
]


def steps(name):
    deal = Opportunity.objects.get(name=name)
    return list(
        deal.stage_changes.order_by("changed_at").values_list(
            "from_stage", "to_stage", "probability", "changed_at__date"
        )
    )


def test_the_history_is_imported_as_each_deals_stages(tmp_path, run_import):
    folder = folder_with(tmp_path, HISTORY_ROWS)
    code, report = run_import("salesforce", folder)
    assert code == 0, report["errors"]
    history = report["files"][-1]
    assert history["file"] == "OpportunityHistory.csv" and history["kind"] == "stage_history"
    assert (history["rows"], history["created"], history["unchanged"]) == (6, 5, 1)
    assert steps("Turbines") == [
        ("", "Prospecting", 10, datetime.date(2026, 1, 5)),
        ("Prospecting", "Proposal", 50, datetime.date(2026, 2, 10)),
        ("Proposal", "Closed Won", 100, datetime.date(2026, 5, 1)),
    ]  # the snapshot keyplan took at import ("Closed Won", today) gave way to the history
    # Win rates learn from the stages reached: Proposal was reached by the won deal only.
    rates = win_rates(datetime.date(2025, 1, 1), datetime.date(2026, 10, 31))
    assert (rates.stages["Proposal"].won, rates.stages["Proposal"].closed) == (1, 1)
    assert (rates.stages["Prospecting"].won, rates.stages["Prospecting"].closed) == (1, 2)

    again, report = run_import("salesforce", folder)
    assert again == 0 and report["files"][-1]["created"] == 0
    assert OpportunityStageChange.objects.count() == 5


def test_without_the_file_the_folder_imports_as_before(tmp_path, run_import):
    code, report = run_import("salesforce", folder_with(tmp_path))
    assert code == 0
    assert [f["file"] for f in report["files"]] == ["Account.csv", "Opportunity.csv"]
    # keyplan records the stage each deal came in at, as of the import.
    assert [t for _f, t, _p, _d in steps("Turbines")] == ["Closed Won"]


def test_bad_rows_are_reported_by_row_column_value_and_reason(tmp_path, run_import):
    bad = [
        *HISTORY_ROWS,
        ["0085g00000H0007", "0065g00000NoSuchAAB", "Proposal", "2026-02-01", "1", "50", ""],
        ["0085g00000H0008", WON, "", "2026-02-01", "1", "50", ""],
        ["0085g00000H0009", WON, "Negotiation", "last Tuesday", "1", "75", ""],
        ["0085g00000H0010", WON, "Negotiation", "2026-04-01", "1", "175", ""],
    ]
    folder = folder_with(tmp_path, bad)
    code, report = run_import("salesforce", folder)
    assert code == 1
    errors = [(e["file"], e["row"], e["column"], e["value"]) for e in report["errors"]]
    assert errors == [
        ("OpportunityHistory.csv", 8, "OpportunityId", "0065g00000NoSuchAAB"),
        ("OpportunityHistory.csv", 9, "StageName", ""),
        ("OpportunityHistory.csv", 10, "CreatedDate", "last Tuesday"),
        ("OpportunityHistory.csv", 11, "Probability", "175"),
    ]
    messages = [e["message"] for e in report["errors"]]
    assert "not found: import it (Opportunity.csv) first" in messages[0]
    assert "is required" in messages[1]
    assert "is not a date and time" in messages[2]
    assert "0 to 100" in messages[3]
    assert Opportunity.objects.count() == 0  # the folder is all or nothing

    code, report = run_import("salesforce", folder, "--skip-invalid")
    # Exit code 1 says rows were rejected; the valid ones are imported.
    assert code == 1 and report["files"][-1]["created"] == 5, report["files"][-1]
    assert OpportunityStageChange.objects.exclude(external_id=None).count() == 5
    rejects = (folder / "OpportunityHistory.rejects.csv").read_text()
    assert "row 11: Probability: is a percentage: 0 to 100" in rejects

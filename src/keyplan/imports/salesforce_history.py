"""``OpportunityHistory.csv`` of a Salesforce export: each deal's stage history.

Salesforce writes a row to OpportunityHistory whenever a deal's stage, amount,
probability or close date changes (``OpportunityId``, ``StageName``, ``CreatedDate``,
``Amount``, ``Probability``, ``CloseDate``). keyplan keeps the rows where the **stage**
changed — per deal, in ``CreatedDate`` order, the first row and each row whose stage
differs from the one before — as ``OpportunityStageChange`` rows (from the previous
stage, to this one, when, the probability, by ``CreatedById`` when that user is known),
so win rates by stage are learned from every stage a closed deal reached. Rows that only
change an amount or a date are counted as unchanged.

The file is optional: a folder without it imports as before. Its rows refer to deals
imported before it (``Opportunity.csv`` of the same folder, or an earlier import). A bad
row (unknown deal, no stage, an unreadable date or probability) is reported with its row,
column, value and reason and written to ``OpportunityHistory.rejects.csv``; re-importing
the file changes nothing (rows are keyed by their ``Id``). The history a CRM kept
replaces the snapshots keyplan recorded when it imported those deals' current stages.
"""

import csv
import datetime
import time
from collections import defaultdict
from pathlib import Path

from keyplan.imports.engine import ImportReport
from keyplan.imports.kinds.base import RowError
from keyplan.imports.kinds.sales import opportunity_index
from keyplan.imports.kinds.users import user_index
from keyplan.imports.limits import shorten
from keyplan.imports.salesforce_folder import rows as source_rows
from keyplan.imports.salesforce_folder import short
from keyplan.imports.values import parse_date, parse_int
from keyplan.sales.models import Opportunity, OpportunityStageChange
from keyplan.sales.rollup import rollup_refresh

BATCH = 5000
MAX_LISTED = 1000
SOURCE = "Salesforce stage history"
COLUMNS = ("Id", "OpportunityId", "StageName", "CreatedDate", "Probability", "CreatedById")


def _when(text: str, date_format: str | None) -> datetime.datetime:
    s = text.strip()
    if not s:
        raise ValueError("is empty: the date and time of the change is needed")
    try:
        value = datetime.datetime.fromisoformat(s)
    except ValueError:
        try:
            value = datetime.datetime.combine(parse_date(s, date_format), datetime.time())
        except ValueError:
            raise ValueError(
                f"“{shorten(s)}” is not a date and time (Salesforce writes "
                "2024-03-01T10:22:33.000Z)"
            ) from None
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _clean(src: dict, deals, users, date_format, rejected_deals) -> tuple[dict, list[RowError]]:
    errors = []
    values = {"external_id": short(src.get("Id", "")) or None}
    deal = src.get("OpportunityId", "").strip()
    if not deal:
        errors.append(RowError("OpportunityId", "", "OpportunityId is required"))
    else:
        found = deals.find_external(deal)
        if found is None:
            row = rejected_deals.get(short(deal))
            errors.append(
                RowError(
                    "OpportunityId",
                    deal,
                    f"is row {row} of Opportunity.csv, which was rejected: fix that row first"
                    if row
                    else f"opportunity “{deal}” not found: import it (Opportunity.csv) first",
                )
            )
        values["opportunity_id"] = found
    stage = src.get("StageName", "").strip()
    if not stage:
        errors.append(RowError("StageName", "", "StageName is required"))
    elif len(stage) > 60:
        errors.append(RowError("StageName", stage, "is longer than 60 characters"))
    values["to_stage"] = stage
    try:
        values["changed_at"] = _when(src.get("CreatedDate", ""), date_format)
    except ValueError as exc:
        errors.append(RowError("CreatedDate", src.get("CreatedDate", ""), str(exc)))
    probability = src.get("Probability", "").strip()
    values["probability"] = None
    if probability:
        try:
            values["probability"] = parse_int(probability)
            if not 0 <= values["probability"] <= 100:
                raise ValueError("is a percentage: 0 to 100")
        except ValueError as exc:
            errors.append(RowError("Probability", probability, str(exc)))
    by = src.get("CreatedById", "").strip()
    values["changed_by_id"] = users.find_external(by) if by else None
    return values, errors


def import_history(
    path: Path,
    *,
    rejects_path: Path,
    options,
    rejected_deals: dict[str, int] | None = None,
    plan=None,
) -> ImportReport:
    """Read ``path`` and write its stage changes (the caller's transaction decides whether
    they are kept). ``rejected_deals``: id → row of the deals rejected in Opportunity.csv,
    so a history row of one says so instead of "not found". With a folder's ``plan``
    (``salesforce_plan``) nothing is written: the deals and users are the plan's, and the
    writes go into it."""
    started = time.monotonic()
    report = ImportReport(kind="stage_history", file=path.name)  # "stage history" in words
    if plan is not None:
        deals, users = plan.opportunities, plan.users
    else:
        deals, users = opportunity_index(), user_index()
    good: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    rejected: list[tuple[int, dict, str]] = []
    for number, src in source_rows(path):
        if (src.get("IsDeleted") or "").strip().lower() in ("true", "1", "yes"):
            continue
        if not any((v or "").strip() for v in src.values()):
            continue
        report.rows += 1
        values, errors = _clean(src, deals, users, options.date_format, rejected_deals or {})
        if errors:
            report.rejected += 1
            for e in errors:
                report.error_count += 1
                if len(report.errors) < MAX_LISTED:
                    report.errors.append(
                        {"row": number, "column": e.column, "value": e.value, "message": e.message}
                    )
                else:
                    report.errors_not_listed += 1
            rejected.append((number, src, "; ".join(f"{e.column}: {e.message}" for e in errors)))
            continue
        good[values["opportunity_id"]].append((number, values))
    to_create = _changes(good, report)
    if plan is None:
        _write(to_create)
    elif to_create:
        deals = {c.opportunity_id for c in to_create}
        plan.replace_snapshots(deals)
        plan.create(to_create)
        plan.rollup_deals.update(deals)
    if rejected:
        _write_rejects(rejects_path, rejected)
        report.rejects_file = str(rejects_path)
    report.committed = True  # unless the folder's transaction is rolled back
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _changes(good: dict, report: ImportReport) -> list[OpportunityStageChange]:
    """Per deal, in time order, the rows where the stage changed, not imported before (one
    query for the ids already imported)."""
    if not good:
        return []
    known = set(
        OpportunityStageChange.objects.filter(
            opportunity_id__in=[d for d in good if type(d) is int], external_id__isnull=False
        ).values_list("external_id", flat=True)
    )
    to_create = []
    for deal, entries in good.items():
        entries.sort(key=lambda e: (e[1]["changed_at"], e[0]))
        before = ""
        for _number, values in entries:
            values.pop("opportunity_id")
            stage = values["to_stage"]
            if stage == before or (values["external_id"] and values["external_id"] in known):
                report.unchanged += 1
                before = stage
                continue
            to_create.append(
                OpportunityStageChange(
                    opportunity_id=deal,
                    from_stage=before,
                    source=SOURCE,
                    **values,
                )
            )
            before = stage
    report.created = len(to_create)
    return to_create


def _write(to_create: list[OpportunityStageChange]) -> None:
    """One bulk insert per ``BATCH`` rows."""
    if not to_create:
        return
    # The CRM's history replaces the snapshots of the current stage keyplan recorded
    # when it imported these deals.
    OpportunityStageChange.objects.filter(
        opportunity_id__in={c.opportunity_id for c in to_create},
        external_id=None,
        source="import",
    ).delete()
    OpportunityStageChange.objects.bulk_create(to_create, batch_size=BATCH)
    accounts = set(
        Opportunity.objects.filter(pk__in={c.opportunity_id for c in to_create}).values_list(
            "account_id", flat=True
        )
    )
    rollup_refresh(account_ids=accounts)  # the win rates' cached analyses move on


def _write_rejects(path: Path, rejected: list[tuple[int, dict, str]]) -> None:
    headers = list(dict.fromkeys(h for _n, src, _m in rejected for h in src))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*headers, "error"])
        for number, src, message in rejected:
            writer.writerow([*(src.get(h, "") for h in headers), f"row {number}: {message}"])

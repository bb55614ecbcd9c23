"""Folder-level rules of a Salesforce import, applied across its files.

* An opportunity without an account is skipped (keyplan plans accounts and cannot place
  it), and so are its line items: they are counted as skipped, with the reason, not as
  errors.
* A reference resolves against the folder: each file is checked with the valid rows of
  the files before it in place, so one bad row in ``Account.csv`` does not make every
  later row that names a valid account fail. A reference to a row that was itself
  rejected says so ("… is row 3 of Account.csv, which was rejected") instead of "not
  found".
"""

import csv
from pathlib import Path

from keyplan.imports.engine import ImportReport
from keyplan.imports.kinds import KINDS
from keyplan.imports.kinds.base import field_label, salesforce_15
from keyplan.imports.sources import open_source

# Which Salesforce object a canonical reference column points at.
REFERENCES = {
    "account": "Account",
    "parent": "Account",
    "owner": "User",
    "manager": "User",
    "reports_to": "Contact",
    "product": "Product2",
    "opportunity": "Opportunity",
}


def rows(path: Path):
    source = open_source(path)
    header = None
    for number, values in source.rows():
        if header is None:
            header = [h.strip().lstrip("\ufeff") for h in values]
            continue
        yield number, dict(zip(header, values, strict=False))


def short(identifier: str) -> str:
    identifier = identifier.strip()
    return salesforce_15(identifier) or identifier


def _deleted(src: dict) -> bool:
    return (src.get("IsDeleted") or "").strip().lower() in ("true", "1", "yes")


def opportunities_without_account(path: Path | None) -> set[str]:
    """Ids (15-character form) of the opportunities that name no account."""
    if path is None:
        return set()
    return {
        short(src.get("Id", ""))
        for _number, src in rows(path)
        if not _deleted(src) and not src.get("AccountId", "").strip()
    }


def skipped_line_items(path: Path, skipped: set[str]) -> dict[int, tuple[str, dict]]:
    """Row number → (reason, row for the rejects file) for the line items of skipped
    opportunities."""
    if not skipped:
        return {}
    result = {}
    for number, src in rows(path):
        opportunity = src.get("OpportunityId", "").strip()
        if _deleted(src) or short(opportunity) not in skipped:
            continue
        result[number] = (
            f"its opportunity {opportunity} was skipped: it has no account",
            {
                "external_id": src.get("Id", ""),
                "product": src.get("Product2Id", "") or src.get("PricebookEntryId", ""),
                "date": src.get("ServiceDate", ""),
                "amount": src.get("TotalPrice", ""),
                "quantity": src.get("Quantity", ""),
                "opportunity": opportunity,
            },
        )
    return result


def with_skipped_rows(canonical_rows, skipped: dict[int, tuple[str, dict]]):
    """The canonical rows, with each skipped row present (not blank) so that the import
    counts it as skipped and writes it to the rejects file. Row numbers follow the
    source file: its first data row is row 2."""
    for number, row in enumerate(canonical_rows, start=2):
        yield skipped[number][1] if number in skipped else row


class Rejected:
    """The ids of rows rejected in the files imported so far, per Salesforce object."""

    def __init__(self):
        self.by_object: dict[str, dict[str, int]] = {}

    def learn(self, name: str, path: Path, report: ImportReport) -> None:
        numbers = {e["row"] for e in report.errors}
        if not numbers:
            return
        ids = self.by_object.setdefault(name, {})
        for number, src in rows(path):
            if number in numbers and src.get("Id", "").strip():
                ids[short(src["Id"])] = number

    def explain(self, report: ImportReport) -> None:
        """Reword "… not found" for references to rows rejected in an earlier file, in
        the report and in the rejects file."""
        reworded = {}
        kind_cls = KINDS.get(report.kind)
        for error in report.errors:
            target = REFERENCES.get(error["column"])
            row = self.by_object.get(target, {}).get(short(error["value"] or ""))
            if row is not None:
                message = (
                    f"{error['column']} “{error['value']}” is row {row} of {target}.csv, "
                    "which was rejected: fix that row first"
                )
                # The rejects file names the field as the engine wrote it: by its label.
                field = field_label(kind_cls, error["column"]) if kind_cls else error["column"]
                reworded[f"{field}: {error['message']}"] = f"{field}: {message}"
                error["message"] = message
        if reworded and report.rejects_file:
            _reword_rejects(Path(report.rejects_file), reworded)


def _reword_rejects(path: Path, reworded: dict[str, str]) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    for line in table[1:]:
        for old, new in reworded.items():
            line[-1] = line[-1].replace(old, new)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(table)

"""The Data Loader files of one export: ``Contact.csv``, ``Opportunity.csv``,
``Task.csv``, ``Event.csv``, ``skipped.csv`` and a ``README.txt`` saying how to load
them; written into a folder (the command line) or a zip (the API).

The four object files are data for Data Loader, not sheets for people: values are
written exactly as keyplan holds them (UTF-8, no byte-order mark, standard CSV quoting
for commas, quotes and line breaks). Escaping text that starts with ``=`` the way
keyplan's spreadsheet exports do (a leading apostrophe, see ``keyplan.core.cells``)
would load the apostrophe into Salesforce, and Salesforce never runs a text field as a
formula. The README warns how many such values there are and says to open the files in
a text editor, not a spreadsheet. ``skipped.csv`` is for people to read, so it is
escaped like every other keyplan export.
"""

import csv
import io
import zipfile
from pathlib import Path

from keyplan.core import words
from keyplan.core.cells import csv_row, needs_quote
from keyplan.core.words import plural
from keyplan.crm.salesforce_rows import FILES, HEADERS, OBJECT, Changes

SKIPPED = "skipped.csv"
README = "README.txt"
NAMES = [*FILES, SKIPPED, README]


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _formula_like(changes: Changes) -> int:
    return sum(
        1
        for rows in changes.files.values()
        for row in rows
        for value in row.values()
        if value and needs_quote(value)
    )


def readme(changes: Changes) -> str:
    since = (
        f"Changes since {words.moment(changes.since)}."
        if changes.since
        else "Everything keyplan made, whenever it changed."
    )
    lines = [
        "keyplan: changes back to Salesforce",
        f"Written {words.moment(changes.at)}. {since}",
        "",
        "Load with Salesforce Data Loader, in this order. For each file choose the",
        "operation Upsert on the object named, and Keyplan_Id__c as the field to match on.",
        "Rows with an Id are records Salesforce already has (they are updated); rows",
        "without one are new (they are inserted). Loading a file twice changes nothing.",
        "",
    ]
    for number, name in enumerate(FILES, start=1):
        rows = changes.files[name]
        updates = sum(1 for r in rows if r["Id"])
        detail = (
            f"{plural(len(rows) - updates, 'new record')}, {plural(updates, 'update')}"
            if rows
            else "nothing to load"
        )
        lines.append(
            f"{number}. {name:<16} Upsert {OBJECT[name]:<12} on Keyplan_Id__c: "
            f"{plural(len(rows), 'row')} ({detail})"
        )
    lines += [
        "",
        f"{SKIPPED}: {plural(len(changes.skipped), 'item')} keyplan could not send, each with",
        "the reason (most often: its account has no Salesforce id yet). The next export",
        "sends them again, changed or not, once the reason is gone.",
        "",
        "Once, before the first load: create a custom field Keyplan_Id__c (Text, 40,",
        "External ID, Unique) on Contact, Opportunity, Task (Activity) and Event, and add",
        "it to the fields of the weekly data export, so that the next Salesforce import",
        "into keyplan learns the Id each of these records was given.",
        "",
        "Data Loader settings: Read all CSVs with UTF-8 encoding; dates are YYYY-MM-DD,",
        "booleans true/false. An empty cell leaves that field as it is in Salesforce",
        "(unless Insert null values is on). A row with no OwnerId is owned by whoever",
        "loads it: that person has no Salesforce user id in keyplan.",
    ]
    formula_like = _formula_like(changes)
    if formula_like:
        lines += [
            "",
            f"{plural(formula_like, 'value')} {'begins' if formula_like == 1 else 'begin'} "
            "with =, +, - or @. They are written as",
            "they are, because Salesforce stores them as text. Open these files in a text",
            "editor or Data Loader, not in a spreadsheet, which would run them as formulas.",
        ]
    return "\r\n".join(lines) + "\r\n"


def render(changes: Changes) -> dict[str, bytes]:
    """File name → its bytes."""
    files = {
        name: _csv(HEADERS[name], ([row[h] for h in HEADERS[name]] for row in rows))
        for name, rows in changes.files.items()
    }
    files[SKIPPED] = _csv(
        ["file", "Keyplan_Id__c", "name", "reason"],
        (csv_row([s.file, s.keyplan_id, s.name, s.reason]) for s in changes.skipped),
    )
    files[README] = readme(changes).encode("utf-8")
    return files


def existing_files(folder: Path) -> list[str]:
    """The export's file names already in ``folder`` (an earlier export's)."""
    if not folder.is_dir():
        return []
    present = {p.name.lower() for p in folder.iterdir()}
    return [name for name in NAMES if name.lower() in present]


def write_folder(changes: Changes, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in render(changes).items():
        (folder / name).write_bytes(data)


def zip_bytes(changes: Changes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in render(changes).items():
            archive.writestr(name, data)
    return out.getvalue()

"""How a file writes what can be read two ways — the decimal mark and the order of day
and month — learnt from the file's own values before its rows are cleaned."""

from keyplan.imports.values import date_evidence, decimal_evidence

# The fields whose values show how the file writes numbers and dates.
_NUMBER_FIELDS = ("amount", "quantity", "annual_revenue", "list_price", "employees")
_DATE_FIELDS = ("date", "close_date", "created_date")


def file_conventions(rows, columns, *, typed_numbers: bool) -> dict[str, str | None]:
    """How the file writes what can be read two ways, as its own values show it: the
    decimal mark ("," for ``1.234,56``, "." for ``1,234.56``) and the order of day and
    month ("mdy" when a date such as 11/30/2025 shows it). The first value that shows one
    decides; None when no value does (then ambiguous values are read as before, or
    refused)."""
    found: dict[str, str | None] = {"decimal": None, "date": None}
    wanted = {
        "decimal": (
            [] if typed_numbers else [columns[n] for n in _NUMBER_FIELDS if n in columns],
            decimal_evidence,
        ),
        "date": ([columns[n] for n in _DATE_FIELDS if n in columns], date_evidence),
    }
    wanted = {what: spec for what, spec in wanted.items() if spec[0]}
    if not wanted:
        return found
    for _number, values in rows:
        for what, (indexes, evidence) in list(wanted.items()):
            for i in indexes:
                value = values[i] if i < len(values) else ""
                shown = evidence(value) if value else None
                if shown:
                    found[what] = shown
                    del wanted[what]
                    break
                if what == "date" and _iso_date(value):
                    # The file writes ISO dates, which say their order: nothing to learn,
                    # and no reason to read the rest of the file for it.
                    del wanted[what]
                    break
        if not wanted:
            break
    return found


def _iso_date(text: str) -> bool:
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()

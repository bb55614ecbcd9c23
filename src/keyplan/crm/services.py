"""Exporting keyplan's changes for Salesforce: the one entry point the command line and
the API share."""

import datetime

from django.db import transaction
from django.utils import timezone

from keyplan.core import words
from keyplan.crm.models import SalesforceExport
from keyplan.crm.salesforce_rows import Changes, collect

# ``since`` when the caller names no time: from where the last export started.
SINCE_LAST = "last"
SINCE_ALL = "all"


class BadSince(ValueError):
    """A ``since`` that is not a date, a date and time, "all" or "last"."""


def parse_since(text: str | None, *, now: datetime.datetime | None = None):
    """``--since`` / ``?since=``: a date (the start of that day in the installation's
    time zone), a date and time (ISO; without a zone, the installation's), "all"
    (everything) or empty / "last" (since the last export). Never in the future."""
    text = (text or "").strip()
    if text.lower() in ("", SINCE_LAST):
        return SINCE_LAST
    if text.lower() == SINCE_ALL:
        return None
    try:
        if len(text) == 10:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time())
        else:
            moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise BadSince(
            f"“{text}” is not a date: give a date (2026-12-01), a date and time "
            "(2026-12-01T09:30), “all” for everything keyplan made, or nothing for "
            "the changes since the last export"
        ) from None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(datetime.UTC)  # the database compares in UTC
    except (ValueError, OverflowError):
        raise BadSince(f"“{text}” is not a time keyplan can compare with") from None
    if moment > (now or timezone.now()):
        raise BadSince(f"{words.moment(moment)} is in the future: nothing has changed since then")
    return moment


def last_export() -> SalesforceExport | None:
    return SalesforceExport.objects.order_by("-at", "-pk").first()


@transaction.atomic
def salesforce_export(*, since, user=None, via: str) -> Changes:
    """Collect what changed since ``since`` (a time, None for everything, or
    ``SINCE_LAST``: since the last export's start, everything when there was none), and
    record the export. ``user`` None is the command line (no visibility limit)."""
    at = timezone.now()
    last = last_export()
    if since == SINCE_LAST:
        since = last.at if last else None
    # What the last export skipped goes again even if it has not changed since: its
    # reason is usually elsewhere (the account got its Salesforce id in an import).
    retry = last.skipped if last and since is not None else []
    changes = collect(user=user, since=since, at=at, retry=retry)
    SalesforceExport.objects.create(
        at=at,
        since=since,
        user=user if getattr(user, "is_authenticated", False) else None,
        via=via,
        rows={**changes.counts(), "skipped.csv": len(changes.skipped)},
        skipped=[s.keyplan_id for s in changes.skipped],
    )
    return changes


def summary(changes: Changes) -> str:
    """One sentence on what the export holds, for the command line."""
    parts = [
        words.plural(len(changes.files["Contact.csv"]), "contact"),
        words.plural(len(changes.files["Opportunity.csv"]), "opportunity", "opportunities"),
        words.plural(len(changes.files["Task.csv"]), "task"),
        words.plural(len(changes.files["Event.csv"]), "event"),
    ]
    since = (
        f"changes since {words.moment(changes.since)}"
        if changes.since
        else "everything keyplan made"
    )
    text = f"{', '.join(parts)} ({since})"
    if changes.skipped:
        text += f"; {words.plural(len(changes.skipped), 'item')} skipped: see skipped.csv"
    return text

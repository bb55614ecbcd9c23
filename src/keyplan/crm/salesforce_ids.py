"""The round trip: a Salesforce export holds the records keyplan sent, each with the
``Keyplan_Id__c`` it was loaded with and the ``Id`` Salesforce gave it. Before a
Salesforce folder is imported, keyplan learns those ids:

* an opportunity or contact made in keyplan takes the Salesforce ``Id`` as its external
  id, so the import's own matching (by external id) updates it instead of creating a
  second one; the id is recorded in ``SalesforceId`` too (it says "made in keyplan", so
  the record keeps going out, as an update);
* an action, territory activity or logged interaction (Task and Event, which keyplan does
  not import) has its id recorded in ``SalesforceId``, so the next export sends it with
  its ``Id``.

A row whose ``Keyplan_Id__c`` names a keyplan record that already has another Salesforce
id, or whose ``Id`` already belongs to another keyplan record, is refused with the
reason (it would make a duplicate) and left out of the import.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from keyplan.accounts.models import Contact
from keyplan.crm.choices import ExportedKind
from keyplan.crm.models import SalesforceId
from keyplan.crm.salesforce_rows import keyplan_id, parse_keyplan_id
from keyplan.imports.kinds.base import salesforce_15
from keyplan.imports.salesforce_folder import rows as file_rows
from keyplan.sales.models import Opportunity

# Salesforce object → the kinds of keyplan record its rows may name, and the model of
# those whose Salesforce id is their external id.
NAMED = {
    "Opportunity": ({ExportedKind.OPPORTUNITY}, Opportunity),
    "Contact": ({ExportedKind.CONTACT}, Contact),
    "Task": ({ExportedKind.ACTION, ExportedKind.ACTIVITY, ExportedKind.INTERACTION}, None),
    "Event": ({ExportedKind.INTERACTION}, None),
}


@dataclass
class Learned:
    """What one folder taught: ids learned per object, and the rows refused (per object,
    row number → error) which the import leaves out."""

    learned: dict[str, int] = field(default_factory=dict)
    refused: dict[str, dict[int, dict]] = field(default_factory=dict)


def _same(a: str | None, b: str) -> bool:
    a = (a or "").strip()
    return a == b or (salesforce_15(a) or a) == (salesforce_15(b) or b)


def _deleted(src: dict) -> bool:
    return (src.get("IsDeleted") or "").strip().lower() in ("true", "1", "yes")


def _sent(path: Path, kinds: set[str]):
    """(row number, kind, keyplan record id, Salesforce id) of the rows keyplan sent."""
    for number, src in file_rows(path):
        named = parse_keyplan_id(src.get("Keyplan_Id__c", ""))
        sf = src.get("Id", "").strip()
        if named and named[0] in kinds and sf and not _deleted(src):
            yield number, named[0], named[1], sf


def sent_rows(files: dict[str, Path | None]) -> dict[str, list]:
    """The rows of ``files`` (Salesforce object name → its file in the folder, or None)
    that name a record keyplan sent, per object: only reads the files, so the import
    calls it before it takes the write lock."""
    found = {}
    for name, (kinds, _model) in NAMED.items():
        path = files.get(name)
        if path is not None:
            found[name] = list(_sent(path, kinds))
    return found


def learn_salesforce_ids(sent: dict[str, list], plan=None) -> Learned:
    """Learn the ids of the records keyplan sent (``sent_rows`` of the folder's files).
    Call inside the import's transaction — or, with a folder's ``plan``
    (``keyplan.imports.salesforce_plan``), before it: the records to change are read and
    decided now, remembered as read, and given to the plan (its kinds then find them by
    their Salesforce id), and the writes are the plan's."""
    result = Learned()
    for name, (_kinds, model) in NAMED.items():
        rows = sent.get(name)
        if not rows:
            continue
        if model is None:
            if plan is None:
                result.learned[name] = _record(rows)
            else:
                plan.ops.append(lambda rows=rows: _record(rows))
                result.learned[name] = len(rows)
        else:
            count, refused = _attach(model, rows, plan)
            result.learned[name] = count
            if refused:
                result.refused[name] = refused
    return result


def _record(sent) -> int:
    SalesforceId.objects.bulk_create(
        [SalesforceId(kind=kind, record_id=pk, salesforce_id=sf) for _n, kind, pk, sf in sent],
        update_conflicts=True,
        unique_fields=["kind", "record_id"],
        update_fields=["salesforce_id", "learned_at"],
        batch_size=2000,
    )
    return len(sent)


def _attach(model, sent, plan=None) -> tuple[int, dict[int, dict]]:
    """Give each record made in keyplan the Salesforce id it was given."""
    label = model._meta.verbose_name
    records = model.objects.in_bulk([pk for _n, _k, pk, _sf in sent])
    ids = {sf for *_rest, sf in sent} | {salesforce_15(sf) or sf for *_rest, sf in sent}
    taken = {}
    for pk, external in model.objects.filter(external_id__in=ids).values_list("pk", "external_id"):
        taken[external] = pk
        taken.setdefault(salesforce_15(external) or external, pk)
    refused, changed, links = {}, [], []
    now = timezone.now()
    for number, kind, pk, sf in sent:
        kid = keyplan_id(kind, pk)
        record = records.get(pk)
        owner = taken.get(sf, taken.get(salesforce_15(sf) or sf))
        message = None
        if record is None:
            continue  # deleted in keyplan since: the row imports as Salesforce's record
        if record.external_id and not _same(record.external_id, sf):
            message = (
                f"names keyplan {label} {pk} (“{record}”), which is Salesforce's "
                f"{record.external_id}, not {sf}: one keyplan record loaded twice? Keep one "
                "of the two in Salesforce"
            )
        elif owner is not None and owner != pk:
            message = (
                f"Salesforce's {sf} is keyplan {label} {owner} already, and this row names "
                f"keyplan {label} {pk} (“{record}”) too: merge the two in keyplan first"
            )
        if message:
            refused[number] = {"row": number, "column": "Keyplan_Id__c", "value": kid}
            refused[number]["message"] = message
            continue
        links.append((number, ExportedKind(kind), pk, sf))
        if not record.external_id:
            if plan is not None:
                plan.expect(record)
                plan.learned[(model, sf)] = record
                index = plan.opportunities if model is Opportunity else plan.contacts
                index.add(pk, sf, None)
            record.external_id = sf
            record.version += 1  # an API client holding the old version must reload
            record.updated_at = now  # bulk_update does not set auto_now fields
            changed.append(record)
    if plan is not None:
        if changed:
            plan.update(changed, ["external_id", "version", "updated_at"])
        if links:
            plan.ops.append(lambda: _record(links))
        return len(links), refused
    if changed:
        model.objects.bulk_update(changed, ["external_id", "version", "updated_at"])
    if links:
        _record(links)
    return len(links), refused

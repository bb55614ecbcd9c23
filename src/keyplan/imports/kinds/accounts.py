"""accounts: the customer organisations and their hierarchy."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection

from keyplan.accounts.choices import AccountKind
from keyplan.accounts.models import Account, AccountLineage
from keyplan.accounts.services import lineage_rebuild
from keyplan.imports.kinds.base import (
    Cleaner,
    Counts,
    Field,
    Index,
    New,
    RowError,
    changed_fields,
    choice,
    link_differs,
    real,
    record_of,
    resolve_references,
    salesforce_15,
    stored_ids,
)
from keyplan.imports.kinds.graph import find_cycles
from keyplan.imports.kinds.users import user_index
from keyplan.imports.values import normalise_key, parse_decimal, parse_int

_url = URLValidator()
_CENT = Decimal("0.01")


def account_index() -> Index:
    index = Index("account")
    rows = Account.objects.values_list("pk", "external_id", "name").iterator(chunk_size=10000)
    for pk, external_id, name in rows:
        index.add(pk, external_id, name)
    return index


class SelfReferences:
    """A kind whose rows point at rows of the same kind (parent account, reports-to,
    manager): a pre-pass learns which records the file defines and how it links them, so
    a row may point at a row further down the file and cycles are refused up front."""

    ref_column = ""

    def __init__(self):
        self.file_keys: dict[str, str] = {}
        self.file_edges: dict[str, str] = {}
        self.cyclic: set[str] = set()
        self.links: list[tuple[int, int, str]] = []  # (row, pk, reference text)

    def node(self, row: dict) -> str:
        raise NotImplementedError

    def keys_of(self, row: dict) -> list[str]:
        raise NotImplementedError

    def scan(self, row: dict) -> None:
        node = self.node(row)
        for key in self.keys_of(row):
            self.file_keys.setdefault(key, node)
        ref = row.get(self.ref_column, "").strip()
        if ref:
            self.file_edges[node] = ref

    def in_file(self, ref: str) -> str | None:
        found = self.file_keys.get(f"x:{ref}")
        if found is None and salesforce_15(ref):
            found = self.file_keys.get(f"x:{ref[:15]}")
        return found or self.file_keys.get(f"n:{normalise_key(ref)}")

    @staticmethod
    def external_keys(external_id: str) -> list[str]:
        """An id and, for an 18-character Salesforce id, its 15-character form."""
        keys = [f"x:{external_id}"]
        if salesforce_15(external_id):
            keys.append(f"x:{external_id[:15]}")
        return keys

    def end_scan(self) -> None:
        edges = {}
        for node, ref in self.file_edges.items():
            target = self.in_file(ref)
            if target is None:
                try:
                    pk = self.index.find(ref)
                except LookupError:
                    pk = None
                target = self.db_node(pk) if pk else None
            if target:
                edges[node] = target
        self.cyclic = find_cycles(edges, self.existing_edges(edges)) if edges else set()

    def db_node(self, pk: int) -> str:
        """The node of a database record: the file's node when the file redefines it."""
        return self.redefined.get(pk, f"pk:{pk}")

    @property
    def redefined(self) -> dict[int, str]:
        if not hasattr(self, "_redefined"):
            self._redefined = {}
            for key, node in self.file_keys.items():
                if key.startswith("x:"):
                    pk = self.index.find_external(key[2:])
                    if pk:
                        self._redefined.setdefault(pk, node)
        return self._redefined

    def existing_edges(self, edges: dict) -> dict:
        return {}

    def check_reference(self, cleaner: Cleaner, target: str) -> None:
        column = self.ref_column
        if not cleaner.has(column):
            return
        ref = cleaner.raw(column)
        if ref and self.node(cleaner.row) in self.cyclic:
            cleaner.fail(column, f"“{ref}” would make a cycle")
            return
        if ref and not self.in_file(ref):
            try:
                self.index.find_or_error(column, ref)
            except RowError as exc:
                cleaner.errors.append(exc)
                return
        cleaner.values[target] = ref

    def link_differs(self, current_id: int | None, ref: str) -> bool:
        """Would pointing at ``ref`` change the record's current link?"""
        return link_differs(self.index, current_id, ref)

    def upsert(self, batch, *, model, match, ref_key: str, link_field: str, on_create) -> Counts:
        """Create or update a batch: ``match(values)`` finds the existing record or None;
        changed fields are updated in bulk; links to same-kind records are kept in
        ``self.links`` and set once every row is written. ``on_create(key, record)``
        learns each new record with its key (its id once written; see ``created``)."""
        counts = Counts()
        to_create, to_update, update_fields = [], [], set()
        for number, values in batch:
            fields = {k: v for k, v in values.items() if not k.startswith("_")}
            ref = values.get(ref_key)
            obj = match(values)
            if obj is None:
                obj = model(**fields)
                to_create.append((number, obj, ref))
                self.created(number, obj, ref, on_create)
                counts.created += 1
                continue
            key = self.matched(obj)
            changed = changed_fields(obj, fields)
            moves = ref is not None and self.link_differs(getattr(obj, f"{link_field}_id"), ref)
            if changed:
                for name in changed:
                    setattr(obj, name, fields[name])
                obj.version += 1  # an API client holding the old version must reload
                if not isinstance(key, New):  # not one the batches before only planned
                    to_update.append(obj)
                    update_fields.update([*changed, "version"])
            if moves:
                self.links.append((number, key, ref))
            if changed or moves:
                counts.updated += 1
            else:
                counts.unchanged += 1
        self.store(model, to_create, to_update, update_fields, on_create)
        return counts

    def created(self, number: int, obj, ref, on_create) -> None:
        """A row makes a new record (written, and learned, in ``store``)."""

    def matched(self, obj):
        """A row matches ``obj``, before it changes it: the record's key."""
        return obj.pk

    def store(self, model, to_create, to_update, update_fields, on_create) -> None:
        if to_create:
            model.objects.bulk_create([obj for _, obj, _ in to_create], batch_size=2000)
            for number, obj, ref in to_create:
                on_create(obj.pk, obj)
                if ref:
                    self.links.append((number, obj.pk, ref))
        if to_update:
            model.objects.bulk_update(to_update, sorted(update_fields), batch_size=2000)

    def resolve_links(self, model, field: str) -> tuple[list, set[int]]:
        """After all rows are written: point each record at its referenced record (one
        plain ``UPDATE … WHERE id`` executemany; Django's bulk_update builds a CASE per
        row, which is slow for tens of thousands)."""
        errors, pairs = resolve_references(self.links, self.index, self.ref_column)
        if pairs:
            column = model._meta.get_field(field).column
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {model._meta.db_table} SET {column} = %s, version = version + 1 "
                    "WHERE id = %s",
                    pairs,
                )
        return errors, {pk for _target, pk in pairs}


class AccountsKind(SelfReferences):
    name = "accounts"
    model = Account
    ref_column = "parent"
    fields = (
        Field("external_id", "Id in the source system; the key for re-imports"),
        Field("name", "Account name", required=True),
        Field("parent", "External id or exact name of the parent account"),
        Field("level", "legal entity, business unit, division or budget centre"),
        Field("industry", "Industry"),
        Field("country", "Country"),
        Field("region", "Region"),
        Field("employees", "Number of employees (whole number)"),
        Field("annual_revenue", "The company's own yearly revenue"),
        Field("owner", "Username or email of the owning rep"),
        Field("website", "Website address"),
    )
    export_fields = (
        "external_id",
        "name",
        "parent",
        "level",
        "industry",
        "country",
        "region",
        "employees",
        "annual_revenue",
        "owner",
        "website",
    )

    def __init__(self, options):
        super().__init__()
        self.options = options
        self.index = account_index()
        self.users = user_index()
        self.touched: set[int] = set()

    def node(self, row):
        ext = row.get("external_id", "").strip()
        return f"x:{ext}" if ext else f"n:{normalise_key(row.get('name', ''))}"

    def keys_of(self, row):
        keys = []
        if row.get("external_id", "").strip():
            keys += self.external_keys(row["external_id"].strip())
        if row.get("name", "").strip():
            keys.append(f"n:{normalise_key(row['name'])}")
        return keys

    def existing_edges(self, edges):
        existing = {}
        rows = Account.objects.filter(parent__isnull=False).values_list("pk", "parent_id")
        for pk, parent_id in rows.iterator(chunk_size=10000):
            node = self.db_node(pk)
            if node not in edges:
                existing[node] = self.db_node(parent_id)
        return existing

    def clean(self, row: dict) -> dict:
        c = Cleaner(row)
        c.string("name", required=True)
        if c.has("external_id"):
            c.values["external_id"] = c.raw("external_id")[:64] or None
        self.check_reference(c, "_parent")
        if c.has("level"):
            c.set(
                "kind",
                lambda: (
                    choice(c.raw("level"), "level", AccountKind.choices)
                    if c.raw("level")
                    else AccountKind.LEGAL_ENTITY
                ),
            )
        for plain in ("industry", "country", "region"):
            c.string(plain, max_length=80)
        c.parsed("employees", parse_int, minimum=0)
        c.parsed("annual_revenue", parse_decimal, minimum=0)
        if c.values.get("annual_revenue") is not None:
            c.values["annual_revenue"] = c.values["annual_revenue"].quantize(_CENT)
        if c.has("owner"):
            c.set(
                "owner_id",
                lambda: (
                    self.users.find_or_error("owner", c.raw("owner")) if c.raw("owner") else None
                ),
            )
        if c.has("website"):
            c.set("website", lambda: _website(c.raw("website")))
        return c.done()

    def key(self, values: dict):
        return values.get("external_id") or ("name", normalise_key(values.get("name", "")))

    def write(self, batch: list[tuple[int, dict]]) -> Counts:
        pks = {}
        for number, values in batch:
            if values.get("external_id"):
                pks[number] = self.index.find_external(values["external_id"])
            else:
                try:
                    pks[number] = self.index.find(values["name"])
                except LookupError:
                    pks[number] = None
        existing = Account.objects.in_bulk(stored_ids(pks.values()))
        by_values = {id(values): record_of(pks[number], existing) for number, values in batch}

        def created(key, account):
            self.index.add(key, account.external_id, account.name)
            self.touched.add(key)

        return self.upsert(
            batch,
            model=Account,
            match=lambda v: by_values[id(v)],
            ref_key="_parent",
            link_field="parent",
            on_create=created,
        )

    def finish(self) -> list:
        errors, moved = self.resolve_links(Account, "parent")
        if self.touched or moved:
            self.rebuild_lineage(self.touched, moved)
        return errors

    @staticmethod
    def rebuild_lineage(touched: set, moved: set) -> None:
        """The lineage of the new accounts (``touched``), of those with a new parent
        (``moved``) and of every account below those."""
        below = set(
            AccountLineage.objects.filter(ancestor_id__in=stored_ids(real(m) for m in moved))
            .values_list("descendant_id", flat=True)
            .iterator(chunk_size=10000)
        )
        lineage_rebuild(account_ids={real(a) for a in touched | moved} | below)

    def export_rows(self, queryset):
        qs = queryset.select_related("parent", "owner").order_by("pk")
        for a in qs.iterator(chunk_size=2000):
            yield [
                a.external_id or "",
                a.name,
                (a.parent.external_id or a.parent.name) if a.parent else "",
                a.get_kind_display(),
                a.industry,
                a.country,
                a.region,
                "" if a.employees is None else str(a.employees),
                "" if a.annual_revenue is None else str(a.annual_revenue),
                a.owner.username if a.owner else "",
                a.website,
            ]


def _website(raw: str) -> str:
    if not raw:
        return ""
    url = raw if "://" in raw else "https://" + raw
    try:
        _url(url)
    except ValidationError:
        raise RowError("website", raw, f"“{raw}” is not a web address") from None
    if len(url) > 200:
        raise RowError("website", raw, "is longer than 200 characters")
    return url

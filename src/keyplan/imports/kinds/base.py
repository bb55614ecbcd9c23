"""What every import kind shares: fields, row errors, reference resolution, upserts.

A kind (``accounts``, ``sales``, ...) declares its canonical fields and implements
``clean`` (one source row → values, or errors) and ``write`` (a batch of cleaned rows →
database, counting created / updated / unchanged). The engine does the rest.
"""

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from keyplan.imports.values import normalise_key

AMBIGUOUS = object()
_SF_CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_15(identifier: str) -> str | None:
    """The 15-character form of an 18-character Salesforce id, or None when the text is
    not one (its last three characters must be the checksum of the first fifteen), so that
    other systems' 18-character ids are never confused with each other."""
    if len(identifier) != 18 or not identifier.isalnum():
        return None
    base = identifier[:15]
    checksum = ""
    for chunk in (base[0:5], base[5:10], base[10:15]):
        bits = sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")
        checksum += _SF_CHECKSUM[bits]
    return base if checksum == identifier[15:] else None


@dataclass(frozen=True)
class Field:
    """A field of an import kind. ``name`` is its code (what ``--map``, saved mappings and
    the API's reports use); ``label`` is what people read: the mapping page and every
    message naming the field say it the same way."""

    name: str
    help: str
    required: bool = False
    label: str = ""

    def __post_init__(self):
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " ").capitalize())


def field_label(kind_cls, name: str) -> str:
    """The label of ``kind_cls``'s field ``name``; other names (a file's own column, "all
    columns") as they are."""
    for f in kind_cls.fields:
        if f.name == name:
            return f.label
    return name


def field_code(kind_cls, text: str) -> str | None:
    """The field that ``text`` names by its code or its label (any case), or None."""
    key = normalise_key(text).replace("_", " ")
    for f in kind_cls.fields:
        if key in (normalise_key(f.name).replace("_", " "), normalise_key(f.label)):
            return f.name
    return None


@dataclass
class RowError(Exception):
    """One thing wrong with one cell: reported with the row number by the engine."""

    column: str
    value: str
    message: str


@dataclass
class Options:
    """Options of one import run that kinds need."""

    date_format: str | None = None
    stage_map: dict[str, str] = field(default_factory=dict)
    user = None  # who runs the import (None from the command line: no visibility limit)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "Counts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


class Index:
    """Finds a record by external id first, then by exact name (case- and
    whitespace-insensitive), as every reference in an import does. Records created
    earlier in the same import are added as they are written."""

    def __init__(self, label: str):
        self.label = label
        self.by_external: dict[str, int] = {}
        self.by_name: dict[str, Any] = {}
        self.names: dict[str, str] = {}

    def add(self, pk: int, external_id: str | None, name: str | None) -> None:
        if external_id:
            self.by_external[external_id] = pk
            short = salesforce_15(external_id)
            if short:
                # Salesforce: an 18-character id is the 15-character one plus a checksum.
                self.by_external.setdefault(short, pk)
        if name:
            key = normalise_key(name)
            existing = self.by_name.get(key)
            self.by_name[key] = pk if existing in (None, pk) else AMBIGUOUS
            self.names.setdefault(key, name)

    def find_external(self, text: str) -> int | None:
        pk = self.by_external.get(text)
        if pk is None and salesforce_15(text):
            pk = self.by_external.get(text[:15])
        return pk

    def find(self, text: str) -> int | None:
        text = text.strip()
        pk = self.find_external(text)
        if pk is not None:
            return pk
        pk = self.by_name.get(normalise_key(text))
        if pk is AMBIGUOUS:
            raise LookupError(f"more than one {self.label} is called “{text}”; use its external id")
        return pk

    def resolve(self, column: str, text: str) -> int:
        pk = self.find_or_error(column, text)
        return pk

    def find_or_error(self, column: str, text: str) -> int:
        try:
            pk = self.find(text)
        except LookupError as exc:
            raise RowError(column, text, str(exc)) from None
        if pk is None:
            raise RowError(column, text, self.not_found(text))
        return pk

    def not_found(self, text: str) -> str:
        message = f"{self.label} “{text}” not found"
        if len(self.names) <= 20000:
            close = difflib.get_close_matches(
                normalise_key(text), self.names.keys(), n=1, cutoff=0.75
            )
            if close:
                message += f" — did you mean “{self.names[close[0]]}”?"
        return message


class New:
    """A record not written yet (a Salesforce folder's plan creates it when the folder is
    written): in an index and in rows in place of its id, which it has once written."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    @property
    def pk(self):
        return self.obj.pk

    def __repr__(self):
        return f"New({self.obj!r})"


def real(value):
    """An id as the database has it (a ``New``'s once it is written)."""
    return value.obj.pk if isinstance(value, New) else value


def stored_ids(values) -> list[int]:
    """The ids among ``values`` of records the database has (not ``New``, not None)."""
    return [v for v in values if type(v) is int]


def record_of(key, stored: dict):
    """The record an index's ``key`` stands for: a ``New``'s own, else the one of
    ``stored`` (id → record, as ``in_bulk`` gives) with that id, or None."""
    return key.obj if isinstance(key, New) else stored.get(key)


def resolve_references(links, index: Index, column: str) -> tuple[list, list]:
    """Once every row is written (or planned): ``links`` of (row, record, reference text)
    as (target, record) pairs, the target None for an emptied reference; a reference
    that names no record, or more than one, is the row's error."""
    errors, pairs = [], []
    for number, pk, ref in links:
        target = None
        if ref:
            try:
                target = index.find_or_error(column, ref)
            except RowError as exc:
                errors.append((number, exc))
                continue
        pairs.append((target, pk))
    return errors, pairs


def link_differs(index: Index, current_id, ref: str) -> bool:
    """Would pointing a record at ``ref`` (a reference text; empty: at nothing) change
    its current link?"""
    if not ref:
        return current_id is not None
    try:
        return index.find(ref) != current_id
    except LookupError:
        return True


def text(row: dict[str, str], name: str) -> str:
    return row.get(name, "").strip()


def parse_cell(row: dict, name: str, parser: Callable, *, required: bool = False, **kw):
    """Parse one cell; an empty optional cell is None, an empty required one is an error."""
    raw = text(row, name)
    if not raw:
        if required:
            raise RowError(name, "", "is required")
        return None
    try:
        return parser(raw, **kw)
    except ValueError as exc:
        raise RowError(name, raw, str(exc)) from None


def choice(raw: str, column: str, choices, aliases: dict[str, str] | None = None) -> str:
    """Match a choice by its value or label, case-insensitively, or by an alias."""
    key = normalise_key(raw).replace("-", " ").replace("_", " ")
    for value, label in choices:
        if key in (normalise_key(value).replace("_", " "), normalise_key(str(label))):
            return value
    if aliases and key in aliases:
        return aliases[key]
    allowed = ", ".join(str(label) for _, label in choices)
    raise RowError(column, raw, f"“{raw}” is not one of: {allowed}")


def changed_fields(instance, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(instance, name) != value]


class ErrorList(Exception):
    """All that is wrong with one row."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


class Cleaner:
    """Collects a row's values and every error in it (not just the first).

    Only columns present in the file are set: a file without an ``industry`` column
    leaves industries alone, while an empty cell in a present column empties the field.
    """

    def __init__(self, row: dict[str, str]):
        self.row = row
        self.values: dict = {}
        self.errors: list[RowError] = []

    def has(self, name: str) -> bool:
        return name in self.row

    def raw(self, name: str) -> str:
        return text(self.row, name)

    def set(self, target: str, compute: Callable[[], Any]) -> None:
        try:
            self.values[target] = compute()
        except RowError as exc:
            self.errors.append(exc)

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(column, self.raw(column), message))

    def string(
        self, name: str, *, target: str | None = None, max_length: int = 255, required: bool = False
    ) -> None:
        if not self.has(name) and not required:
            return
        value = " ".join(self.raw(name).split())
        if required and not value:
            self.fail(name, "is required")
        elif len(value) > max_length:
            self.fail(name, f"is longer than {max_length} characters")
        else:
            self.values[target or name] = value

    def parsed(
        self,
        name: str,
        parser: Callable,
        *,
        target: str | None = None,
        required: bool = False,
        minimum=None,
        **kw,
    ) -> None:
        if not self.has(name) and not required:
            return

        def compute():
            value = parse_cell(self.row, name, parser, required=required, **kw)
            if value is not None and minimum is not None and value < minimum:
                raise RowError(name, self.raw(name), f"cannot be less than {minimum}")
            return value

        self.set(target or name, compute)

    def email(self, name: str = "email") -> None:
        if not self.has(name):
            return
        value = self.raw(name)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.fail(name, f"“{value}” is not an email address")
                return
        self.values[name] = value

    def done(self) -> dict:
        if self.errors:
            raise ErrorList(self.errors)
        return self.values


class SkipRow(Exception):
    """A valid record of the source system that keyplan has no place for (an opportunity
    without an account): not an error, so it does not fail the import; it is counted as
    skipped, with its reason, and written to the rejects file."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class WriteErrors(Exception):
    """Rows refused while writing a batch; ``counts`` is what the rest of the batch did."""

    def __init__(self, errors: list[tuple[int, RowError]], counts: Counts):
        super().__init__(errors)
        self.errors = errors
        self.counts = counts


class StaleImport(Exception):
    """What a file was checked against changed before it could be written (an account it
    names was deleted, someone else added or changed records): nothing is written, and
    the message says what changed and what to do."""

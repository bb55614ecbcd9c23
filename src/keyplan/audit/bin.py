"""The recycle bin. A delete of an account, contact, opportunity or plan part really
deletes (so no query anywhere has to learn to skip deleted rows), but first keeps a full
serialized copy of the record and of everything that goes with it (collected the way
Django's delete collects them) in a ``DeletedRecord``. Restore puts them all back in one
transaction, or refuses with a sentence; after ``RETENTION_DAYS`` the copy is purged."""

import datetime
from collections import Counter, defaultdict

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from keyplan.audit.choices import AuditAction
from keyplan.audit.events import audit_record
from keyplan.audit.models import DeletedRecord
from keyplan.core.words import plural

RETENTION_DAYS = 30

# Derived tables: recomputed from the facts after a delete or restore, never copied.
DERIVED = {"sales.salesmonth", "sales.salesyear"}
# Bookkeeping that goes and comes back with the record but is not worth naming.
UNNAMED = {"accounts.accountlineage"}


def _collect(obj) -> Collector:
    collector = Collector(using=router.db_for_write(type(obj), instance=obj))
    collector.collect([obj])
    return collector


def _collected(collector: Collector) -> dict:
    """{model: [instances]} of everything the delete removes, fast deletes included."""
    found: dict = defaultdict(dict)
    for model, instances in collector.data.items():
        for item in instances:
            found[model][item.pk] = item
    for qs in collector.fast_deletes:
        for item in qs:
            found[qs.model][item.pk] = item
    return {
        model: list(items.values())
        for model, items in found.items()
        if model._meta.label_lower not in DERIVED
    }


def _named_counts(collected: dict, root) -> list[tuple[str, int]]:
    counts = []
    for model, items in collected.items():
        meta = model._meta
        if meta.auto_created or meta.label_lower in UNNAMED:
            continue
        n = len([i for i in items if not (model is type(root) and i.pk == root.pk)])
        if n:
            counts.append((str(meta.verbose_name_plural), str(meta.verbose_name), n))
    return sorted(counts)


def deletion_blocker(obj) -> str | None:
    """Why ``obj`` cannot be deleted at all (records that may not go with it and still
    point at it, e.g. an account's plans), as a sentence; None when it can."""
    try:
        _collect(obj)
    except (ProtectedError, RestrictedError) as error:
        blocking = getattr(error, "protected_objects", None) or error.restricted_objects
        counts = Counter(type(item)._meta for item in blocking)
        what = ", ".join(
            plural(n, str(meta.verbose_name), str(meta.verbose_name_plural))
            for meta, n in sorted(counts.items(), key=lambda kv: str(kv[0].verbose_name))
        )
        return (
            f"{obj} cannot be deleted while {what} depend{'s' if sum(counts.values()) == 1 else ''}"
            " on it (they are kept on purpose: move or delete them first)."
        )
    return None


def deletion_preview(obj) -> list[str]:
    """What else goes when ``obj`` is deleted, in words: ["3 contacts", "12 sale lines"];
    nothing when it cannot be deleted (``deletion_blocker`` says why)."""
    try:
        collector = _collect(obj)  # collected once: a large account's cascade is long
    except (ProtectedError, RestrictedError):
        return []
    return [
        plural(n, singular, plural_form)
        for plural_form, singular, n in _named_counts(_collected(collector), obj)
    ]


def _account_ids(collected: dict) -> list[int]:
    ids = set()
    for model, items in collected.items():
        label = model._meta.label_lower
        if label == "accounts.account":
            ids.update(i.pk for i in items)
        elif label in ("sales.saleline", "sales.opportunity"):
            ids.update(i.account_id for i in items)
    return sorted(ids)


def _refresh_rollup(account_ids) -> None:
    if account_ids:
        from keyplan.sales.rollup import rollup_refresh

        rollup_refresh(account_ids=account_ids)


@transaction.atomic
def soft_delete(*, obj, user, label: str = "") -> DeletedRecord:
    """Delete ``obj`` and everything that goes with it, keeping a restorable copy in the
    recycle bin and an audit event. Raises ProtectedError like ``delete()`` when something
    that may not go depends on it."""
    collector = _collect(obj)
    collected = _collected(collector)
    deleted = {(m._meta.label_lower, i.pk) for m, items in collected.items() for i in items}
    relinks = []
    for (field, _value), batches in collector.field_updates.items():
        model = field.model
        for batch in batches:
            pks = [i.pk for i in batch] if isinstance(batch, list | tuple | set) else None
            rows = (
                model._base_manager.filter(pk__in=pks) if pks is not None else batch
            ).values_list("pk", field.attname)
            for pk, value in rows:
                if (model._meta.label_lower, pk) not in deleted:
                    relinks.append([model._meta.label_lower, field.attname, pk, value])
    named = _named_counts(collected, obj)
    account_ids = _account_ids(collected)
    snapshot = []
    for items in collected.values():
        snapshot.extend(serializers.serialize("python", items))
    label = (label or str(obj))[:255]
    summary = "With it: " + ", ".join(plural(n, s, p) for p, s, n in named) + "." if named else ""
    record = DeletedRecord.objects.create(
        deleted_by=user if getattr(user, "pk", None) else None,
        object_type=obj._meta.verbose_name.capitalize(),
        object_id=str(obj.pk),
        object_label=label,
        summary=summary,
        snapshot=_jsonable(snapshot),
        relinks=relinks,
        account_ids=account_ids,
    )
    audit_record(
        action=AuditAction.DELETED,
        user=user,
        obj=obj,
        object_label=label,
        summary=summary or "Nothing else went with it.",
    )
    obj.delete()
    _refresh_rollup(account_ids)
    return record


def _jsonable(python_objects: list) -> list:
    """The "python" serializer's output as plain JSON (dates, decimals as text), the same
    form the "json" deserializer reads back."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(python_objects, cls=DjangoJSONEncoder))


def _missing_parent(objects) -> str | None:
    """The first reference in the copy to a record that exists neither in the database nor
    in the copy, as a sentence; None when all are there."""
    present = defaultdict(set)
    for d in objects:
        present[type(d.object)._meta.label_lower].add(d.object.pk)
    wanted = defaultdict(dict)
    for d in objects:
        for field in type(d.object)._meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one):
                value = getattr(d.object, field.attname)
                target = field.related_model
                if value is not None and value not in present[target._meta.label_lower]:
                    wanted[target].setdefault(value, (d.object, field))
    for target, refs in wanted.items():
        existing = set(target._base_manager.filter(pk__in=list(refs)).values_list("pk", flat=True))
        for pk, (owner, field) in refs.items():
            if pk not in existing:
                return (
                    f"its {field.verbose_name} ({target._meta.verbose_name} #{pk}) no longer "
                    f"exists (needed by {type(owner)._meta.verbose_name} “{owner}”); restore "
                    "or recreate that first."
                )
    return None


def restore_refusal(record: DeletedRecord) -> str | None:
    objects = list(serializers.deserialize("python", record.snapshot, ignorenonexistent=True))
    reason = _missing_parent(objects)
    return f"{record.object_label} cannot be restored: {reason}" if reason else None


def restore(*, record: DeletedRecord, user) -> None:
    """Put the record and everything that went with it back, in one transaction; refuse
    with ValidationError (a sentence) when something it needs is gone or it clashes with a
    record created since."""
    try:
        with transaction.atomic():
            record = DeletedRecord.objects.select_for_update().get(pk=record.pk)
            objects = list(
                serializers.deserialize("python", record.snapshot, ignorenonexistent=True)
            )
            reason = _missing_parent(objects)
            if reason:
                raise ValidationError(f"{record.object_label} cannot be restored: {reason}")
            for d in objects:
                d.save(save_m2m=False)
            for label, attname, pk, value in record.relinks:
                apps.get_model(label)._base_manager.filter(pk=pk, **{attname: None}).update(
                    **{attname: value}
                )
            _refresh_rollup(record.account_ids)
            audit_record(
                action=AuditAction.RESTORED,
                user=user,
                object_type=record.object_type,
                object_id=record.object_id,
                object_label=record.object_label,
                summary=record.summary,
            )
            record.delete()
    except IntegrityError:
        raise ValidationError(
            f"{record.object_label} cannot be restored: it clashes with a record created "
            "since it was deleted (for example one with the same external id); rename or "
            "remove that one first."
        ) from None


def bin_visible_to(user):
    """Administrators and sales operations see the whole bin; others what they deleted."""
    qs = DeletedRecord.objects.select_related("deleted_by")
    return qs if user.manages_settings else qs.filter(deleted_by=user)


@transaction.atomic
def purge_deleted(*, now=None, days: int = RETENTION_DAYS) -> int:
    """Remove bin entries older than ``days``; returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = DeletedRecord.objects.filter(deleted_at__lt=cutoff)
    kinds = Counter(old.values_list("object_type", flat=True))
    count = old.count()
    if count:
        old.delete()
        audit_record(
            action=AuditAction.PURGED,
            summary=f"{plural(count, 'record')} older than {days} days purged from the "
            "recycle bin: " + ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items())) + ".",
        )
    return count

"""Writes to accounts. Every create, update and move of an account goes through here,
because the lineage closure table (and so visibility) must follow the hierarchy."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from keyplan.accounts.models import Account, AccountLineage
from keyplan.core.bulk import ANALYZE_AFTER, analyze

_BATCH = 5000
MAX_DEPTH = 30


@transaction.atomic
def account_create(**fields) -> Account:
    account = Account(**fields)
    account.full_clean()
    _check_parent(account, account.parent)
    account.depth = account.parent.depth + 1 if account.parent else 0
    account.save()
    _attach(account)
    return account


@transaction.atomic
def account_update(*, account: Account, **fields) -> Account:
    # The stored parent and depth, not the caller's copy: a copy read before someone
    # else moved the hierarchy would otherwise leave lineage and depth out of step.
    stored = (
        Account.objects.select_for_update()
        .values("parent_id", "depth", "version")
        .get(pk=account.pk)
    )
    old_parent_id = stored["parent_id"]
    account.depth = stored["depth"]
    account.version = stored["version"] + 1
    for name, value in fields.items():
        setattr(account, name, value)
    account.full_clean()
    if account.parent_id != old_parent_id:
        _check_parent(account, account.parent)
    account.save()
    if account.parent_id != old_parent_id:
        _move_subtree(account)
    return account


def _check_parent(account: Account, parent: Account | None) -> None:
    if parent is None:
        return
    # Depths below are counted from the parent's stored depth, not the caller's copy.
    parent.refresh_from_db(fields=["depth"])
    if account.pk is not None and (
        parent.pk == account.pk
        or AccountLineage.objects.filter(ancestor=account, descendant=parent).exists()
    ):
        raise ValidationError(
            {"parent": f"{parent} is {account} itself or sits under it; that would make a cycle."}
        )
    # A moved account brings its subtree along: the deepest account under it counts.
    height = 0
    if account.pk is not None:
        height = AccountLineage.objects.filter(ancestor=account).aggregate(h=Max("depth"))["h"]
    if parent.depth + 1 + (height or 0) > MAX_DEPTH:
        raise ValidationError(
            {"parent": f"Hierarchies deeper than {MAX_DEPTH} levels are refused."}
        )


def _attach(account: Account) -> None:
    rows = [AccountLineage(ancestor_id=account.pk, descendant_id=account.pk, depth=0)]
    if account.parent_id:
        rows += [
            AccountLineage(ancestor_id=anc_id, descendant_id=account.pk, depth=depth + 1)
            for anc_id, depth in AccountLineage.objects.filter(
                descendant_id=account.parent_id
            ).values_list("ancestor_id", "depth")
        ]
    AccountLineage.objects.bulk_create(rows)


def _move_subtree(account: Account) -> None:
    subtree = list(
        AccountLineage.objects.filter(ancestor=account).values_list("descendant_id", "depth")
    )
    subtree_ids = [d for d, _ in subtree]
    # Forget the links from the old ancestors (outside the subtree) into the subtree.
    AccountLineage.objects.filter(descendant_id__in=subtree_ids).exclude(
        ancestor_id__in=subtree_ids
    ).delete()
    new_ancestors = []
    base_depth = 0
    if account.parent_id:
        new_ancestors = list(
            AccountLineage.objects.filter(descendant_id=account.parent_id).values_list(
                "ancestor_id", "depth"
            )
        )
        base_depth = account.parent.depth + 1
    AccountLineage.objects.bulk_create(
        [
            AccountLineage(ancestor_id=anc, descendant_id=desc, depth=anc_depth + 1 + depth)
            for anc, anc_depth in new_ancestors
            for desc, depth in subtree
        ],
        batch_size=_BATCH,
    )
    shift = base_depth - account.depth
    if shift:
        for desc, depth in subtree:
            Account.objects.filter(pk=desc).update(depth=base_depth + depth)
    account.depth = base_depth


@transaction.atomic
def lineage_rebuild(*, account_ids: Iterable[int] | None = None) -> int:
    """Recompute depth and the closure table from ``parent`` links, for all accounts or
    for the trees holding ``account_ids``. Used after bulk loads (generator, imports),
    which write accounts without going through ``account_create``. Returns rows written."""
    parents = dict(Account.objects.values_list("pk", "parent_id").iterator(chunk_size=_BATCH))
    if account_ids is None:
        targets = list(parents)
        AccountLineage.objects.all().delete()
    else:
        targets = list(set(account_ids))
        AccountLineage.objects.filter(descendant_id__in=targets).delete()
    written = 0
    batch: list[AccountLineage] = []
    depth_updates: dict[int, int] = {}
    for pk in targets:
        chain = [pk]
        node = parents.get(pk)
        while node is not None:
            if node in chain or len(chain) > MAX_DEPTH:
                raise ValidationError(f"Account {pk} has a cyclic or too deep parent chain.")
            chain.append(node)
            node = parents.get(node)
        for depth, anc in enumerate(chain):
            batch.append(AccountLineage(ancestor_id=anc, descendant_id=pk, depth=depth))
        depth_updates[pk] = len(chain) - 1
        if len(batch) >= _BATCH:
            AccountLineage.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    AccountLineage.objects.bulk_create(batch)
    written += len(batch)
    by_depth: dict[int, list[int]] = {}
    for pk, depth in depth_updates.items():
        by_depth.setdefault(depth, []).append(pk)
    for depth, pks in by_depth.items():
        for i in range(0, len(pks), _BATCH):
            Account.objects.filter(pk__in=pks[i : i + _BATCH]).update(depth=depth)
    if len(targets) >= ANALYZE_AFTER:
        analyze(AccountLineage)  # visibility's joins read the lineage: fresh statistics
    return written
